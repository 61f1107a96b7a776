#!/usr/bin/env python3
"""xlsx_check.py — read a workbook written by nianbao back, independently of
the C code that wrote it, and compare it with what the test expects.

  xlsx_check.py check  BOOK.xlsx EXPECT.json   structure, values, formulas, print setup
  xlsx_check.py recalc BOOK.xlsx WORKDIR       LibreOffice recomputes every formula:
                                               the results must equal the cached values,
                                               and after an edit, follow the edit
  xlsx_check.py render BOOK.xlsx WORKDIR [N]   LibreOffice prints it: A4 pages, each table
                                               one page wide, the 数据来源 sheet not printed,
                                               at most N pages; PNGs left in WORKDIR

EXPECT.json is written by tests/test_xlsx.c from the format's grid and the
report's data (see expect_* there). Exit status 0 = all good; every failure
is printed as one line.
"""
import csv
import datetime
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

import openpyxl
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

failures = []


def fail(msg):
    failures.append(msg)


# ---------------------------------------------------------------- formulas
REF = r"(?:'((?:[^']|'')+)'!)?\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?"


def cells_of(match, here):
    """Cells (sheet, row, col) of one reference or range."""
    sheet = match.group(1).replace("''", "'") if match.group(1) else here
    c0, r0 = column_index_from_string(match.group(2)), int(match.group(3))
    c1 = column_index_from_string(match.group(4)) if match.group(4) else c0
    r1 = int(match.group(5)) if match.group(5) else r0
    return [(sheet, r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]


def formula_refs(formula, here):
    """The cells a formula adds up. Only what nianbao writes is accepted:
    =SUM(ref, range, ...) or =ref."""
    body = formula[1:] if formula.startswith("=") else formula
    m = re.fullmatch(r"SUM\((.*)\)", body)
    args = m.group(1).split(",") if m else [body]
    out = []
    for arg in args:
        rm = re.fullmatch(REF, arg.strip())
        if not rm:
            raise ValueError("unexpected formula %r" % formula)
        out += cells_of(rm, here)
    return out


def evaluate(book, sheet, row, col, seen=()):
    """Value of a cell computed from the workbook's formulas and numbers
    (not from the cached results)."""
    v = book[sheet].cell(row=row, column=col).value
    if isinstance(v, str) and v.startswith("="):
        if (sheet, row, col) in seen:
            raise ValueError("circular reference at %s!%s%d" % (sheet, col, row))
        return sum(evaluate(book, s, r, c, seen + ((sheet, row, col),))
                   for s, r, c in formula_refs(v, sheet))
    if v is None:
        return 0
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return v
    raise ValueError("%s!R%dC%d holds %r, not a number" % (sheet, row, col, v))


def close(a, b):
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


# ---------------------------------------------------------------- check
def rc(ref):
    col, row = coordinate_from_string(ref)
    return row, column_index_from_string(col)


def check_value(sheet, ws, wsv, book, e):
    ref, cell, cached = e["ref"], ws[e["ref"]], wsv[e["ref"]].value
    where = "%s!%s (%s)" % (sheet, ref, e["key"])
    if e["value"] is None:
        if cell.value is not None:
            fail("%s: expected an empty cell, found %r" % (where, cell.value))
        return
    if e["formula"]:
        if cell.data_type != "f" or not str(cell.value).startswith("="):
            fail("%s: expected a total formula, found %r" % (where, cell.value))
            return
        try:
            computed = evaluate(book, sheet, *rc(ref))
        except ValueError as err:
            fail("%s: %s" % (where, err))
            return
        if not close(computed, e["value"]):
            fail("%s: formula %s gives %r, the report says %r"
                 % (where, cell.value, computed, e["value"]))
    elif cell.data_type != "n" or isinstance(cell.value, str):
        fail("%s: expected a plain number, found %r (%s)" % (where, cell.value, cell.data_type))
        return
    if not isinstance(cached, (int, float)) or not close(cached, e["value"]):
        fail("%s: shows %r, the report says %r" % (where, cached, e["value"]))
    if "format" in e and cell.number_format != e["format"]:
        fail("%s: number format %r, expected %r (the decimals written in the report)"
             % (where, cell.number_format, e["format"]))


def check_print(sheet, ws, s):
    ps = ws.page_setup
    if str(ps.paperSize) != "9":
        fail("%s: paper size %r, expected 9 (A4)" % (sheet, ps.paperSize))
    fit = ws.sheet_properties.pageSetUpPr
    if not (fit is not None and fit.fitToPage):
        fail("%s: not set to fit to page" % sheet)
    # An absent attribute takes the OOXML default, 1.
    fit_w = "1" if ps.fitToWidth is None else str(ps.fitToWidth)
    fit_h = "1" if ps.fitToHeight is None else str(ps.fitToHeight)
    if fit_w != "1" or fit_h not in ("0", "1"):
        fail("%s: fit to %r wide × %r tall, expected 1 × 1 or 1 × 0 (automatic)"
             % (sheet, ps.fitToWidth, ps.fitToHeight))
    footer = ws.oddFooter.center.text or ""
    if "&P" not in footer:
        fail("%s: footer %r has no page number" % (sheet, footer))
    if s.get("repeat_rows"):
        got = (ws.print_title_rows or "").replace("$", "")
        if got != s["repeat_rows"]:
            fail("%s: rows repeated on each page %r, expected %r"
                 % (sheet, got, s["repeat_rows"]))
    if s.get("freeze") and ws.freeze_panes != s["freeze"]:
        fail("%s: frozen at %r, expected %r" % (sheet, ws.freeze_panes, s["freeze"]))


def check_table_sheet(book, bookv, s):
    name = s["name"]
    if name not in book.sheetnames:
        fail("no sheet %r (sheets: %s)" % (name, book.sheetnames))
        return
    ws, wsv = book[name], bookv[name]
    merges = {str(r) for r in ws.merged_cells.ranges}
    for m in s["merges"]:
        if m not in merges:
            fail("%s: %s is not merged" % (name, m))
    for m in sorted(merges - set(s["merges"])):
        fail("%s: %s is merged but the grid has no such cell" % (name, m))
    for t in s["texts"]:
        cell = ws[t["ref"]]
        if cell.value != t["text"]:
            fail("%s!%s: text %r, expected %r" % (name, t["ref"], cell.value, t["text"]))
        if cell.font.name != "宋体":
            fail("%s!%s: font %r, expected 宋体" % (name, t["ref"], cell.font.name))
        if "indent" in t and int(cell.alignment.indent or 0) != t["indent"]:
            fail("%s!%s: indent %r, expected %r"
                 % (name, t["ref"], cell.alignment.indent, t["indent"]))
        if t.get("border") and not cell.border.left.style:
            fail("%s!%s: no border" % (name, t["ref"]))
    for e in s["values"]:
        check_value(name, ws, wsv, book, e)
    check_print(name, ws, s)
    widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width
              for c in range(1, s["ncols"] + 1)]
    if s.get("label_min_width") and widths[0] < s["label_min_width"]:
        fail("%s: label column %.1f wide, expected at least %.1f"
             % (name, widths[0], s["label_min_width"]))


