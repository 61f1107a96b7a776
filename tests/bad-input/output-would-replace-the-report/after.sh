# the report is still the report, and nothing was written beside it
head -n 1 report.html | grep -q '^format: gov-2014'
test ! -e report.pdf && test ! -e report.xlsx
