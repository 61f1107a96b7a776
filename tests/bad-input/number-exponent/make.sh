sed -E 's/^(  complaints:) *[^ #]+/\1 1e3/' "$SAMPLE" > "$INPUT"
echo "LINE=$(grep -n '^  complaints:' "$INPUT" | cut -d: -f1)" > vars
