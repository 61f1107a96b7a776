# check accepts the reference; the label shows the figure, not the braces
python3 - <<'PY'
import zipfile
strings = zipfile.ZipFile("o2/report.xlsx").read("xl/sharedStrings.xml").decode()
assert "其中：规范性文件（共85件）" in strings, strings[:2000]
assert "{{" not in strings
PY
