cp "$SAMPLE" "$INPUT"
mkdir home
cp -r "$SOURCE/templates" home/
f=home/templates/gov-2014/format.yaml
sed -i 's|^name: gov-2014|name: my-county-2014|' "$f"
echo "LINE=$(grep -n '^name:' "$f" | cut -d: -f1)" > vars
