c=$(printf '\331\205')
sed "s/^region: [^ ]*/region: 桃源${c}县/" "$SAMPLE" > "$INPUT"
echo "LINE=$(grep -n '^region:' "$INPUT" | cut -d: -f1)" > vars
