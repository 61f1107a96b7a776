# A negative count.
sed -E 's/^(  complaints:) *[^ #]+/\1 -5/' "$SAMPLE" > "$INPUT"
echo "LINE=$(grep -n '^  complaints:' "$INPUT" | cut -d: -f1)" > vars
