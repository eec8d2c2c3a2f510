#!/usr/bin/env python3
"""Search figures (issue 5) on the synthetic corpora of bench/run.py:

- the time search adds to a cold `quire build` (search on vs `search: false`, alternating runs, median);
- the size of each locale's search files: shards + meta (the index), fragments (excerpt text), per 1k pages,
  raw and gzipped;
- what a first query transfers in headless Chromium from file:// (bench/search-transfer.mjs), for common,
  prefix and CJK queries. The bound is 300 kB for a 10,000-page locale.

    bench/search.py                      # 10k×2, 3 runs each
    bench/search.py --sizes 1k --runs 1
"""

import argparse
import gzip
import json
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (bench/run.py: corpus generation, timing)

QUERIES = {"en-us": ["mailbox", "config", "configure mailbox", "Set-Mailbox"],
           "zh-tw": ["設定", "信箱", "移轉資料", "部"]}
MAX_FIRST_QUERY = 300_000


def sizes(out, locale):
    d = out / locale / "_search"
    index = [p for p in d.iterdir() if p.is_file()]
    frags = list((d / "p").iterdir())
    raw = lambda ps: sum(p.stat().st_size for p in ps)
    gz = lambda ps: sum(len(gzip.compress(p.read_bytes(), 6)) for p in ps)
    return {"index_files": len(index), "index_bytes": raw(index), "index_gz": gz(index),
            "fragments": len(frags), "fragment_bytes": raw(frags), "fragment_gz": gz(frags)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10k")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out-dir", type=Path, default=run.BENCH / "out-search")
    args = ap.parse_args()
    gen, floor = run.check_tools()
    quire, _ = run.build(floor)
    ok = True
    for size in args.sizes.split(","):
        site, pages = run.corpus(gen, size)
        config = site / "quire.yml"
        saved = config.read_text() if config.exists() else None
        if saved is not None:
            # A run stopped half-way may have left its `search:` line behind.
            saved = "".join(l for l in saved.splitlines(True) if not l.startswith("search:")) or None
        times = {"on": [], "off": []}
        try:
            for i in range(args.runs + 1):
                for mode in ("on", "off"):
                    config.write_text((saved or "") + ("\nsearch: false\n" if mode == "off" else ""))
                    fig, _ = run.timed([quire, "build", site, "-o", args.out_dir / mode], args.out_dir / mode, mode)
                    run.log(f"{size}×2 search {mode} {'warm-up' if i == 0 else f'run {i}'}: "
                            f"{fig['wall_s']:.3f} s, {fig['rss_kib'] / 1024:.0f} MiB")
                    if i:
                        times[mode].append(fig)
        finally:
            if saved is None:
                config.unlink(missing_ok=True)
            else:
                config.write_text(saved)
        med = {m: statistics.median(f["wall_s"] for f in times[m]) for m in times}
        rss = {m: max(f["rss_kib"] for f in times[m]) / 1024 for m in times}
        print(f"\n{size}×2 ({pages} pages): build with search {med['on']:.2f} s, without {med['off']:.2f} s: "
              f"search adds {med['on'] - med['off']:.2f} s ({(med['on'] / med['off'] - 1) * 100:.0f} %); "
              f"peak RSS {rss['on']:.0f} vs {rss['off']:.0f} MiB")
        out = args.out_dir / "on"
        for locale, queries in QUERIES.items():
            s = sizes(out, locale)
            per_k = 1000 / (pages / 2)
            print(f"  {locale}: index {s['index_files']} files {s['index_bytes'] / 1e6:.2f} MB "
                  f"({s['index_gz'] / 1e6:.2f} MB gzipped), {s['index_bytes'] * per_k / 1e3:.0f} kB per 1k pages; "
                  f"fragments {s['fragments']} files {s['fragment_bytes'] / 1e6:.2f} MB "
                  f"({s['fragment_gz'] / 1e6:.2f} MB gzipped), {s['fragment_bytes'] * per_k / 1e3:.0f} kB per 1k pages")
            first = next(p for p in sorted((out / locale).rglob("*.html")) if "_search" not in str(p))
            res = subprocess.run(["node", str(run.REPO / "bench" / "search-transfer.mjs"), str(out),
                                  str(first.relative_to(out)), *queries],
                                 capture_output=True, text=True)
            if res.returncode != 0:
                raise run.BenchError(f"search-transfer failed:\n{res.stderr}")
            for line in res.stdout.splitlines():
                q = json.loads(line)
                verdict = "PASS" if q["bytes"] <= MAX_FIRST_QUERY else "FAIL"
                ok &= verdict == "PASS"
                print(f"    first query {q['query']!r}: {q['results']} shown, {q['files']} files, "
                      f"{q['bytes'] / 1e3:.0f} kB {verdict}")
    print("\nfirst-query bound (300 kB):", "PASS" if ok else "FAIL")


if __name__ == "__main__":
    try:
        main()
    except run.BenchError as e:
        print(f"bench: {e}", file=sys.stderr)
        sys.exit(2)
