"""`ndc simulate`: generate the 16 simulated source systems into a landing zone."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

HELP = "Simulate the 16 national source databases into <out>/landing (+ ground truth in <out>/truth)."


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scale", type=float, default=0.001, help="1.0 = 157 million source records; default 0.001 (~157 thousand)"
    )
    parser.add_argument("--seed", type=int, default=42, help="random seed (same seed+scale = same bytes)")
    parser.add_argument("--out", type=Path, default=Path("data"), help="output root (default: data)")
    parser.add_argument("--days", type=int, default=0, help="daily delta batches after the full extract")
    parser.add_argument("--start-date", default="2025-11-01", help="date of the full extract (YYYY-MM-DD)")
    parser.add_argument("--sources", default=None, help="comma-separated subset of sources (default: all)")
    parser.add_argument(
        "--defect-multiplier", type=float, default=1.0, help="multiply every default defect rate (0 = clean data)"
    )
    parser.add_argument("--json", action="store_true", help="print the summary as JSON on stdout")


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--start-date must be YYYY-MM-DD, got {text!r}") from None


def run(args: argparse.Namespace) -> int:
    from simulator import simulate  # lazy: keeps `ndc --help` fast

    if args.defect_multiplier < 0:
        raise ValueError("--defect-multiplier must be >= 0")
    start = _parse_date(args.start_date)
    sources = [s.strip() for s in args.sources.split(",") if s.strip()] if args.sources else None
    t0 = time.perf_counter()

    def progress(source: str, batch_id: str, rows: int) -> None:
        print(
            f"  {source:<22} {batch_id}  {rows:>10,} rows  ({time.perf_counter() - t0:6.1f} s)",
            file=sys.stderr,
            flush=True,
        )

    print(
        f"simulate: scale={args.scale} seed={args.seed} days={args.days} start={start} -> {args.out}", file=sys.stderr
    )
    summary = simulate(
        args.out,
        scale=args.scale,
        seed=args.seed,
        days=args.days,
        start_date=start,
        sources=sources,
        progress=progress,
        defect_multiplier=args.defect_multiplier,
    )
    print(
        f"simulate: {summary.total_rows:,} rows in {len(summary.batches)} batches, "
        f"{summary.persons:,} persons, {summary.enterprises:,} enterprises "
        f"({time.perf_counter() - t0:.1f} s)",
        file=sys.stderr,
    )
    if args.json:
        print(json.dumps(summary.to_dict(), indent=2))
    return 0
