test "$(cat o2/report.pdf)" = 'previous PDF'
test -d o2/report.xlsx
test "$(ls -A o2)" = "report.pdf
report.xlsx"
