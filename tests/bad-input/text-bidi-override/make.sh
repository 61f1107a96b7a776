c=$(printf '\342\200\256')
sed "s/^region: [^ ]*/region: 桃源${c}县/" "$SAMPLE" > "$INPUT"
echo "LINE=$(grep -n '^region:' "$INPUT" | cut -d: -f1)" > vars
