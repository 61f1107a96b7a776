# A 300,000-byte value (a whole book pasted into one paragraph); the limit
# for one value is 256 KiB.
{ printf 'format: gov-2014\noverview:\n  after_staff: '; yes '字' | tr -d '\n' | head -c 300000; printf '\n'; } > "$INPUT"
