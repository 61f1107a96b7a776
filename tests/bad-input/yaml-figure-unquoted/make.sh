# A paragraph that opens with a figure quoted inline, not in quotes: YAML
# reads `{{` as the start of a map.
sed 's/^      - 2017年，桃源县累计主动公开政府信息{{/      - {{/' "$SAMPLE" > "$INPUT"
