# a second file's byte order mark, pasted in front of the region line
sed -E 's/^region:/\xef\xbb\xbfregion:/' "$SAMPLE" > "$INPUT"
echo "LINE=$(grep -n 'region:' "$INPUT" | head -n 1 | cut -d: -f1)" > vars
