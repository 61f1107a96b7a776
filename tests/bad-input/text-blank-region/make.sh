sed -E "s/^region: *[^ #]+/region: '　　'/" "$SAMPLE" > "$INPUT"
echo "LINE=$(grep -n '^region:' "$INPUT" | cut -d: -f1)" > vars
