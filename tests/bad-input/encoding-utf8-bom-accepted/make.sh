# The sample saved by Notepad as "UTF-8" (with a byte order mark): accepted.
printf '\357\273\277' > "$INPUT"
cat "$SAMPLE" >> "$INPUT"
