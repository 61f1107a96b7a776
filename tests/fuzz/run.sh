#!/usr/bin/env bash
# tests/fuzz/run.sh DURATION [HARNESS...]
#
# Builds the libFuzzer harnesses (build-fuzz/, clang, -DNB_FUZZ=ON), makes
# their seed corpora from the samples and templates, and runs each harness
# for DURATION seconds, JOBS (default 2) at a time. Prints, per harness, the
# executions, the coverage (edges reached of the edges instrumented) and the
# corpus; exits 1 if any harness found a crash, a leak, a timeout or ran out
# of memory. Findings are left in build-fuzz/fuzz-artifacts/<harness>/; once
# fixed, a finding goes to tests/fuzz/crashes/<harness>/ (replayed by ctest).
#
# Needs clang-14 and libclang-rt-14-dev (apt-get install clang-14
# libclang-rt-14-dev); not part of the default test run.
set -euo pipefail

duration=${1:?usage: tests/fuzz/run.sh DURATION [HARNESS...]}
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${NB_FUZZ_BUILD:-$root/build-fuzz}
jobs=${JOBS:-2}
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(fuzz_yaml fuzz_markup fuzz_template fuzz_layout fuzz_font)

cmake -S "$root" -B "$build" -DNB_FUZZ=ON -DCMAKE_C_COMPILER="${CC:-clang}" \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
# nianbao itself (uninstrumented) renders the sample for the markup and layout seeds
cmake --build "$build" --target "${harnesses[@]}" nianbao -j "$jobs" >/dev/null

work=$build/fuzz-run
mkdir -p "$work"

# ---- seed corpora ----
sample=$root/samples/taoyuan-2017.yaml
rendered=$work/rendered-$$.md
# --lenient: the report's own wording (wording:) is prepared by the build, not
# by `render`; what it leaves blank does not matter to a seed
"$build/nianbao" render "$root/templates/gov-2014/report.mustache" --data "$sample" \
    --partials "$root/templates/_base" --lenient > "$rendered"

seeds_fuzz_yaml() {
  local out=$1 f
  for f in "$root"/samples/*.yaml "$root"/templates/*/format.yaml "$root"/fonts/fonts.yaml \
           "$root"/tests/bad-input/*/input.yaml; do
    [ -f "$f" ] && cp "$f" "$out/$(echo "$f" | tr / _)"
  done
}

# The rendered sample whole, and cut before each `## ` heading into pieces
# (small inputs run faster and mutate better).
split_rendered() {
  awk -v out="$1" '/^## / { n++ } { print > sprintf("%s/section-%02d", out, n) }' "$rendered"
}

seeds_fuzz_markup() {
  local out=$1
  cp "$rendered" "$out/rendered.md"
  split_rendered "$out"
}

# byte 0 = options (see fuzz_template.c), the template; the data is the
# sample unless a NUL and YAML follow
seeds_fuzz_template() {
  local out=$1 t s
  for t in "$root"/templates/*/*.mustache; do
    { printf '\000'; cat "$t"; } > "$out/$(basename "$(dirname "$t")")-$(basename "$t")"
  done
  # each sample with its own format's template, the data given inline
  for s in "$root"/samples/*.yaml; do
    t=$root/templates/$(sed -n 's/^format: *\([^ #]*\).*/\1/p' "$s" | head -1)/report.mustache
    [ -f "$t" ] && { printf '\000'; cat "$t"; printf '\000'; cat "$s"; } > "$out/with-$(basename "$s")"
  done
  # the one-line templates of format.yaml (titles, lead and foot lines), unescaped
  grep -hoE '"[^"]*\{\{[^"]*"' "$root"/templates/*/format.yaml | tr -d '"' | nl -ba |
  while read -r n line; do printf '\002%s' "$line" > "$out/format-line-$n"; done
  printf '\000{{>p}}\000partials:\n  p: "a{{>q}}"\n  q: "b{{>p}}"\n' > "$out/partials-loop"
  printf '\000{{<base}}{{$body}}x{{/body}}{{/base}}\000partials:\n  base: "[{{$body}}{{/body}}]"\nyear: 2017\n' \
    > "$out/inheritance"
  printf '\000{{#list}}{{@index | cn}}、{{name}}{{^@last}}；{{/@last}}{{/list}}\000list: [{name: 甲}, {name: 乙}]\n' \
    > "$out/section-helpers"
}

# byte 0 even: markup; odd: a block per line (see fuzz_layout.c)
seeds_fuzz_layout() {
  local out=$1 f
  split_rendered "$out"
  for f in "$out"/section-*; do
    { printf '\000'; cat "$f"; } > "$f.md" && rm "$f"
  done
  { printf '\001'; tr -d '#>*' < "$rendered"; } > "$out/lines"
}

# small subsets of a TrueType font, a CID-keyed CFF (FandolFang) and Noto
# Sans CJK, and their damaged variants (see fuzz_font.c)
seeds_fuzz_font() {
  cp "$root/tests/fuzz/crashes/fuzz_font/"* "$1/"
}

for h in "${harnesses[@]}"; do
  rm -rf "${work:?}/$h"
  mkdir -p "$work/$h/seeds" "$work/$h/corpus" "$work/$h/artifacts"
  "seeds_$h" "$work/$h/seeds"
done

# ---- running ----
run_one() {
  local h=$1
  # ASan's leak check runs after every input; UBSan stops at the first finding.
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
  LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0" \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  "$build/tests/fuzz/$h" -max_total_time="$duration" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$work/$h/artifacts/" \
      "$work/$h/corpus" "$work/$h/seeds" > "$work/$h/log" 2>&1 || true
}

running=0
for h in "${harnesses[@]}"; do
  echo "fuzzing $h for $duration s (log: $work/$h/log)"
  run_one "$h" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
done
wait

# ---- summary ----
found=0
printf '\n%-14s %12s %10s %14s %9s %8s  %s\n' harness executions exec/s "coverage" features corpus findings
for h in "${harnesses[@]}"; do
  log=$work/$h/log
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  edges=$(sed -n 's/.*INFO: Loaded [0-9]* modules *(\([0-9]*\) inline 8-bit counters).*/\1/p' "$log" | head -1)
  last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1)
  cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
  ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
  corp=$(echo "$last" | sed -n 's/.*corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p')
  artifacts=$(find "$work/$h/artifacts" -type f | wc -l)
  if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY: ' "$log"; then
    artifacts=$((artifacts > 0 ? artifacts : 1))
  fi
  pct=""
  [ -n "$edges" ] && [ -n "$cov" ] && pct=$(awk -v c="$cov" -v e="$edges" 'BEGIN{printf "%.1f%%", 100*c/e}')
  printf '%-14s %12s %10s %14s %9s %8s  %s\n' "$h" "${execs:-?}" "${speed:-?}" \
         "${cov:-?}/${edges:-?} ${pct}" "${ft:-?}" "${corp:-?}" "$artifacts"
  [ "$artifacts" -eq 0 ] || found=1
done
if [ "$found" -ne 0 ]; then
  echo "findings: see $work/<harness>/log and $work/<harness>/artifacts/"
  exit 1
fi
echo "no crash, leak, timeout or out-of-memory in any harness"
