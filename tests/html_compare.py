#!/usr/bin/env python3
"""html_compare.py — does the web page say exactly what the PDF says?

Usage: html_compare.py REPORT.html REPORT.pdf [--mode raw|layout|plain|any] [-v]

Both come from one `nianbao build`. The page's text is read with Python's
own HTML parser, the PDF's with pdftotext; both are compared after NFKC and
with all whitespace removed, page numbers dropped (as in seed_compare.py,
whose text functions this script shares).

  page -> PDF   every sentence of the page's headings, paragraphs, sign-off
                lines, visible table captions and foot lines, and every table
                row (its cells that span one row, left to right), in order;
                every merged cell spanning rows (drawn beside its rows, and
                again on each page it reaches), somewhere;
  PDF -> page   what is left of the PDF's text once all of that is taken out
                must be nothing but whole table cells of the page: a table's
                header repeated on the next page, a merged cell repeated
                where the page cuts it. A sentence of the PDF that the page
                lacks is left over and reported.

Text the page gives screen readers only (a table's name where the PDF shows
none: class nb-hidden) is not compared; nor is a draft's 草稿 banner.

Exit status: 0 equal, 1 a difference, 2 usage or tool error.
"""

import argparse
import html.parser
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seed_compare import PDFTOTEXT_MODES, closest_mode, normalise, split_sentences  # noqa: E402

PROSE = {"h1", "h2", "h3", "h4", "p"}
VOID = {"meta", "br", "hr", "img", "input", "link", "col"}
NOT_COMPARED = {"nb-hidden", "nb-draft"}


class Page(html.parser.HTMLParser):
    """Blocks of the page in order: ("prose", text) and ("table", rows), a row
    being a list of (text, rowspan, colspan)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
        self.stack = []       # open elements: (tag, skipped)
        self.text = None      # the prose block or cell being read
        self.rows = None      # the table being read
        self.cell = None      # (rowspan, colspan) of the cell being read

    def skipping(self):
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in VOID:
            return
        classes = set((a.get("class") or "").split())
        self.stack.append((tag, bool(classes & NOT_COMPARED)))
        if tag == "table":
            self.rows = []
        elif tag == "tr" and self.rows is not None:
            self.rows.append([])
        elif tag in ("td", "th") and self.rows is not None:
            self.cell = (int(a.get("rowspan", 1)), int(a.get("colspan", 1)))
            self.text = []
        elif (tag in PROSE or tag == "caption" or "nb-lead" in classes) and self.text is None:
            self.text = []
            self.prose_tag = tag

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(("".join(self.text), *self.cell))
            self.cell, self.text = None, None
        elif tag == "table":
            self.blocks.append(("table", self.rows))
            self.rows = None
        elif self.text is not None and self.cell is None and tag == self.prose_tag:
            self.blocks.append(("prose", "".join(self.text)))
            self.text = None

    def handle_data(self, data):
        if self.text is not None and not self.skipping():
            self.text.append(data)


def page_items(path):
    """(kind, original, normalised) in reading order; kind is "sentence",
    "row" (found in order) or "cell" (a merged cell, found anywhere)."""
    p = Page()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    items, cells = [], []
    for kind, content in p.blocks:
        if kind == "prose":
            for s in split_sentences(content):
                if normalise(s):
                    items.append(("sentence", s.strip(), normalise(s)))
            continue
        for row in content:
            one_row = [text for text, rows, _ in row if rows == 1 and normalise(text)]
            if one_row:
                items.append(("row", " | ".join(one_row), normalise("".join(one_row))))
            for text, rows, _ in row:
                if normalise(text):
                    cells.append(normalise(text))
                if rows > 1 and normalise(text):
                    items.append(("cell", text, normalise(text)))
    return items, cells


def match(items, haystack):
    """(missing items, taken: a bool per character of the haystack)."""
    taken = [False] * len(haystack)
    missing, cursor = [], 0
    for item in items:
        kind, _, key = item
        if kind == "cell":
            at = haystack.find(key)
            while at >= 0 and any(taken[at:at + len(key)]):
                at = haystack.find(key, at + 1)
        else:
            at = haystack.find(key, cursor)
        if at < 0:
            missing.append(item)
            continue
        for i in range(at, at + len(key)):
            taken[i] = True
        if kind != "cell":
            cursor = at + len(key)
    return missing, taken


def whole_cells(chunk, cells):
    """Can `chunk` be cut into whole cell texts?"""
    can = [True] + [False] * len(chunk)
    for end in range(1, len(chunk) + 1):
        can[end] = any(can[end - len(c)] and chunk.endswith(c, 0, end)
                       for c in cells if len(c) <= end)
    return can[-1]


def leftovers(haystack, taken, cells):
    chunks, start = [], None
    for i, t in enumerate(taken + [True]):
        if not t and start is None:
            start = i
        elif t and start is not None:
            chunks.append(haystack[start:i])
            start = None
    distinct = sorted(set(cells), key=len, reverse=True)
    return [c for c in chunks if not whole_cells(c, distinct)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("html")
    ap.add_argument("pdf")
    ap.add_argument("--mode", choices=["any", *PDFTOTEXT_MODES], default="any")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    items, cells = page_items(args.html)
    if not items:
        print("html_compare: %s holds no text" % args.html)
        return 2

    def problems(text):
        missing, taken = match(items, text)
        return missing + [("extra", c, c) for c in leftovers(text, taken, cells)]

    mode, found, text = closest_mode(args.pdf, args.mode, problems)
    if args.verbose:
        print(text)
    count = {k: sum(1 for i in items if i[0] == k) for k in ("sentence", "row", "cell")}
    if not found:
        print("html_compare: %d sentences, %d table rows and %d merged cells of %s found in "
              "order in %s, and nothing else there (pdftotext mode %s)"
              % (count["sentence"], count["row"], count["cell"], args.html, args.pdf, mode))
        return 0
    for kind, original, _ in found:
        if kind == "extra":
            print("in the PDF, not on the page: %s" % original)
        else:
            print("on the page, not in the PDF (in order): %s %s" % (kind, original))
    print("html_compare: %d differences (pdftotext mode %s)" % (len(found), mode))
    return 1


if __name__ == "__main__":
    sys.exit(main())
