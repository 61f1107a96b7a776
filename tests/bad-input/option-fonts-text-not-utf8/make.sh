cp "$SAMPLE" "$INPUT"
# a GBK terminal: 政府 as GBK bytes
printf 'TEXT=\325\376\270\256\n' > vars
