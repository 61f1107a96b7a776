# A name with a character no installed font has (U+30000, a Chinese character
# of CJK Extension G: a character a report may hold, check passes it), in
# the office the report names: the error points at the report's line and
# column, not at the rendered template.
sed 's/^office: 桃源县政务公开办/office: 桃源县𰀀政务公开办/' "$SAMPLE" > "$INPUT"
echo "LINE=$(grep -n '^office:' "$INPUT" | cut -d: -f1)" > "$WORK/vars"
