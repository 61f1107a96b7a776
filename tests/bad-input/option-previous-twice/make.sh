cp "$SAMPLE" "$INPUT"
