# 300,000 keys and one of them twice: the duplicate is found at once, not
# after 300,000 × 300,000 comparisons.
{ printf 'format: gov-2014\nextra:\n'; seq -f '  k%.0f: 1' 1 300000; printf '  k1: 2\n'; } > "$INPUT"
