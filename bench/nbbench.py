#!/usr/bin/env python3
"""nbbench — how fast nianbao builds, and how that grows (issue 9).

Run by hand from the repository (not part of the test suite):

    bench/nbbench.py                       # everything, with build/nianbao
    bench/nbbench.py --nianbao build-x/nianbao --only samples,preview
    bench/nbbench.py --help

Every measurement runs `nianbao` as a whole process, as a user runs it:
wall time from spawn to exit, CPU time (user + system) and peak resident
memory from wait4(2), the program's own stage times from `--timings`, and
the sizes of what it wrote. A figure is the median of --runs runs after one
warm-up run. Only the Python standard library is used.

Sections (--only):
  samples  the seed sample (gov-2014) and the 2021 sample (gov-2021)
  preview  `nianbao preview` of the seed sample, once per process and as
           `preview --watch` rebuilds on each save
  scaling  synthetic reports of 1x, 10x and 100x the seed's narrative and
           table rows (a synthetic format folder, NIANBAO_HOME in a temp dir)
  batch    500 synthetic units in one `nianbao build ... -j N` run
"""

import argparse
import os
import platform
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED_SAMPLE = os.path.join(ROOT, "samples", "taoyuan-2017.yaml")
SAMPLE_2021 = os.path.join(ROOT, "samples", "huaian-2024.yaml")

# The targets of issue 9 (and issue 5 for the preview).
TARGET_SEED_WALL_MS = 35.0
TARGET_SEED_RSS_MB = 40.0
TARGET_SEED_PDF_KB = 266.0
TARGET_BATCH_S = 10.0
TARGET_SCALE_TIME = 120.0  # 100x the input within 120x the time
TARGET_PREVIEW_MS = 100.0


# ---- running nianbao ------------------------------------------------------

class Run:
    """One finished process: wall and CPU seconds, peak RSS, its output."""

    def __init__(self, argv, status, wall, cpu, rss_kb, stdout, stderr):
        self.argv, self.status = argv, status
        self.wall, self.cpu, self.rss_kb = wall, cpu, rss_kb
        self.stdout, self.stderr = stdout, stderr

    def stages(self):
        """The stage times (ms) of the --timings line(s), summed over reports."""
        total = {}
        for m in re.finditer(r"timings \(ms\):((?: \w+ [\d.]+)+)", self.stderr):
            words = m.group(1).split()
            for name, value in zip(words[0::2], words[1::2]):
                total[name] = total.get(name, 0.0) + float(value)
        return total


def spawn(argv, env=None, scratch=None):
    """Run argv to completion; stdout and stderr go to files in `scratch`
    (a pipe could fill up and stall the program being timed)."""
    scratch = scratch or tempfile.gettempdir()
    out_path = os.path.join(scratch, ".nbbench.stdout")
    err_path = os.path.join(scratch, ".nbbench.stderr")
    out_fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    err_fd = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    actions = [(os.POSIX_SPAWN_DUP2, out_fd, 1), (os.POSIX_SPAWN_DUP2, err_fd, 2)]
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env if env is not None else os.environ,
                         file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    os.close(out_fd)
    os.close(err_fd)
    with open(out_path, encoding="utf-8", errors="replace") as f:
        stdout = f.read()
    with open(err_path, encoding="utf-8", errors="replace") as f:
        stderr = f.read()
    code = os.waitstatus_to_exitcode(status)
    # wait4 reports the child together with the children it waited for
    # (the workers of a batch): CPU is their sum, maxrss the largest.
    return Run(argv, code, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss,
               stdout, stderr)


def run_ok(argv, env=None, scratch=None):
    r = spawn(argv, env, scratch)
    if r.status != 0:
        sys.exit("nbbench: `%s` failed with status %d:\n%s%s" %
                 (" ".join(argv), r.status, r.stdout, r.stderr))
    return r


class Series:
    """Medians of repeated runs of one command."""

    def __init__(self, runs):
        self.runs = runs
        self.wall = statistics.median(r.wall for r in runs)
        self.cpu = statistics.median(r.cpu for r in runs)
        self.rss_kb = statistics.median(r.rss_kb for r in runs)
        self.wall_min = min(r.wall for r in runs)
        names = []
        for r in runs:
            for n in r.stages():
                if n not in names:
                    names.append(n)
        self.stages = {n: statistics.median(r.stages().get(n, 0.0) for r in runs)
                       for n in names}


def repeat(argv, runs, env=None, scratch=None, warmup=1):
    for _ in range(warmup):
        run_ok(argv, env, scratch)
    return Series([run_ok(argv, env, scratch) for _ in range(runs)])


