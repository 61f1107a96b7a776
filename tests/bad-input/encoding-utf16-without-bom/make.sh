# UTF-16 without a byte order mark, as some export tools write it.
iconv -f UTF-8 -t UTF-16LE "$SAMPLE" > "$INPUT"
