#!/bin/sh
# html-browser.sh NIANBAO PYTHON OUTDIR — build both samples and draw their
# web pages in headless Chromium (html_browser.py): no sideways scrolling at
# 390 px, screenshots at 1280 and 390 px and the browser's A4 print left in
# OUTDIR/shots to look at. Skipped (77) without Chromium.
set -eu
here=$(dirname "$0")
if ! command -v chromium >/dev/null 2>&1; then
  echo "chromium is not installed: skipped"
  exit 77
fi
rm -rf "$3"
mkdir -p "$3"
"$1" build "$here/../samples/huaian-2024.yaml" "$here/../samples/taoyuan-2017.yaml" -o "$3" >/dev/null
"$2" "$here/html_browser.py" "$3/shots" "$3/huaian-2024.html" "$3/taoyuan-2017.html"
