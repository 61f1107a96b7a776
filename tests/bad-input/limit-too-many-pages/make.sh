# Nine paragraphs of 78,000 bytes each pasted into 存在的主要问题: over a
# thousand pages, which no report takes.
para=$(yes '很长的文字。' | head -n 13000 | tr -d '\n')
{
  sed -n '1,/^problems:/p' "$SAMPLE"
  for i in 1 2 3 4 5 6 7 8 9; do printf '  - "%s"\n' "$para"; done
  sed -n '/^problems:/,$p' "$SAMPLE" | tail -n +2
} > "$INPUT"
