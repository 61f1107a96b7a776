cp "$SOURCE/samples/huaian-2024.yaml" "$INPUT"
grep -q '^date: ~' "$INPUT"
