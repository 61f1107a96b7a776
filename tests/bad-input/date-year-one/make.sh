sed -E 's/^date: *[^ #]+/date: 0001-01-01/' "$SAMPLE" > "$INPUT"
grep -q '^date: 0001-01-01' "$INPUT"
