sed 's/^region: [^ ]*/region: "桃源\\e县"/' "$SAMPLE" > "$INPUT"
echo "LINE=$(grep -n '^region:' "$INPUT" | cut -d: -f1)" > vars
