cp "$SAMPLE" "$INPUT"
cp "$SAMPLE" report.html
