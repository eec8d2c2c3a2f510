#!/usr/bin/env python3
"""Reload latency of `quire serve`: save one page of a running preview → the reload event → the served page
has the change.

For each size (1k×2 and 10k×2 synthetic corpora, the same ones as bench/run.py), the corpus is copied to a scratch
folder (tmpfs by default, so disk noise stays out), `quire serve --port 0` starts on it, and an event-stream client
listens on /__quire/events. Then, `--edits` times, one page (a different one each time, in both locales) gets a
new line with a unique marker, and the script measures:

  event    time from just before the write to the `reload` event
  content  time from just before the write to a GET of the page that contains the marker

and prints the median and the spread (min, p10, p90, max) of each, in milliseconds. The target (issue 7) is a
median of at most 100 ms on 10k×2.

    bench/serve.py                       # both sizes, 20 edits each
    bench/serve.py --sizes 10k --edits 40
    bench/serve.py --json target/bench/serve.json

Uses bench/run.py's corpus generation (needs the shared folder, see there) and target/release/quire (built here
unless QUIRE_BIN names a binary).
"""

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # noqa: E402  (the corpus and build helpers of bench/run.py)


def start_server(quire, site):
    proc = subprocess.Popen([quire, "serve", site, "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    url = next((w for w in line.split() if w.startswith("http://")), None)
    if not url:
        proc.kill()
        raise bench.BenchError(f"quire serve printed no URL: {line!r} {proc.stderr.read()}")
    # Drain stderr so the server never blocks on a full pipe.
    threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
    return proc, url.rstrip("/")


class Events:
    """Reads the server's events on a thread; `wait(name, after)` returns when one arrives after `after`."""

    def __init__(self, url):
        host = url.removeprefix("http://")
        self.conn = http.client.HTTPConnection(host, timeout=120)
        self.conn.request("GET", "/__quire/events")
        self.resp = self.conn.getresponse()
        self.cond = threading.Condition()
        self.seen = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        name = None
        for raw in self.resp:
            line = raw.decode().rstrip("\n")
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                with self.cond:
                    self.seen.append((time.perf_counter(), name))
                    self.cond.notify_all()

    def wait(self, name, after, timeout=30):
        deadline = time.perf_counter() + timeout
        with self.cond:
            while True:
                for t, n in self.seen:
                    if n == name and t >= after:
                        return t
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise bench.BenchError(f"no {name} event within {timeout} s")
                self.cond.wait(left)


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read().decode()


def measure(quire, corpus_dir, size, edits, scratch):
    site = scratch / f"serve-{size}"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(corpus_dir, site)
    pages = sorted((site / "content").rglob("*.md"))
    started = time.perf_counter()
    proc, url = start_server(quire, site)
    try:
        events = Events(url)
        fetch(f"{url}/")
        bench.log(f"{size}×2: serving {len(pages)} pages after {time.perf_counter() - started:.2f} s")
        step = max(1, len(pages) // edits)
        ev, content = [], []
        for i in range(edits):
            page = pages[(i * step + i) % len(pages)]
            rel = page.relative_to(site / "content").with_suffix(".html").as_posix()
            marker = f"quire-bench-edit-{i}-{time.time_ns()}"
            text = page.read_text() + f"\n{marker}\n"
            time.sleep(0.3)  # let the previous rebuild settle; the watcher batches events 8 ms apart
            t0 = time.perf_counter()
            page.write_text(text)
            t_event = events.wait("reload", t0)
            while marker not in fetch(f"{url}/{rel}"):
                if time.perf_counter() - t0 > 30:
                    raise bench.BenchError(f"{rel} never showed the edit")
            t_content = time.perf_counter()
            ev.append((t_event - t0) * 1000)
            content.append((t_content - t0) * 1000)
        return {"size": size, "pages": len(pages), "edits": edits, "event_ms": summary(ev),
                "content_ms": summary(content)}
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(site, ignore_errors=True)


def summary(xs):
    xs = sorted(xs)
    q = statistics.quantiles(xs, n=10) if len(xs) >= 2 else [xs[0]] * 9
    return {"median": round(statistics.median(xs), 1), "min": round(xs[0], 1), "p10": round(q[0], 1),
            "p90": round(q[-1], 1), "max": round(xs[-1], 1)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1k,10k")
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--scratch", default="/dev/shm/quire-serve-bench")
    ap.add_argument("--json")
    args = ap.parse_args()
    try:
        gen, floor = bench.check_tools()
        quire = os.environ.get("QUIRE_BIN")
        if not quire:
            bench.run_checked(["cargo", "build", "--release"], "building quire", cwd=bench.REPO)
            quire = bench.TARGET / "release" / "quire"
        scratch = Path(args.scratch)
        scratch.mkdir(parents=True, exist_ok=True)
        results = []
        for size in args.sizes.split(","):
            corpus_dir, _ = bench.corpus(gen, size)
            results.append(measure(quire, corpus_dir, size, args.edits, scratch))
    except bench.BenchError as e:
        print(f"bench: {e}", file=sys.stderr)
        return 2
    print("\nquire serve: save one page → reload event / page served with the change (ms)")
    for r in results:
        e, c = r["event_ms"], r["content_ms"]
        print(f"{r['size']}×2  pages={r['pages']}  edits={r['edits']}  "
              f"event median {e['median']} (min {e['min']}, p10 {e['p10']}, p90 {e['p90']}, max {e['max']})  "
              f"content median {c['median']} (min {c['min']}, p10 {c['p10']}, p90 {c['p90']}, max {c['max']})")
    target = next((r for r in results if r["size"] == "10k"), None)
    if target:
        ok = target["content_ms"]["median"] <= 100
        print(f"target 10k×2: median ≤ 100 ms {'PASS' if ok else 'FAIL'}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
