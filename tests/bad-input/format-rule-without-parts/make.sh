cp "$SAMPLE" "$INPUT"
mkdir home
cp -r "$SOURCE/templates" home/
f=home/templates/gov-2014/format.yaml
sed -i 's|^    of: \[stats.closed.on_time, stats.closed.extended\]|    of: []|' "$f"
echo "LINE=$(($(grep -n '^    of: \[\]' "$f" | cut -d: -f1) - 2))" > vars
