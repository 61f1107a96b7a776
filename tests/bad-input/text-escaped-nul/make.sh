sed 's/^region: [^ ]*/region: "桃源\\0县"/' "$SAMPLE" > "$INPUT"
echo "LINE=$(grep -n '^region:' "$INPUT" | cut -d: -f1)" > vars
