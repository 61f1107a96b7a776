para=$(yes '很长的文字。' | head -n 14000 | tr -d '\n')
{ printf 'format: gov-2014\nproblems:\n  - &p "%s"\n' "$para"; yes '  - *p' | head -n 20000; } > "$INPUT"
# the alias that passes 16 MiB: 16 MiB / 252,000 bytes = 66.6 copies
echo "LINE=$((3 + 66))" > vars
