# the XLSX's created date is a W3C date (it was "1-01-01"): the 1980 default
python3 - <<'PY'
import zipfile
core = zipfile.ZipFile("o2/report.xlsx").read("docProps/core.xml").decode()
assert "1980-01-01T00:00:00Z" in core, core
PY
