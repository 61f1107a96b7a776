#!/usr/bin/env python3
"""seed_compare.py — does a generated PDF say everything the seed report says?

Usage: seed_compare.py SEED.txt REPORT.pdf [--mode raw|layout|plain|any] [-v]

The seed is a real report's text as published (one paragraph or heading per
line, table rows written as `| cell | cell | cell |`). The PDF is what nianbao
made from the sample YAML. Every sentence of the seed and every table row must
appear in the PDF's text, in the seed's order.

Both texts are compared after NFKC normalisation (the seed went through a
conversion that turned full-width ，（）：； into half-width ones; the sample
uses the full-width punctuation of a real publication) and with all whitespace
removed (the PDF breaks lines anywhere; the seed has stray spaces). A table
row counts as its cells concatenated left to right. Page numbers (`— 3 —`)
are dropped from the PDF text so that a sentence running over a page break
still matches.

pdftotext can order a table's text in several ways, so by default each of its
modes is tried (`any`) and the comparison passes if one of them holds
everything; otherwise what is missing under the closest mode is printed.

Exit status: 0 all found, 1 something missing, 2 usage or tool error.
"""

import argparse
import re
import subprocess
import sys
import unicodedata

SENTENCE_END = "。！？"
PAGE_NUMBER_LINE = re.compile(r"^\s*[-—–－]*\s*\d+\s*[-—–－]*\s*$")
PDFTOTEXT_MODES = {"raw": ["-raw"], "layout": ["-layout"], "plain": []}


def normalise(text):
    """NFKC, then no whitespace at all."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def table_cells(line):
    """Cells of a `| a | b |` row, in order (the empty ones dropped)."""
    cells = line.strip().strip("|").split("|")
    return [c.strip() for c in cells if c.strip()]


def split_sentences(line):
    """A seed line cut after each sentence-ending mark; the rest of the line
    (a heading, `全年工作开展情况:`) is a piece of its own."""
    pieces, start = [], 0
    for i, ch in enumerate(line):
        if ch in SENTENCE_END:
            pieces.append(line[start:i + 1])
            start = i + 1
    pieces.append(line[start:])
    return [p for p in pieces if p.strip()]


def seed_items(path):
    """(line number, kind, original text, normalised text) for every
    sentence and table row of the seed, in reading order."""
    items = []
    with open(path, encoding="utf-8-sig") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            if line.lstrip().startswith("|"):
                text = "".join(table_cells(line))
                if normalise(text):
                    items.append((number, "row", line.strip(), normalise(text)))
                continue
            for sentence in split_sentences(line):
                key = normalise(sentence)
                if key:
                    items.append((number, "sentence", sentence.strip(), key))
    return items


def fail(message):
    print("seed_compare: " + message, file=sys.stderr)
    sys.exit(2)


def pdf_text(pdf, mode):
    """The PDF's text under one pdftotext mode, page numbers removed."""
    cmd = ["pdftotext", "-enc", "UTF-8", *PDFTOTEXT_MODES[mode], pdf, "-"]
    try:
        out = subprocess.run(cmd, check=True, capture_output=True).stdout
    except FileNotFoundError:
        fail("pdftotext not found (Debian package poppler-utils)")
    except subprocess.CalledProcessError as e:
        fail("pdftotext failed on %s: %s"
             % (pdf, e.stderr.decode("utf-8", "replace").strip()))
    text = out.decode("utf-8", "replace")
    lines = [l for l in text.replace("\f", "\n").split("\n")
             if not PAGE_NUMBER_LINE.match(l)]
    return normalise("\n".join(lines))


def missing_items(items, haystack):
    """Items not found in order. A missing item does not move the cursor, so
    one omission does not hide everything after it."""
    missing, cursor = [], 0
    for item in items:
        at = haystack.find(item[3], cursor)
        if at < 0:
            elsewhere = haystack.find(item[3]) >= 0
            missing.append((item, elsewhere))
        else:
            cursor = at + len(item[3])
    return missing


def closest_mode(pdf, mode, find_missing):
    """(mode, missing, text) for the pdftotext mode under which the fewest
    items are missing; `mode` "any" tries every mode, stopping at one that
    misses nothing. `find_missing(text)` lists what `text` lacks."""
    modes = list(PDFTOTEXT_MODES) if mode == "any" else [mode]
    best = None
    for m in modes:
        text = pdf_text(pdf, m)
        missing = find_missing(text)
        if best is None or len(missing) < len(best[1]):
            best = (m, missing, text)
        if not missing:
            break
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("seed")
    ap.add_argument("pdf")
    ap.add_argument("--mode", choices=["any", *PDFTOTEXT_MODES], default="any",
                    help="pdftotext mode (default: try each)")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="print the PDF text that was searched")
    args = ap.parse_args()

    try:
        items = seed_items(args.seed)
    except OSError as e:
        fail(str(e))
    if not items:
        fail("%s holds no text" % args.seed)

    mode, missing, text = closest_mode(args.pdf, args.mode,
                                       lambda text: missing_items(items, text))
    if args.verbose:
        print(text)
    rows = sum(1 for i in items if i[1] == "row")
    if not missing:
        print("seed_compare: all %d sentences and %d table rows of %s found "
              "in order in %s (pdftotext mode %s)"
              % (len(items) - rows, rows, args.seed, args.pdf, mode))
        return 0
    for (line, kind, original, _), elsewhere in missing:
        where = " (present, but out of order)" if elsewhere else ""
        print("%s:%d: %s missing%s: %s" % (args.seed, line, kind, where, original))
    print("seed_compare: %d of %d items missing (pdftotext mode %s)"
          % (len(missing), len(items), mode))
    return 1


if __name__ == "__main__":
    sys.exit(main())
