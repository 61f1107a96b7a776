cp "$SAMPLE" "$INPUT"
mkdir home
cp -r "$SOURCE/templates" home/
f=home/templates/gov-2014/format.yaml
sed -i 's|{role: value, header: 统计数, width: 1.4}|{role: value, header: 统计数, width: -1}|' "$f"
echo "LINE=$(grep -n 'width: -1}' "$f" | cut -d: -f1)" > vars
