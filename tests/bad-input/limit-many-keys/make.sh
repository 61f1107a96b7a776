# 90,000 keys and one of them twice: the duplicate is found at once, not
# after 90,000 × 90,000 comparisons.
{ printf 'format: gov-2014\nextra:\n'; seq -f '  k%.0f: 1' 1 90000; printf '  k1: 2\n'; } > "$INPUT"
