sed -E 's/^(  complaints:) *[^ #]+/\1 0o17/' "$SAMPLE" > "$INPUT"
echo "LINE=$(grep -n '^  complaints:' "$INPUT" | cut -d: -f1)" > vars
