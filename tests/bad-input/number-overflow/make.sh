# A figure too large for any count.
sed -E 's/^(  complaints:) *[^ #]+/\1 99999999999999999999999/' "$SAMPLE" > "$INPUT"
echo "LINE=$(grep -n '^  complaints:' "$INPUT" | cut -d: -f1)" > vars
