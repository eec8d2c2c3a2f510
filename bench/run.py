#!/usr/bin/env python3
"""Benchmark `quire build` against quire-floor, the least work any build can do.

quire-floor (in <shared>/bench/floor) walks content/, strips front matter,
renders each page with pulldown-cmark and writes it out: no templates, no link
checks, no navigation. The ratio quire/floor is therefore quire's overhead.

Steps: build quire and the floor in release mode, generate the synthetic
corpora with <shared>/bench/gen.py (cached under target/bench/corpora/, keyed by
a stamp of the generator's arguments and its hash), then run the floor and
quire alternately, one uncounted warm-up each and --runs counted runs each.
Every run writes into a freshly deleted output folder under target/bench/out/
(--out-dir to change it: on a disk where file creation is slow or noisy, e.g.
ext4 mounted with `discard` after mass deletions, a tmpfs keeps the
measurement to the build itself; the table warns when that seems to be so).
Peak RSS comes from GNU time (%M); wall time is taken with a monotonic clock
around the same process (GNU time's %e has only 10 ms resolution; it is kept
in the --json figures).

Usage:
  bench/run.py                         # 1k×2 and 10k×2, 5 runs each
  bench/run.py --sizes 1k --runs 2     # quick check
  bench/run.py --json target/bench/results.json --strict
  bench/run.py --out-dir /dev/shm/quire-bench   # outputs on tmpfs

Environment:
  QUIRE_SHARED  the shared folder (default: <repo>/../shared)
  QUIRE_BIN     a quire binary to use instead of building target/release/quire

Targets (10k×2): quire/floor median wall time <= 3.0x, quire peak RSS < 400 MiB.
Exit status: 0 (also when a target FAILs, unless --strict: then 1);
2 when something could not run (build, generator, a non-zero exit of quire or
the floor - quire's exit 1 means content errors, which makes the run invalid).
"""

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET = REPO / "target"
BENCH = TARGET / "bench"
SIZES = {"1k": 1000, "10k": 10000}
LOCALES = "en-us,zh-tw"
SEED = 1
GNU_TIME = "/usr/bin/time"
MAX_RATIO = 3.0
MAX_RSS_MIB = 400


class BenchError(Exception):
    pass


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def check_tools():
    env = os.environ.get("QUIRE_SHARED")
    shared = Path(env or REPO.parent / "shared").resolve()
    gen, floor = shared / "bench" / "gen.py", shared / "bench" / "floor" / "Cargo.toml"
    where = "from $QUIRE_SHARED" if env else "the default: beside the repo; set QUIRE_SHARED to override"
    for p in (gen, floor):
        if not p.is_file():
            raise BenchError(f"{p} not found: is {shared} the shared folder? ({where})")
    try:
        out = subprocess.run([GNU_TIME, "--version"], capture_output=True, text=True)
        ok = "GNU" in out.stdout + out.stderr
    except OSError:
        ok = False
    if not ok:
        raise BenchError(f"GNU time not found at {GNU_TIME} (the shell builtin will not do); "
                         "install it, e.g. `apt-get install time`")
    return gen, floor


def run_checked(cmd, what, **kw):
    log(f"{what}: {' '.join(map(str, cmd))}")
    if subprocess.run(cmd, **kw).returncode != 0:
        raise BenchError(f"{what} failed")


def build(floor_manifest):
    quire = os.environ.get("QUIRE_BIN")
    if quire:
        quire = Path(quire).resolve()
        log(f"QUIRE_BIN set: using {quire}, not building quire")
    else:
        run_checked(["cargo", "build", "--release"], "building quire", cwd=REPO)
        quire = TARGET / "release" / "quire"
    run_checked(["cargo", "build", "--release", "--manifest-path", floor_manifest,
                 "--target-dir", TARGET / "floor"], "building quire-floor")
    floor = TARGET / "floor" / "release" / "quire-floor"
    for p in (quire, floor):
        if not os.access(p, os.X_OK):
            raise BenchError(f"{p} is missing or not executable")
    return quire, floor


def corpus(gen, size):
    """Generate (or reuse) the corpus for `size`; returns (site dir, page count)."""
    site = BENCH / "corpora" / f"{size}x2"
    stamp_file = site.with_name(site.name + ".stamp")
    args = ["--pages", str(SIZES[size]), "--locales", LOCALES, "--layout", "quire",
            "--seed", str(SEED)]
    stamp = json.dumps({"args": args, "gen_sha256": hashlib.sha256(gen.read_bytes()).hexdigest()})
    if not ((site / "content").is_dir() and stamp_file.is_file()
            and stamp_file.read_text() == stamp):
        stamp_file.unlink(missing_ok=True)
        run_checked([sys.executable, gen, *args, "--out", site, "--force"],
                    f"generating {size}×2", stdout=subprocess.DEVNULL)
        stamp_file.write_text(stamp)
    pages = sum(1 for _ in (site / "content").rglob("*.md"))
    return site, pages


