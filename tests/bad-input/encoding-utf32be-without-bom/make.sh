printf "format: gov-2014\nregion: 桃源县\n" | iconv -f UTF-8 -t UTF-32BE > "$INPUT"
