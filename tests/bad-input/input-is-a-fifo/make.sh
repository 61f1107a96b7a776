mkfifo "$INPUT"
