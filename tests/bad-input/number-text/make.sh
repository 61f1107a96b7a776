# A figure written in words.
sed -E 's/^(  complaints:) *[^ #]+/\1 无/' "$SAMPLE" > "$INPUT"
echo "LINE=$(grep -n '^  complaints:' "$INPUT" | cut -d: -f1)" > vars
