cp "$SAMPLE" "$INPUT"
mkdir a
cp "$SAMPLE" a/report.yaml
