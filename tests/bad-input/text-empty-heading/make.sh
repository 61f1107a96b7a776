sed -E "0,/^  - heading: /s/^  - heading: .*/  - heading: ''/" "$SAMPLE" > "$INPUT"
echo "LINE=$(grep -n "^  - heading: ''" "$INPUT" | cut -d: -f1)" > vars
