# A figure written with a thousands separator.
sed -E 's/^(  complaints:) *[^ #]+/\1 1,234/' "$SAMPLE" > "$INPUT"
echo "LINE=$(grep -n '^  complaints:' "$INPUT" | cut -d: -f1)" > vars
