sed -E 's/^region: *[^ #]+/region: !!binary 5qGD5rqQ5Y6/' "$SAMPLE" > "$INPUT"
echo "LINE=$(grep -n '^region:' "$INPUT" | cut -d: -f1)" > vars
