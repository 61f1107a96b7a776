# A figure typed with a Chinese input method: full-width digits.
sed -E 's/^(  complaints:) *[^ #]+/\1 １２３/' "$SAMPLE" > "$INPUT"
echo "LINE=$(grep -n '^  complaints:' "$INPUT" | cut -d: -f1)" > vars
