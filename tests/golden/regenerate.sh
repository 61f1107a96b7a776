#!/bin/sh
# Rewrite the golden outputs (tests/golden/taoyuan-2017.*) from the current
# build, on purpose, after a change that is meant to change them:
#
#   tests/golden/regenerate.sh [NIANBAO]     # default: build/nianbao
#
# then read `git diff tests/golden/` — every changed row, string and word box
# should be one the change meant — and commit it with the change.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
nianbao=${1:-$here/../../build/nianbao}
/usr/bin/python3 "$here/outputs.py" "$nianbao" "$here"
git -C "$here" diff --stat -- . || true
