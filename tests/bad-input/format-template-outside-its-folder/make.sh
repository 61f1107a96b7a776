cp "$SAMPLE" "$INPUT"
mkdir home
cp -r "$SOURCE/templates" home/
f=home/templates/gov-2014/format.yaml
sed -i 's|^template: .*|template: ../../../../../../../../../../etc/passwd|' "$f"
echo "LINE=$(grep -n '^template:' "$f" | cut -d: -f1)" > vars