def check_properties(path, book, p):
    props = book.properties
    for field, attr in (("title", "title"), ("author", "creator"), ("subject", "subject")):
        if p.get(field) and getattr(props, attr) != p[field]:
            fail("document %s %r, expected %r" % (field, getattr(props, attr), p[field]))
    created = props.created.replace(tzinfo=None) if props.created else None
    want = datetime.datetime.utcfromtimestamp(p["created"])
    if created != want:
        fail("document created %r, expected %r" % (created, want))
    with zipfile.ZipFile(path) as z:
        app = z.read("docProps/app.xml").decode()
        if p.get("company") and "<Company>%s</Company>" % p["company"] not in app:
            fail("document company is not %r" % p["company"])


def check_charts(path, book, bookv, charts):
    with zipfile.ZipFile(path) as z:
        xml = [z.read(n).decode() for n in sorted(z.namelist())
               if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
    if len(xml) != len(charts):
        fail("%d charts, expected %d" % (len(xml), len(charts)))
        return
    tag = {"pie": "c:pieChart", "doughnut": "c:doughnutChart",
           "bar": "c:barChart", "column": "c:barChart"}
    sheet = "图表"
    ws, wsv = book[sheet], bookv[sheet]
    row = None
    for i, (x, c) in enumerate(zip(xml, charts)):
        if "<%s>" % tag[c["type"]] not in x:
            fail("chart %d is not a %s chart" % (i + 1, c["type"]))
        if c["type"] in ("bar", "column"):
            want = "bar" if c["type"] == "bar" else "col"
            if '<c:barDir val="%s"/>' % want not in x:
                fail("chart %d: bar direction is not %s" % (i + 1, want))
        if c["title"] not in "".join(re.findall(r"<a:t>([^<]*)</a:t>", x)):
            fail("chart %d: title is not %r" % (i + 1, c["title"]))
        # The chart's data block: a caption with its title, then 类别/数值.
        row = next((r for r in range(1, ws.max_row + 1)
                    if ws.cell(row=r, column=1).value == c["title"]), None)
        if row is None:
            fail("chart %r: no data block on the chart sheet" % c["title"])
            continue
        m = re.search(r"<c:val><c:numRef><c:f>([^<]*)</c:f>", x)
        want_ref = "%s!$B$%d:$B$%d" % (quote(sheet), row + 2, row + 1 + len(c["items"]))
        if not m or m.group(1) != want_ref:
            fail("chart %r reads %r, expected %r" % (c["title"], m and m.group(1), want_ref))
        for k, item in enumerate(c["items"]):
            r = row + 2 + k
            label, f = ws.cell(row=r, column=1).value, ws.cell(row=r, column=2).value
            cached = wsv.cell(row=r, column=2).value
            if label != item["label"]:
                fail("chart %r item %d: label %r, expected %r" % (c["title"], k + 1, label, item["label"]))
            if not (isinstance(f, str) and f.startswith("=")):
                fail("chart %r item %d: %r is not a formula" % (c["title"], k + 1, f))
                continue
            got = evaluate(book, sheet, r, 2)
            if not close(got, item["value"]) or not close(cached or 0, item["value"]):
                fail("chart %r item %r: formula %s gives %r, cached %r, expected %r"
                     % (c["title"], label, f, got, cached, item["value"]))


def quote(sheet):
    return "'%s'" % sheet.replace("'", "''")


def check_sources(book, sources):
    ws = book["数据来源"]
    if ws.sheet_state != "hidden":
        fail("数据来源 is %s, expected hidden (kept, not printed)" % ws.sheet_state)
    if ws.print_area:
        fail("数据来源 has a print area %r: it would be printed" % ws.print_area)
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    if len(rows) != len(sources):
        fail("数据来源 lists %d figures, expected %d" % (len(rows), len(sources)))
    for got, want in zip(rows, sources):
        sheet, ref, _, key, value, where = got[:6]
        if (sheet, ref, key) != (want["sheet"], want["sheet"] + "!" + want["ref"], want["key"]) \
                and (sheet, ref, key) != (want["sheet"], quote(want["sheet"]) + "!" + want["ref"], want["key"]):
            fail("数据来源: %r, expected %s %s %s" % (got[:4], want["sheet"], want["ref"], want["key"]))
        if (value is None) != (want["value"] is None) or \
                (value is not None and not close(value, want["value"])):
            fail("数据来源 %s: value %r, expected %r" % (key, value, want["value"]))
        if (where or "") != want["source"]:
            fail("数据来源 %s: source %r, expected %r" % (key, where, want["source"]))


def cmd_check(path, expect_path):
    with open(expect_path, encoding="utf-8") as f:
        expect = json.load(f)
    book = openpyxl.load_workbook(path)
    bookv = openpyxl.load_workbook(path, data_only=True)
    want_sheets = [s["name"] for s in expect["sheets"]] + \
        (["图表"] if expect.get("charts") else []) + ["数据来源"]
    if book.sheetnames != want_sheets:
        fail("sheets %r, expected %r" % (book.sheetnames, want_sheets))
    for s in expect["sheets"]:
        check_table_sheet(book, bookv, s)
    check_properties(path, book, expect["properties"])
    if expect.get("charts"):
        check_charts(path, book, bookv, expect["charts"])
    check_sources(book, expect["sources"])


# ---------------------------------------------------------------- LibreOffice
RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice(workdir, convert_to, src, outdir):
    """Run LibreOffice with its own profile that always recalculates on load."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        print("LibreOffice (soffice) is required: apt-get install libreoffice-calc-nogui")
        sys.exit(2)
    profile = os.path.join(workdir, "lo-profile")
    os.makedirs(os.path.join(profile, "user"), exist_ok=True)
    with open(os.path.join(profile, "user", "registrymodifications.xcu"), "w") as f:
        f.write(RECALC_ALWAYS)
    os.makedirs(outdir, exist_ok=True)
    cmd = [exe, "-env:UserInstallation=file://" + os.path.abspath(profile), "--headless",
           "--norestore", "--convert-to", convert_to, "--outdir", outdir, src]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
    if r.returncode != 0:
        fail("soffice failed: %s" % r.stdout.decode(errors="replace"))


# every sheet, UTF-8, raw values rather than as shown
CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def recalculated(workdir, path, tag):
    out = os.path.join(workdir, "csv-" + tag)
    shutil.rmtree(out, ignore_errors=True)
    soffice(workdir, CSV_ALL_SHEETS, path, out)
    base = os.path.splitext(os.path.basename(path))[0]
    sheets = {}
    for f in glob.glob(os.path.join(out, base + "-*.csv")):
        name = os.path.basename(f)[len(base) + 1:-4]
        with open(f, encoding="utf-8") as fh:
            sheets[name] = list(csv.reader(fh))
    return sheets


def csv_number(sheets, sheet, row, col):
    try:
        text = sheets[sheet][row - 1][col - 1]
    except (KeyError, IndexError):
        return None
    try:
        return float(text) if text != "" else 0.0
    except ValueError:
        return text


def formula_cells(book):
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    yield ws.title, cell.row, cell.column


def cmd_recalc(path, workdir):
    os.makedirs(workdir, exist_ok=True)
    book = openpyxl.load_workbook(path)
    bookv = openpyxl.load_workbook(path, data_only=True)
    cells = list(formula_cells(book))
    if not cells:
        fail("the workbook has no formulas")
    sheets = recalculated(workdir, path, "as-written")
    for sheet, r, c in cells:
        got = csv_number(sheets, sheet, r, c)
        cached = bookv[sheet].cell(row=r, column=c).value
        if not isinstance(got, float) or not close(got, cached or 0):
            fail("%s!R%dC%d: LibreOffice computes %r, the workbook cached %r"
                 % (sheet, r, c, got, cached))
    # Edit every plain figure of the table sheets (+1) in a copy: every total
    # must follow.
    edited = os.path.join(workdir, "edited.xlsx")
    for ws in book.worksheets:
        if ws.title in ("图表", "数据来源"):
            continue
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "n" and isinstance(cell.value, (int, float)):
                    cell.value += 1
    book.save(edited)
    sheets = recalculated(workdir, edited, "edited")
    for sheet, r, c in cells:
        got = csv_number(sheets, sheet, r, c)
        want = evaluate(book, sheet, r, c)
        if not isinstance(got, float) or not close(got, want):
            fail("%s!R%dC%d after editing its parts: LibreOffice computes %r, expected %r"
                 % (sheet, r, c, got, want))
    print("%d formulas recalculated by LibreOffice, as written and after an edit" % len(cells))


def cmd_render(path, workdir, max_pages=None):
    os.makedirs(workdir, exist_ok=True)
    soffice(workdir, "pdf", path, workdir)
    pdf = os.path.join(workdir, os.path.splitext(os.path.basename(path))[0] + ".pdf")
    if not os.path.exists(pdf):
        fail("LibreOffice wrote no PDF")
        return
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", pdf], stdout=subprocess.PIPE,
                          check=True).stdout.decode()
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    if not sizes:
        fail("no pages in the PDF")
    for i, (w, h) in enumerate(sizes):
        dims = sorted((round(float(w)), round(float(h))))
        if dims != [595, 842]:
            fail("page %d is %s x %s pt, not A4" % (i + 1, w, h))
    # One page wide: on every page that shows a table's repeated header, the
    # first and the last column's header texts are both there.
    pages = [squash(subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), pdf, "-"],
                                   stdout=subprocess.PIPE, check=True).stdout.decode())
             for i in range(1, len(sizes) + 1)]
    book = openpyxl.load_workbook(path)
    for ws in book.worksheets:
        if ws.title in ("图表", "数据来源") or not ws.print_title_rows:
            continue
        first_row = int(ws.print_title_rows.replace("$", "").split(":")[0])
        last_row = int(ws.print_title_rows.replace("$", "").split(":")[1])
        texts = [squash(str(ws.cell(row=r, column=c).value))
                 for r in range(first_row, last_row + 1)
                 for c in range(1, ws.max_column + 1)
                 if ws.cell(row=r, column=c).value]
        first = texts[0]
        last_col_texts = [squash(str(ws.cell(row=r, column=ws.max_column).value))
                          for r in range(first_row, last_row + 1)
                          if ws.cell(row=r, column=ws.max_column).value]
        shown = [i for i, p in enumerate(pages) if first in p]
        if not shown:
            fail("%s: its header %r is on no page of the PDF" % (ws.title, first))
        for i in shown:
            if not any(t in pages[i] for t in last_col_texts):
                fail("%s: page %d shows the first column's header but not the last "
                     "column's (%r): the table is wider than the page"
                     % (ws.title, i + 1, last_col_texts))
        print("%s: header on pages %s, each one page wide" % (ws.title, [i + 1 for i in shown]))
    for i, p in enumerate(pages):
        if "数据键" in p:
            fail("page %d prints the 数据来源 sheet" % (i + 1))
    if max_pages is not None and len(sizes) > int(max_pages):
        fail("%d pages printed, expected at most %s" % (len(sizes), max_pages))
    subprocess.run(["pdftoppm", "-r", "60", "-png", pdf, os.path.join(workdir, "page")],
                   check=True)
    print("%d A4 pages; PNGs in %s" % (len(sizes), workdir))


def squash(text):
    return re.sub(r"\s+", "", text)


def main():
    if not 4 <= len(sys.argv) <= 5 or sys.argv[1] not in ("check", "recalc", "render") \
            or (len(sys.argv) == 5 and sys.argv[1] != "render"):
        print(__doc__)
        return 2
    {"check": cmd_check, "recalc": cmd_recalc, "render": cmd_render}[sys.argv[1]](
        *sys.argv[2:])
    for f in failures:
        print(f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
