# Nine paragraphs of 78,000 bytes each pasted into the last part (存在的主要
# 问题和改进措施, the sample's last lines): over a thousand pages, which no
# report takes.
para=$(yes '很长的文字。' | head -n 13000 | tr -d '\n')
{
  cat "$SAMPLE"
  for i in 1 2 3 4 5 6 7 8 9; do printf '      - "%s"\n' "$para"; done
} > "$INPUT"
