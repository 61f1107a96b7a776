sed -E 's/^(  head:) *[^ #]+/\1 []/' "$SAMPLE" > "$INPUT"
echo "LINE=$(grep -n '^  head: \[\]' "$INPUT" | cut -d: -f1)" > vars
