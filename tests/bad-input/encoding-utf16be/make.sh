# The sample saved as "Unicode big endian" (UTF-16 big-endian with a BOM).
printf '\376\377' > "$INPUT"
iconv -f UTF-8 -t UTF-16BE "$SAMPLE" >> "$INPUT"
