sed -E "0,/^          - title: /s/^          - title: .*/          - title: '　'/" "$SAMPLE" > "$INPUT"
echo "LINE=$(grep -n "^          - title: '　'" "$INPUT" | cut -d: -f1)" > vars
