#!/usr/bin/env python3
"""huaian_compare.py — does the PDF of samples/huaian-2024.yaml say everything
the published 淮安市人民政府2024年政府信息公开工作年度报告 says?

Usage: huaian_compare.py HUAIAN.txt REPORT.pdf [--mode raw|layout|plain|any] [-v]

HUAIAN.txt is tests/data/huaian-2024.txt: a header (出处, 抽取方式 …)
up to the line `==== 正文 ====`, then the report, one paragraph or heading per
line, its tables transcribed cell by cell:

  - a data row is `label | figure | figure …`; a label under a merged group
    cell is written as its path, `三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密`;
  - a column-header line starts with `[列]` and flattens the merged headers
    (`法人或其他组织：商业企业`, `行政诉讼·复议后起诉：结果维持`); groups of
    columns are separated by `||`.

What must be found, after NFKC and with all whitespace removed (as in
seed_compare.py, whose text functions this script shares):

  - every sentence of every paragraph, in order;
  - every data row — the innermost label (a merged group label is drawn once,
    left of its rows) followed by the row's cells — in order;
  - every word of every `[列]` header line, somewhere in the PDF (merged header
    cells are drawn in the order of the grid, not in the flattened order).

One deviation of the published report from the format is normalised before
comparing (formats.md §1.10): its （六）其他处理 items are numbered `1、` where
the format (and so the sample's table) numbers them `1.`.

Exit status: 0 all found, 1 something missing, 2 usage or tool error.
"""

import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seed_compare import PDFTOTEXT_MODES, closest_mode, missing_items, normalise, split_sentences  # noqa: E402

BODY_MARK = "==== 正文 ===="
ITEM_NUMBER = re.compile(r"^(\d+)、")


def body_lines(path):
    """(line number, text) of the report's body, after the header."""
    with open(path, encoding="utf-8-sig") as f:
        lines = f.read().split("\n")
    for i, line in enumerate(lines):
        if BODY_MARK in line:
            return [(n + 1, l.rstrip()) for n, l in enumerate(lines) if n > i and l.strip()]
    raise ValueError("%s has no line %r" % (path, BODY_MARK))


def header_words(line):
    """The words of a `[列]` line: every header text, merged or not."""
    text = line.replace("[列]", "")
    return [w.strip() for w in re.split(r"\|\|?|：|·", text) if w.strip()]


def row_text(line):
    """A data row as the PDF draws it: innermost label, then its cells."""
    cells = [c.strip() for c in line.replace("||", "|").split("|")]
    label = cells[0].split(" / ")[-1].strip()
    label = ITEM_NUMBER.sub(r"\1.", label)
    return "".join([label] + cells[1:])


def reference_items(path):
    """(line, kind, original, normalised) in reading order, and the header
    words that must appear somewhere."""
    items, words = [], []
    for number, line in body_lines(path):
        if line.startswith("[列]"):
            words += [(number, "header", w, normalise(w)) for w in header_words(line)]
        elif "|" in line:
            items.append((number, "row", line, normalise(row_text(line))))
        else:
            for sentence in split_sentences(line):
                if normalise(sentence):
                    items.append((number, "sentence", sentence.strip(), normalise(sentence)))
    return items, words


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("reference")
    ap.add_argument("pdf")
    ap.add_argument("--mode", choices=["any", *PDFTOTEXT_MODES], default="any")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    try:
        items, words = reference_items(args.reference)
    except (OSError, ValueError) as e:
        print("huaian_compare: %s" % e, file=sys.stderr)
        return 2

    def find_missing(text):
        return missing_items(items, text) + [(w, False) for w in words if w[3] not in text]

    mode, missing, text = closest_mode(args.pdf, args.mode, find_missing)
    if args.verbose:
        print(text)
    rows = sum(1 for i in items if i[1] == "row")
    if not missing:
        print("huaian_compare: all %d sentences, %d table rows and %d header cells of %s "
              "found in %s (pdftotext mode %s)"
              % (len(items) - rows, rows, len(words), args.reference, args.pdf, mode))
        return 0
    for (line, kind, original, _), elsewhere in missing:
        where = " (present, but out of order)" if elsewhere else ""
        print("%s:%d: %s missing%s: %s" % (args.reference, line, kind, where, original))
    print("huaian_compare: %d of %d items missing (pdftotext mode %s)"
          % (len(missing), len(items) + len(words), mode))
    return 1


if __name__ == "__main__":
    sys.exit(main())