# ---- printing -------------------------------------------------------------

def ms(seconds):
    return "%.1f ms" % (seconds * 1e3)


def mb(kb):
    return "%.1f MB" % (kb / 1024.0)


def kb(nbytes):
    return "%.1f KB" % (nbytes / 1024.0)


def verdict(ok):
    return "PASS" if ok else "FAIL"


def stage_line(stages):
    order = ["source", "check", "template", "markup", "layout", "pdf", "xlsx", "total"]
    names = [n for n in order if n in stages] + [n for n in stages if n not in order]
    return "  ".join("%s %.1f" % (n, stages[n]) for n in names)


def table(rows):
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    for k, r in enumerate(rows):
        print("  " + "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                               for i, (c, w) in enumerate(zip(r, widths))))
        if k == 0:
            print("  " + "  ".join("-" * w for w in widths))


def file_size(path):
    return os.path.getsize(path) if os.path.exists(path) else 0


# ---- section: the samples -------------------------------------------------

def bench_sample(nianbao, sample, runs, work):
    out = os.path.join(work, "samples")
    name = os.path.splitext(os.path.basename(sample))[0]
    s = repeat([nianbao, "build", sample, "-o", out, "--timings"], runs, scratch=work)
    pdf = file_size(os.path.join(out, name + ".pdf"))
    xlsx = file_size(os.path.join(out, name + ".xlsx"))
    pages = re.search(r"(\d+) pages", s.runs[-1].stdout)
    print("%s (%s pages): `nianbao build %s -o DIR --timings`, median of %d runs"
          % (name, pages.group(1) if pages else "?", os.path.relpath(sample, ROOT), runs))
    print("  wall %s (fastest %s)   CPU %s   peak RSS %s   PDF %s   XLSX %s"
          % (ms(s.wall), ms(s.wall_min), ms(s.cpu), mb(s.rss_kb), kb(pdf), kb(xlsx)))
    print("  stages (ms, the program's own timers): %s" % stage_line(s.stages))
    return s, pdf, xlsx


def section_samples(args, work):
    print("== samples: PDF + XLSX, one report per process ==")
    seed, pdf, _ = bench_sample(args.nianbao, SEED_SAMPLE, args.runs, work)
    print()
    if os.path.exists(SAMPLE_2021):
        bench_sample(args.nianbao, SAMPLE_2021, args.runs, work)
        print()
    print("targets (seed sample):")
    print("  wall %s < %.0f ms: %s" % (ms(seed.wall), TARGET_SEED_WALL_MS,
                                      verdict(seed.wall * 1e3 < TARGET_SEED_WALL_MS)))
    print("  peak RSS %s < %.0f MB: %s" % (mb(seed.rss_kb), TARGET_SEED_RSS_MB,
                                          verdict(seed.rss_kb / 1024 < TARGET_SEED_RSS_MB)))
    print("  PDF %s < %.0f KB: %s" % (kb(pdf), TARGET_SEED_PDF_KB,
                                     verdict(pdf / 1024 < TARGET_SEED_PDF_KB)))
    print("  (Typst 0.14, same document: 0.70 s, 149 MiB; %.0fx faster)"
          % (0.70 / seed.wall))
    print()


# ---- section: preview -----------------------------------------------------

def watch_rebuilds(nianbao, sample, count, work):
    """Start `preview --watch` on a copy of the sample, save the copy `count`
    times, and return the rebuild times (ms) the program reports."""
    src = os.path.join(work, "watch")
    os.makedirs(src, exist_ok=True)
    report = os.path.join(src, os.path.basename(sample))
    shutil.copyfile(sample, report)
    proc = subprocess.Popen([nianbao, "preview", report, "-o", os.path.join(src, "out"),
                             "--watch"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)

    def next_line(timeout=20.0):
        ready, _, _ = select.select([proc.stdout], [], [], timeout)
        if not ready:
            raise TimeoutError("preview --watch printed nothing for %.0f s" % timeout)
        return proc.stdout.readline()

    times = []
    try:
        next_line()  # the first build
        with open(sample, encoding="utf-8") as f:
            text = f.read()
        for i in range(count):
            time.sleep(0.15)  # beyond the watcher's debounce of bursts
            with open(report, "w", encoding="utf-8") as f:
                f.write(text + "\n# save %d\n" % i)
            line = next_line()
            m = re.search(r"rebuilt in (\d+) ms", line)
            if not m:
                raise RuntimeError("unexpected line from preview --watch: " + line)
            times.append(float(m.group(1)))
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return times


def section_preview(args, work):
    print("== preview: the draft of the seed sample ==")
    out = os.path.join(work, "preview")
    s = repeat([args.nianbao, "preview", SEED_SAMPLE, "-o", out, "--timings"], args.runs,
               scratch=work)
    own = s.stages.get("total", 0.0)
    print("`nianbao preview %s -o DIR --timings`, median of %d runs"
          % (os.path.relpath(SEED_SAMPLE, ROOT), args.runs))
    print("  wall %s   CPU %s   peak RSS %s   draft PDF %s"
          % (ms(s.wall), ms(s.cpu), mb(s.rss_kb),
             kb(file_size(os.path.join(out, "taoyuan-2017.draft.pdf")))))
    print("  program's own time %.1f ms (%s)" % (own, stage_line(s.stages)))
    rebuilds = watch_rebuilds(args.nianbao, SEED_SAMPLE, args.runs, work)
    print("`nianbao preview --watch`: %d saves, rebuilt in median %.0f ms (min %.0f, max %.0f)"
          % (len(rebuilds), statistics.median(rebuilds), min(rebuilds), max(rebuilds)))
    print("target: a preview rebuild well under %.0f ms of the program's own time: "
          "%.1f ms once, %.0f ms in --watch: %s"
          % (TARGET_PREVIEW_MS, own, statistics.median(rebuilds),
             verdict(own < TARGET_PREVIEW_MS and statistics.median(rebuilds) < TARGET_PREVIEW_MS)))
    print()


# ---- synthetic reports ----------------------------------------------------

def indent_of(line):
    return len(line) - len(line.lstrip(" "))


def is_content(line):
    s = line.strip()
    return s != "" and not s.startswith("#")


def block_after(lines, index):
    """The lines after the mapping key at lines[index] that belong to its
    value: everything more indented, without trailing blank or comment lines."""
    base = indent_of(lines[index])
    end = index + 1
    while end < len(lines) and (not is_content(lines[end]) or indent_of(lines[end]) > base):
        end += 1
    while end > index + 1 and not is_content(lines[end - 1]):
        end -= 1
    return index + 1, end


def find_key(lines, key, indent, start=0):
    pattern = re.compile(r"^ {%d}%s:(\s|$)" % (indent, re.escape(key)))
    for i in range(start, len(lines)):
        if pattern.match(lines[i]):
            return i
    raise KeyError("nbbench: no '%s:' at indent %d in the seed sample" % (key, indent))


def repeat_list(lines, path, times):
    """Repeat the items of the list at `path` (keys at indents 0, 2, 4, ...)."""
    at = 0
    for depth, key in enumerate(path):
        at = find_key(lines, key, 2 * depth, at)
    first, end = block_after(lines, at)
    return lines[:first] + lines[first:end] * times + lines[end:]


def synthetic_report(sample_text, narrative, tables, format_name):
    """The seed sample with `narrative` times its narrative lists and `tables`
    times its statistics (copies under stats.x1, stats.x2, ...)."""
    lines = sample_text.split("\n")
    lines[0] = "format: " + format_name
    lines = repeat_list(lines, ["sections"], narrative)
    stats = find_key(lines, "stats", 0)
    first, end = block_after(lines, stats)
    body = [l.replace("&trainees ", "") for l in lines[first:end]]
    copies = []
    for i in range(1, tables):
        copies.append("  x%d:" % i)
        copies.extend("  " + l if l.strip() else l for l in body)
    return "\n".join(lines[:end] + copies + lines[end:])


def synthetic_format(format_text, tables, name):
    """gov-2014's format.yaml with its table rows and rules repeated for each
    copy of the statistics (keys under x1., x2., ...)."""
    lines = format_text.split("\n")
    lines[find_key(lines, "name", 0)] = "name: " + name
    rows = find_key(lines, "rows", 4)
    first, end = block_after(lines, rows)
    row_lines = lines[first:end]
    copies = []
    for i in range(1, tables):
        copies.extend(l.replace("key: ", "key: x%d." % i) for l in row_lines)
    lines = lines[:end] + copies + lines[end:]
    rules = find_key(lines, "rules", 0)
    first, end = block_after(lines, rules)
    rule_lines = lines[first:end]
    copies = []
    for i in range(1, tables):
        for l in rule_lines:
            l = l.replace("stats.", "stats.x%d." % i)
            l = re.sub(r"^(  - name: .*)$", r"\1（第%d份）" % (i + 1), l)
            copies.append(l)
    return "\n".join(lines[:end] + copies + lines[end:])


def make_home(work, name):
    """A data folder for NIANBAO_HOME: the repository's templates and fonts."""
    home = os.path.join(work, name)
    if not os.path.exists(home):
        shutil.copytree(os.path.join(ROOT, "templates"), os.path.join(home, "templates"))
        os.symlink(os.path.join(ROOT, "fonts"), os.path.join(home, "fonts"))
    return home


def add_format(home, tables, name):
    src = os.path.join(ROOT, "templates", "gov-2014")
    dst = os.path.join(home, "templates", name)
    if os.path.exists(dst):
        shutil.rmtree(dst)
    shutil.copytree(src, dst)
    with open(os.path.join(src, "format.yaml"), encoding="utf-8") as f:
        text = f.read()
    with open(os.path.join(dst, "format.yaml"), "w", encoding="utf-8") as f:
        f.write(synthetic_format(text, tables, name))


# ---- section: scaling ------------------------------------------------------

def section_scaling(args, work):
    print("== scaling: synthetic reports, 1x / 10x / 100x the seed's narrative and "
          "table rows ==")
    home = make_home(work, "home")
    env = dict(os.environ, NIANBAO_HOME=home)
    with open(SEED_SAMPLE, encoding="utf-8") as f:
        sample = f.read()
    factors = [int(x) for x in args.scales.split(",")]
    results = []
    for k in factors:
        name = "gov-2014-x%d" % k
        add_format(home, k, name)
        report = os.path.join(work, "scale-x%d.yaml" % k)
        with open(report, "w", encoding="utf-8") as f:
            f.write(synthetic_report(sample, k, k, name))
        out = os.path.join(work, "scale")
        runs = args.runs if k < 100 else max(3, args.runs // 3)
        s = repeat([args.nianbao, "build", report, "-o", out, "--timings"], runs, env=env,
                   scratch=work)
        pages = re.search(r"(\d+) pages", s.runs[-1].stdout)
        results.append((k, s, int(pages.group(1)) if pages else 0,
                        file_size(os.path.join(out, "scale-x%d.pdf" % k)),
                        file_size(os.path.join(out, "scale-x%d.xlsx" % k)),
                        os.path.getsize(report), runs))
    base = results[0]
    rows = [["size", "input", "pages", "runs", "wall", "CPU", "own time", "peak RSS", "PDF",
             "XLSX", "wall x", "CPU x", "RSS x"]]
    for k, s, pages, pdf, xlsx, size, runs in results:
        rows.append(["%dx" % k, kb(size), pages, runs, ms(s.wall), ms(s.cpu),
                     "%.1f ms" % s.stages.get("total", 0), mb(s.rss_kb), kb(pdf), kb(xlsx),
                     "%.1f" % (s.wall / base[1].wall), "%.1f" % (s.cpu / base[1].cpu),
                     "%.1f" % (s.rss_kb / base[1].rss_kb)])
    table(rows)
    print("  stages (ms):")
    for k, s, *_ in results:
        print("    %4dx  %s" % (k, stage_line(s.stages)))
    # Growth beyond the fixed cost of a process (start-up, fonts): what each
    # further copy of the content costs, compared between sizes.
    if len(results) >= 3:
        (k1, s1, *_), (k2, s2, *_), (k3, s3, *_) = results[:3]
        per2 = (s2.cpu - s1.cpu) / (k2 - k1)
        per3 = (s3.cpu - s1.cpu) / (k3 - k1)
        mem2 = (s2.rss_kb - s1.rss_kb) / (k2 - k1)
        mem3 = (s3.rss_kb - s1.rss_kb) / (k3 - k1)
        print("  CPU per added copy of the content: %s from %dx to %dx, %s from %dx to %dx "
              "(ratio %.2f; 1.00 = linear)" % (ms(per2), k1, k2, ms(per3), k1, k3,
                                                per3 / per2 if per2 > 0 else float("nan")))
        # Memory comes in whole huge pages (2 MiB, see generator/build.c):
        # a growth below a few of them says nothing about the rate.
        ratio = ("ratio %.2f" % (mem3 / mem2) if mem2 * (k2 - k1) >= 4096
                 else "too little growth from %dx to %dx for a ratio" % (k1, k2))
        print("  memory per added copy: %s from %dx to %dx, %s from %dx to %dx (%s)"
              % (mb(mem2), k1, k2, mb(mem3), k1, k3, ratio))
    last = results[-1]
    ratio_t = last[1].wall / base[1].wall
    ratio_m = last[1].rss_kb / base[1].rss_kb
    scale = last[0] / base[0]
    print("target: %dx the input within %.0fx the time: wall %.1fx, memory %.1fx: %s"
          % (scale, TARGET_SCALE_TIME * scale / 100, ratio_t, ratio_m,
             verdict(ratio_t <= TARGET_SCALE_TIME * scale / 100 and
                     ratio_m <= TARGET_SCALE_TIME * scale / 100)))
    print()


# ---- section: batch --------------------------------------------------------

PLACE_CHARACTERS = "安宁平和兴隆丰泰永新东西南北江河山川长乐清源德阳华明云青"


def unit_report(sample_text, i):
    a = PLACE_CHARACTERS[i % len(PLACE_CHARACTERS)]
    b = PLACE_CHARACTERS[(i // len(PLACE_CHARACTERS) + 7) % len(PLACE_CHARACTERS)]
    region = a + b + "县"
    text = sample_text.replace("桃源县", region)
    text = text.replace("total: 135000", "total: %d" % (135000 + i), 1)
    text = text.replace("trainees: 300", "trainees: %d" % (300 + i), 1)
    return text


def section_batch(args, work):
    n = args.units
    print("== batch: %d synthetic units (the seed sample with its names and figures "
          "varied), one run ==" % n)
    src = os.path.join(work, "units")
    out = os.path.join(work, "units-out")
    os.makedirs(src, exist_ok=True)
    with open(SEED_SAMPLE, encoding="utf-8") as f:
        sample = f.read()
    inputs = []
    for i in range(n):
        path = os.path.join(src, "unit-%04d.yaml" % (i + 1))
        with open(path, "w", encoding="utf-8") as f:
            f.write(unit_report(sample, i))
        inputs.append(path)
    argv = [args.nianbao, "build"] + inputs + ["-o", out, "-j", str(args.jobs)]
    r = run_ok(argv, scratch=work)
    built = sum(1 for i in range(n)
                if file_size(os.path.join(out, "unit-%04d.pdf" % (i + 1))) and
                file_size(os.path.join(out, "unit-%04d.xlsx" % (i + 1))))
    pdf_total = sum(file_size(os.path.join(out, "unit-%04d.pdf" % (i + 1))) for i in range(n))
    print("`nianbao build unit-0001.yaml … unit-%04d.yaml -o DIR -j %d`" % (n, args.jobs))
    print("  wall %.2f s   CPU %.2f s (all processes)   %.1f ms wall per unit   peak RSS of "
          "one process %s   %d of %d units written (%s of PDF)"
          % (r.wall, r.cpu, r.wall * 1e3 / n, mb(r.rss_kb), built, n, mb(pdf_total / 1024)))
    print("target: %d units under %.0f s with -j %d: %s"
          % (n, TARGET_BATCH_S * n / 500, args.jobs,
             verdict(r.wall < TARGET_BATCH_S * n / 500 and built == n)))
    print()


# ---- main ------------------------------------------------------------------

def describe_machine(nianbao):
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    load = os.getloadavg()
    print("nianbao benchmark — %s, %s, %d cores (%s); load average %.2f %.2f %.2f"
          % (time.strftime("%Y-%m-%d %H:%M"), platform.platform(terse=True),
             os.cpu_count() or 0, cpu, *load))
    print("program: %s" % nianbao)
    print()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--nianbao", default=os.path.join(ROOT, "build", "nianbao"),
                   help="the program to measure (default: build/nianbao)")
    p.add_argument("--runs", type=int, default=15,
                   help="timed runs per command, after one warm-up (default 15)")
    p.add_argument("--only", default="samples,preview,scaling,batch",
                   help="comma-separated sections (default: all)")
    p.add_argument("--scales", default="1,10,100", help="scaling factors (default 1,10,100)")
    p.add_argument("--units", type=int, default=500, help="batch units (default 500)")
    p.add_argument("--jobs", type=int, default=2, help="batch -j (default 2)")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = p.parse_args()
    args.nianbao = os.path.abspath(args.nianbao)
    if not os.access(args.nianbao, os.X_OK):
        sys.exit("nbbench: %s is not a program; build it first or pass --nianbao" %
                 args.nianbao)
    if args.runs < 1:
        sys.exit("nbbench: --runs must be at least 1")
    work = tempfile.mkdtemp(prefix="nbbench-")
    sections = {"samples": section_samples, "preview": section_preview,
                "scaling": section_scaling, "batch": section_batch}
    try:
        describe_machine(args.nianbao)
        for name in args.only.split(","):
            if name not in sections:
                sys.exit("nbbench: unknown section '%s' (known: %s)" %
                         (name, ", ".join(sections)))
            sections[name](args, work)
            sys.stdout.flush()
    finally:
        if args.keep:
            print("kept %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
