cp "$SAMPLE" "$INPUT"
printf "wording:\n  title: ''\n" >> "$INPUT"
echo "LINE=$(grep -n '^  title:' "$INPUT" | tail -n 1 | cut -d: -f1)" > vars
