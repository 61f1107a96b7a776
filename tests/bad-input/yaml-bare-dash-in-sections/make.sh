sed -E '0,/^  - heading: /s/^(  - heading: .*)/  -\n\1/' "$SAMPLE" > "$INPUT"
echo "LINE=$(grep -n '^  -$' "$INPUT" | cut -d: -f1)" > vars
