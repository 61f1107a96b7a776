# The sample saved by Notepad as "Unicode" (UTF-16 little-endian with a BOM).
printf '\377\376' > "$INPUT"
iconv -f UTF-8 -t UTF-16LE "$SAMPLE" >> "$INPUT"
