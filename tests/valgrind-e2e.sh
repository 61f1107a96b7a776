#!/bin/sh
# valgrind-e2e.sh NIANBAO REPORT OUTDIR — the end-to-end build under valgrind:
# no invalid read or write, no use of uninitialised memory, and nothing leaked
# (definitely, indirectly or possibly lost; memory still reachable at exit is
# not a leak). Twice: with an empty font cache (fontconfig is started, as on
# a machine's first build) and with the cache that run wrote. Registered with
# ctest for the build without sanitizers (valgrind cannot run a program built
# with AddressSanitizer).
set -eu
if ! command -v valgrind >/dev/null 2>&1; then
  echo "valgrind is not installed: skipped"
  exit 77
fi
rm -rf "$3"
mkdir -p "$3"
export XDG_CACHE_HOME="$3/cache"
for run in "empty font cache" "font cache kept"; do
  echo "== $run"
  valgrind --quiet --num-callers=40 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
           --suppressions="$(dirname "$0")/valgrind-fontconfig.supp" \
           --error-exitcode=1 "$1" build "$2" -o "$3/out"
done
