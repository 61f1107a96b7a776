sed -E 's/^(  complaints:) *[^ #]+/\1 1.1234567/' "$SAMPLE" > "$INPUT"
echo "LINE=$(grep -n '^  complaints:' "$INPUT" | cut -d: -f1)" > vars
