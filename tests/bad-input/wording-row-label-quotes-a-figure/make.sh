cp "$SAMPLE" "$INPUT"
printf "wording:\n  stats.proactive.normative: '其中：规范性文件（共{{stats.proactive.normative_issued}}件）'\n" >> "$INPUT"
