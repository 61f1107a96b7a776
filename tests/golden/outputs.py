#!/usr/bin/env python3
"""outputs.py NIANBAO DIR — the golden outputs of the seed sample, written to DIR.

Builds samples/taoyuan-2017.yaml with NIANBAO and keeps, as text a diff can
show line by line:
  taoyuan-2017.sheet1.xml         the statistics sheet (统计表) of the XLSX, as
                                  libxlsxwriter wrote it, a line per row
  taoyuan-2017.sharedStrings.xml  the strings its cells point at, a line each
  taoyuan-2017.page1.txt          page 1 of the PDF: every word with its box
                                  (pdftotext -bbox-layout)
Nothing is normalised: the build is reproducible (dates come from the report),
so the same program gives the same bytes. test_golden compares these with the
checked-in copies in tests/golden/; regenerate.sh rewrites those copies.
"""
import os
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLE = os.path.join(ROOT, "samples", "taoyuan-2017.yaml")


def lines_at(xml, tag):
    """The XML with a line break before every `tag`, so that a change shows
    as the row or string it is in."""
    return xml.replace(tag, "\n" + tag) + "\n"


def main():
    nianbao, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        subprocess.run([nianbao, "build", SAMPLE, "-o", work], check=True,
                       stdout=subprocess.DEVNULL)
        with zipfile.ZipFile(os.path.join(work, "taoyuan-2017.xlsx")) as z:
            sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
            strings = z.read("xl/sharedStrings.xml").decode("utf-8")
        page = subprocess.run(["pdftotext", "-bbox-layout", "-f", "1", "-l", "1",
                               os.path.join(work, "taoyuan-2017.pdf"), "-"],
                              check=True, stdout=subprocess.PIPE).stdout.decode("utf-8")
    files = {
        "taoyuan-2017.sheet1.xml": lines_at(sheet, "<row "),
        "taoyuan-2017.sharedStrings.xml": lines_at(strings, "<si>"),
        "taoyuan-2017.page1.txt": page,
    }
    for name, text in files.items():
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
