{ printf 'format: gov-2014\nproblems:\n'; yes '  - 字' | head -n 999000; } > "$INPUT"
# values: the root map, 2 keys, 1 scalar, the list: 5; then one per line
echo "LINE=$((2 + 200000 - 5 + 1))" > vars
