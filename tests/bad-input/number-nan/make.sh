sed -E 's/^(  complaints:) *[^ #]+/\1 .nan/' "$SAMPLE" > "$INPUT"
echo "LINE=$(grep -n '^  complaints:' "$INPUT" | cut -d: -f1)" > vars
