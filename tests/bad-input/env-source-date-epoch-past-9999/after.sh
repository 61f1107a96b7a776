# dated as a report without a date (1980-01-01), the garbage ignored
python3 - <<'PY'
import zipfile
core = zipfile.ZipFile("o2/report.xlsx").read("docProps/core.xml").decode()
assert "1980-01-01T00:00:00Z" in core, core
PY
