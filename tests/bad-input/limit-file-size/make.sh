# Nine million bytes: no report is that long (the limit is 8 MiB).
{ printf 'format: gov-2014\n'; yes '# 注释' | head -c 9000000; } > "$INPUT"
