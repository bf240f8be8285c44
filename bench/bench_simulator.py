"""Benchmark the simulator by scale: wall time, rows/s and peak memory of a child process.

Each scale runs in a fresh child process (so imports and memory are measured honestly); its peak RSS comes
from os.wait4's rusage for that child alone. Writes bench/results/simulator.json.

Usage: .venv/bin/python bench/bench_simulator.py --scales 0.001 0.01 0.1 [--days 0] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHILD = (
    "import json, sys, datetime as dt; from pathlib import Path; from simulator import simulate; "
    "s = simulate(Path(sys.argv[1]), scale=float(sys.argv[2]), seed=42, days=int(sys.argv[3])); "
    "d = s.to_dict(); print(json.dumps({'total_rows': d['total_rows'], 'persons': d['persons'], "
    "'enterprises': d['enterprises'], 'batches': len(d['batches']), 'rows_by_source': d['rows_by_source']}))"
)


def run_one(scale: float, days: int, keep: bool) -> dict:
    out = Path(tempfile.mkdtemp(prefix=f"simbench_{scale}_"))
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(out), str(scale), str(days)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, status, rusage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    stdout = proc.stdout.read() if proc.stdout else ""
    stderr = proc.stderr.read() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"scale {scale} failed: {stderr[-2000:]}")
    info = json.loads(stdout.strip().splitlines()[-1])
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    if not keep:
        shutil.rmtree(out, ignore_errors=True)
    return {
        "scale": scale,
        "days": days,
        "rows": info["total_rows"],
        "persons": info["persons"],
        "enterprises": info["enterprises"],
        "batches": info["batches"],
        "seconds": round(seconds, 2),
        "rows_per_second": round(info["total_rows"] / seconds),
        # CPU time of the child: robust against other jobs sharing the 2 cores
        "cpu_seconds": round(rusage.ru_utime + rusage.ru_stime, 2),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "peak_rss_mb": round(rusage.ru_maxrss / 1024, 1),  # Linux: ru_maxrss in KiB
        "output_mb": round(size / 2**20, 1),
        "rows_by_source": info["rows_by_source"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", type=float, nargs="+", default=[0.001, 0.01])
    ap.add_argument("--days", type=int, default=0)
    ap.add_argument("--keep", action="store_true", help="keep the generated data (printed paths)")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "simulator.json")
    args = ap.parse_args()
    results = []
    for s in args.scales:
        r = run_one(s, args.days, args.keep)
        print(
            f"scale {s:>7}: {r['rows']:>11,} rows  {r['seconds']:7.1f} s  {r['rows_per_second']:>10,} rows/s  "
            f"cpu {r['cpu_seconds']:7.1f} s  peak {r['peak_rss_mb']:8.1f} MB  load {r['load_average_1m']}",
            file=sys.stderr,
        )
        results.append(r)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "benchmark": "simulator",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "results": results,
    }
    args.out.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
