# A figure left out: the message points at the map it belongs in.
grep -v '^  complaints:' "$SAMPLE" > "$INPUT"
echo "LINE=$(grep -n '^stats:' "$INPUT" | cut -d: -f1)" > vars
