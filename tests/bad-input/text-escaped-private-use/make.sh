sed 's/^region: [^ ]*/region: "桃源\\uE000县"/' "$SAMPLE" > "$INPUT"
echo "LINE=$(grep -n '^region:' "$INPUT" | cut -d: -f1)" > vars
