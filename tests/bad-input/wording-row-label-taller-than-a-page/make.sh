cp "$SAMPLE" "$INPUT"
printf 'wording:\n  stats.proactive.total: %s\n' "$(yes 长 | head -n 3000 | tr -d '\n')" >> "$INPUT"
echo "LINE=$(grep -n '^  stats.proactive.total:' "$INPUT" | cut -d: -f1)" > vars
