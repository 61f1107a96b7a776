#!/usr/bin/env python3
"""typography_check.py — GB/T 9704 geometry of a report PDF, measured the way
a reader's tools measure it: pdftotext -bbox-layout.

Usage: typography_check.py REPORT.pdf

Checks, on every page, for the lines of body text (3号, 16 pt: paragraphs and
headings; not the title, not table text):
  - no body line starts left of the text block (28 mm);
  - no line ends past its right edge (28 + 156 = 184 mm, within 0.5 pt), and
    full lines end exactly there;
  - at most 22 body lines a page;
  - no line begins with a character clreq forbids at a line start, and none
    ends with one it forbids at a line end;
  - the page number's dashes sit 7 mm below the text block (±1 mm, the
    middle of the number's line box), on the right of
    odd pages and the left of even pages, one character in.
Prints each violation; exit status 1 if any, 0 if none.
"""
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

MM = 72 / 25.4
LEFT = 28 * MM
RIGHT = (28 + 156) * MM
BLOCK_BOTTOM = (37 + 225) * MM
PITCH = 156 * MM / 28
NO_START = set("，。、；：？！）］｝》」』】〕〉’”…—％,.;:?!)]}%")
NO_END = set("（［｛《「『【〔〈‘“([{")
TOL = 0.5


def pages(pdf):
    xml = subprocess.run(["pdftotext", "-bbox-layout", pdf, "-"], check=True,
                         capture_output=True).stdout.decode("utf-8")
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml)
    xml = xml.replace('xmlns="http://www.w3.org/1999/xhtml"', "")
    root = ET.fromstring(xml)
    for page in root.iter("page"):
        lines = []
        for line in page.iter("line"):
            lines.append({
                "text": "".join(w.text or "" for w in line.iter("word")),
                "x0": float(line.get("xMin")), "x1": float(line.get("xMax")),
                "y0": float(line.get("yMin")), "y1": float(line.get("yMax")),
            })
        yield lines


def is_folio(line):
    return re.fullmatch(r"—\s*\d+\s*—", line["text"]) is not None


def is_body(line):
    """A line of 3号 (16 pt) text: body text and headings, not the title
    (2号) nor table text (smaller). Line boxes are the faces' ascent plus
    descent: 16 pt for 宋体 and 仿宋, 14.1 for 楷体, 18.7 for 黑体."""
    if is_folio(line) or not 13.5 < line["y1"] - line["y0"] < 19.5:
        return False
    # body lines start at the block's edge or two characters in; table text
    # starts inside its cell
    return any(abs(line["x0"] - x) <= TOL for x in (LEFT, LEFT + 2 * PITCH))


def check_page(number, lines, say):
    body = [l for l in lines if is_body(l)]
    folios = [l for l in lines if is_folio(l)]
    if len(body) > 22:
        say(f"{len(body)} lines (at most 22)")
    for l in lines:
        if l["x0"] < LEFT - TOL or l["x1"] > RIGHT + TOL:
            say(f"line outside the text block ({l['x0'] / MM:.2f}–{l['x1'] / MM:.2f} mm): "
                f"{l['text']}")
    for l in body:
        t = l["text"]
        if l["x1"] > RIGHT + TOL:
            say(f"line ends at {l['x1'] / MM:.2f} mm, past 184 mm: {t}")
        if t and t[0] in NO_START:
            say(f"line begins with '{t[0]}': {t}")
        if t and t[-1] in NO_END:
            say(f"line ends with '{t[-1]}': {t}")
    if len(folios) != 1:
        say(f"{len(folios)} page numbers")
        return
    f = folios[0]
    # GB/T 9704 7.5: the dashes (一字线) 7 mm below the block; a dash sits at
    # the middle of its line's box
    dash = (f["y0"] + f["y1"]) / 2
    if abs(dash - (BLOCK_BOTTOM + 7 * MM)) > 1.0 * MM:
        say(f"page number dashes at {dash / MM:.1f} mm, expected {BLOCK_BOTTOM / MM + 7:.1f} mm")
    if number % 2 == 1 and abs(f["x1"] - (RIGHT - PITCH)) > 2.0:
        say(f"odd page number ends at {f['x1'] / MM:.1f} mm, expected one character in from the right")
    if number % 2 == 0 and abs(f["x0"] - (LEFT + PITCH)) > 2.0:
        say(f"even page number starts at {f['x0'] / MM:.1f} mm, expected one character in from the left")


def main():
    problems = []
    all_pages = list(pages(sys.argv[1]))
    for number, lines in enumerate(all_pages, 1):
        check_page(number, lines, lambda m, n=number: problems.append(f"page {n}: {m}"))
    body = [l for ls in all_pages for l in ls if is_body(l)]
    full = sum(1 for l in body if abs(l["x1"] - RIGHT) <= TOL)
    for p in problems:
        print(p)
    print(f"typography_check: {len(all_pages)} pages, {len(body)} body lines, {full} full "
          f"lines ending at 184 mm, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
