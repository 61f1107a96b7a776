sed -E 's/^(  complaints:) *[^ #]+/\1 1e-400/' "$SAMPLE" > "$INPUT"
echo "LINE=$(grep -n '^  complaints:' "$INPUT" | cut -d: -f1)" > vars
