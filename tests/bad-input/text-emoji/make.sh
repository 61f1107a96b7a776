c=$(printf '\360\237\230\200')
sed "s/^region: [^ ]*/region: 桃源${c}县/" "$SAMPLE" > "$INPUT"
echo "LINE=$(grep -n '^region:' "$INPUT" | cut -d: -f1)" > vars
