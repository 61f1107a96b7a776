cp "$SAMPLE" "$INPUT"
mkdir -p o2/report.xlsx
printf 'previous PDF' > o2/report.pdf