def timed(cmd, out_dir, what):
    """Run cmd once into a freshly deleted out_dir; returns its figures and stderr."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    os.sync()  # flush the deletion (and the other tool's output) before the clock starts
    tfile = out_dir.parent / f".{out_dir.name}.time"
    start = time.perf_counter()
    proc = subprocess.run([GNU_TIME, "-f", "%e %U %S %M", "-o", tfile, *map(str, cmd)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          errors="replace")
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.rstrip().splitlines()[-20:])
        hint = " (content errors: quire keeps the old output, the run is invalid)" \
            if what == "quire" and proc.returncode == 1 else ""
        raise BenchError(f"{what} exited with {proc.returncode}{hint}\n"
                         f"  command: {' '.join(map(str, cmd))}\n--- stderr tail ---\n{tail}")
    e, user, sys_, rss = tfile.read_text().split()[-4:]
    tfile.unlink()
    fig = {"wall_s": wall, "time_e_s": float(e), "user_s": float(user), "sys_s": float(sys_),
           "rss_kib": int(rss)}
    return fig, proc.stderr


def bench_corpus(size, site, pages, quire, floor, runs, out_root):
    out = out_root / f"{size}x2"
    cmds = {"floor": [floor, site / "content", out / "floor"],
            "quire": [quire, "build", site, "-o", out / "quire"]}
    res = {k: {"wall_s": [], "time_e_s": [], "user_s": [], "sys_s": [], "rss_kib": []}
           for k in cmds}
    summary = ""
    for i in range(runs + 1):  # run 0 is the warm-up
        for name, cmd in cmds.items():
            fig, err = timed(cmd, out / name, name)
            if name == "quire":
                summary = (err.strip().splitlines() or [""])[-1]
            log(f"{size}×2 {name} {'warm-up' if i == 0 else f'run {i}/{runs}'}: "
                f"{fig['wall_s']:.3f} s (user {fig['user_s']:.2f}, sys {fig['sys_s']:.2f}), "
                f"{fig['rss_kib'] / 1024:.0f} MiB")
            if i:
                for k, v in fig.items():
                    res[name][k].append(v)
    for r in res.values():
        r["median_s"] = statistics.median(r["wall_s"])
        r["pages_per_s"] = pages / r["median_s"]
        r["peak_rss_mib"] = max(r["rss_kib"]) / 1024
    return {"pages": pages, **res, "ratio": res["quire"]["median_s"] / res["floor"]["median_s"],
            "quire_summary": summary}


def secs(x):
    return f"{x:.2f}" if x >= 0.1 else f"{x:.3f}"


def row(size, r):
    def part(name):
        t = r[name]
        return (f"{name} {secs(t['median_s'])} s ({secs(min(t['wall_s']))}–{secs(max(t['wall_s']))})  "
                f"{t['pages_per_s']:.0f} p/s  {t['peak_rss_mib']:.0f} MiB")
    return f"{size}×2  pages={r['pages']}  {part('floor')} | {part('quire')} | ratio {r['ratio']:.2f}×"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog=__doc__.split("\n\n", 1)[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1k,10k", help="comma-separated, of: 1k, 10k (default: both)")
    ap.add_argument("--runs", type=int, default=5, help="counted runs of each tool (default 5)")
    ap.add_argument("--out-dir", metavar="DIR", type=Path, default=BENCH / "out",
                    help="where the builds write (default target/bench/out; "
                         "a tmpfs such as /dev/shm/quire-bench leaves disk noise out)")
    ap.add_argument("--json", metavar="FILE", help="write the raw figures to FILE")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a target FAILs")
    a = ap.parse_args()
    sizes = [s.strip() for s in a.sizes.split(",") if s.strip()]
    if not sizes or any(s not in SIZES for s in sizes):
        ap.error(f"--sizes: choose from {', '.join(SIZES)}")
    if a.runs < 1:
        ap.error("--runs must be >= 1")

    gen, floor_manifest = check_tools()
    quire, floor = build(floor_manifest)
    results = {}
    for size in sizes:
        site, pages = corpus(gen, size)
        if pages == 0:
            raise BenchError(f"{site}/content holds no .md files")
        results[size] = bench_corpus(size, site, pages, quire, floor, a.runs,
                                     a.out_dir.resolve())

    print(f"\nquire vs floor, median of {a.runs} runs (min–max), {os.cpu_count()} CPUs")
    for size, r in results.items():
        print(row(size, r))
        print(f"       quire said: {r['quire_summary']}")
        f = r["floor"]
        if statistics.median(f["sys_s"]) > statistics.median(f["user_s"]):
            print(f"       note: the floor spent more kernel than user time "
                  f"(sys {statistics.median(f['sys_s']):.2f} s, user {statistics.median(f['user_s']):.2f} s): "
                  "writing the output dominates and squeezes the ratio towards 1; "
                  "try --out-dir on a tmpfs (e.g. /dev/shm/quire-bench)")
    verdicts = {}
    if "10k" in results:
        r = results["10k"]
        verdicts = {"ratio": r["ratio"] <= MAX_RATIO,
                    "rss": r["quire"]["peak_rss_mib"] < MAX_RSS_MIB}
        pf = {k: "PASS" if v else "FAIL" for k, v in verdicts.items()}
        print(f"targets 10k×2: ratio {r['ratio']:.2f}× ≤ {MAX_RATIO}× {pf['ratio']}  |  "
              f"quire peak RSS {r['quire']['peak_rss_mib']:.0f} MiB < {MAX_RSS_MIB} MiB {pf['rss']}")
    else:
        print("targets 10k×2: not evaluated (10k not in --sizes)")

    if a.json:
        Path(a.json).write_text(json.dumps({
            "quire_bin": str(quire), "floor_bin": str(floor), "runs": a.runs,
            "out_dir": str(a.out_dir.resolve()),
            "cpus": os.cpu_count(), "corpora": results,
            "targets": {"max_ratio": MAX_RATIO, "max_rss_mib": MAX_RSS_MIB, "pass": verdicts},
        }, indent=2) + "\n")
    return 1 if a.strict and not all(verdicts.values()) else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as e:
        print(f"bench: error: {e}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
