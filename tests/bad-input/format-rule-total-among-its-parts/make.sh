cp "$SAMPLE" "$INPUT"
mkdir home
cp -r "$SOURCE/templates" home/
f=home/templates/gov-2014/format.yaml
sed -i 's|^    of: \[stats.closed.on_time, stats.closed.extended\]|    of: [stats.closed.total, stats.closed.on_time]|' "$f"
echo "LINE=$(($(grep -n 'of: \[stats.closed.total' "$f" | cut -d: -f1) - 2))" > vars
