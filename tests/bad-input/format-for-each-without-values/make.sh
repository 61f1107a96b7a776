cp "$SAMPLE" "$INPUT"
mkdir home
cp -r "$SOURCE/templates" home/
f=home/templates/gov-2014/format.yaml
sed -i 's|^    for_each: {channel: \[.*\]}|    for_each: {channel: []}|' "$f"
echo "LINE=$(grep -n 'for_each: {channel: \[\]}' "$f" | cut -d: -f1)" > vars
