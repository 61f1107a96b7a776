sed -E 's/^(intro:)/...\n\1/' "$SAMPLE" > "$INPUT"
echo "LINE=$(($(grep -n '^\.\.\.$' "$INPUT" | cut -d: -f1) + 1))" > vars
