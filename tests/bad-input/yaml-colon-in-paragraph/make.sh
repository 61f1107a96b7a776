# The first paragraph of the intro: starts with 下一步: (colon and space).
sed -E '/^intro:/{n;s/^  - .*/  - 下一步: 将继续推进政务公开。/}' "$SAMPLE" > "$INPUT"
echo "LINE=$(grep -n '^  - 下一步: ' "$INPUT" | cut -d: -f1)" > vars
