#!/usr/bin/env python3
"""html_browser.py — the web pages as a browser draws them (headless Chromium).

Usage: html_browser.py WORKDIR PAGE.html...

For each page, at 1280 px (a desktop) and at 390 px wide (a phone held
upright):
  - the document is no wider than the window: the page never scrolls
    sideways; a table wider than the phone scrolls inside its own box
    (the widths of the boxes and of what they hold are printed);
  - a screenshot, WORKDIR/<page>-<width>.png, to look at;
and once, printed to PDF by the browser: every page A4 (the print
stylesheet), WORKDIR/<page>-print.pdf.

Headless Chromium lays out no window narrower than 500 px, so each page is
shown in a frame of the width wanted, in a wrapper page
(WORKDIR/<page>-<width>-*.html); the wrapper's small script measures the
page in its frame. The published page itself has no script.

Exit status: 0 all good, 1 a failure (printed), 77 Chromium is not installed.
"""
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--mute-audio"]

# Headless Chromium lays a page out at least 500 px wide whatever the window:
# the page is shown in a frame of the width wanted (srcdoc: the wrapper's own
# origin, so its script may measure inside), at the top left of the window.
FRAME = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><style>body{margin:0}iframe{display:block;border:0}</style>
</head><body><iframe id="page" style="width:%dpx;height:%dpx" srcdoc="%s"></iframe>
%s</body></html>
"""

MEASURE = """<script>
document.getElementById("page").addEventListener("load", function () {
  var w = this.contentWindow, d = w.document.documentElement;
  var boxes = [].map.call(w.document.querySelectorAll(".nb-scroll"), function (b) {
    return [b.scrollWidth, b.clientWidth];
  });
  var out = document.createElement("pre");
  out.id = "nb-measure";
  out.hidden = true;
  out.textContent = JSON.stringify({width: d.scrollWidth, viewport: w.innerWidth,
                                    height: d.scrollHeight, boxes: boxes});
  document.body.appendChild(out);
});
</script>
"""

failures = []


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        exe = shutil.which(name)
        if exe:
            return exe
    return None


def run(exe, profile, args, timeout=120):
    cmd = [exe, *FLAGS, "--user-data-dir=" + profile, *args]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    if r.returncode != 0:
        failures.append("chromium failed (%d): %s" % (r.returncode, " ".join(args)))
    return r.stdout.decode("utf-8", "replace")


def framed(page, workdir, width, height, script, tag):
    """A wrapper page showing `page` in a frame `width` × `height` px."""
    with open(page, encoding="utf-8") as f:
        text = f.read()
    path = os.path.join(workdir, "%s-%d-%s.html" % (os.path.basename(page)[:-5], width, tag))
    with open(path, "w", encoding="utf-8") as f:
        f.write(FRAME % (width, height, html.escape(text, quote=True), script))
    return "file://" + os.path.abspath(path)


def measure(exe, profile, page, workdir, width):
    url = framed(page, workdir, width, 900, MEASURE, "measure")
    dom = run(exe, profile, ["--window-size=%d,900" % max(width, 500),
                             "--virtual-time-budget=5000", "--dump-dom", url])
    m = re.search(r'<pre id="nb-measure" hidden="">([^<]*)</pre>', dom)
    if not m:
        failures.append("%s at %d px: no measurement in the page" % (page, width))
        return None
    return json.loads(html.unescape(m.group(1)))


def check_width(page, width, got):
    boxes = ", ".join("%d in %d" % (inner, outer) for inner, outer in got["boxes"])
    print("%s at %d px: document %d px wide in a %d px window, %d px tall; table boxes "
          "(content in box): %s" % (os.path.basename(page), width, got["width"],
                                    got["viewport"], got["height"], boxes or "none"))
    if got["width"] > got["viewport"]:
        failures.append("%s at %d px: the document is %d px wide, wider than the window "
                        "(%d px): the page scrolls sideways"
                        % (page, width, got["width"], got["viewport"]))
    for inner, outer in got["boxes"]:
        if outer > got["viewport"]:
            failures.append("%s at %d px: a table box is %d px wide, wider than the window"
                            % (page, width, outer))


def screenshot(exe, profile, page, workdir, width, height):
    png = os.path.join(workdir, "%s-%d.png" % (os.path.basename(page)[:-5], width))
    height = min(max(height, 600), 16000)
    url = framed(page, workdir, width, height, "", "shot")
    run(exe, profile, ["--window-size=%d,%d" % (width, height), "--screenshot=" + png, url])
    if not os.path.exists(png):
        failures.append("%s: no screenshot at %d px" % (page, width))


def printed(exe, profile, page, workdir):
    pdf = os.path.join(workdir, os.path.basename(page)[:-5] + "-print.pdf")
    run(exe, profile, ["--no-pdf-header-footer", "--print-to-pdf=" + pdf,
                       "file://" + os.path.abspath(page)])
    if not os.path.exists(pdf):
        failures.append("%s: the browser printed nothing" % page)
        return
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", pdf], stdout=subprocess.PIPE,
                          check=True).stdout.decode()
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    for i, (w, h) in enumerate(sizes):
        if (round(float(w)), round(float(h))) != (595, 842):
            failures.append("%s printed: page %d is %s x %s pt, not A4 portrait"
                            % (page, i + 1, w, h))
    print("%s printed by the browser: %d A4 pages" % (os.path.basename(page), len(sizes)))


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    exe = chromium()
    if not exe:
        print("chromium is not installed (Debian package chromium): skipped")
        return 77
    workdir = sys.argv[1]
    os.makedirs(workdir, exist_ok=True)
    for page in sys.argv[2:]:
        with tempfile.TemporaryDirectory() as profile:
            for width in (1280, 390):
                got = measure(exe, profile, page, workdir, width)
                if got:
                    check_width(page, width, got)
                    screenshot(exe, profile, page, workdir, width, got["height"])
            printed(exe, profile, page, workdir)
    for f in failures:
        print(f)
    print("screenshots in %s" % workdir)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
