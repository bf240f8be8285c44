"""Benchmark: `ndc link --dedupe` engine time per million records, with precision and recall.

    python bench/bench_linkage.py --records 100000 1000000

Generates a synthetic population (Vietnamese names with the DOMAIN.md surname skew, 5 %
Western) plus noisy duplicates of 3 % of it, runs :func:`assets.linkage.dedupe` (training
included) and writes ``bench/results/linkage.json``. Each scale runs in a fresh subprocess so
that peak memory (ru_maxrss) is per scale.
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import subprocess
import sys
import time
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "linkage.json"
COLUMNS = ["record_id", "full_name", "birth_date", "sex", "phone", "postcode"]


def one_scale(n: int, dup_rate: float, seed: int) -> dict:
    """Generate, dedupe and score one scale; returns the JSON record."""
    sys.path.insert(0, str(ROOT))
    from assets.linkage import dedupe
    from assets.linkage.synthetic import true_pairs, with_duplicates

    logging.getLogger("splink").setLevel(logging.ERROR)
    t0 = time.perf_counter()
    data = with_duplicates(n, dup_rate=dup_rate, seed=seed)
    gen_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    result = dedupe(data.select(COLUMNS), label=f"bench_{n}")
    link_s = time.perf_counter() - t1
    truth = true_pairs(data)
    pred = result.pairs.select(
        pl.min_horizontal("record_id_l", "record_id_r").alias("record_id_l"),
        pl.max_horizontal("record_id_l", "record_id_r").alias("record_id_r"),
    ).unique()
    tp = pred.join(truth, on=["record_id_l", "record_id_r"]).height
    records = data.height
    return {
        "population": n,
        "records": records,
        "true_pairs": truth.height,
        "predicted_pairs": pred.height,
        "comparisons": result.n_comparisons,
        "comparisons_per_record": round(result.n_comparisons / records, 2),
        "precision": round(tp / max(pred.height, 1), 4),
        "recall": round(tp / max(truth.height, 1), 4),
        "threshold": result.threshold,
        "threshold_reason": result.threshold_reason,
        "clusters": int(result.clusters["cluster_id"].n_unique()) if result.clusters is not None else None,
        "generate_seconds": round(gen_s, 1),
        "linkage_seconds": round(link_s, 1),
        "seconds_per_million_records": round(link_s / records * 1e6, 1),
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0),
        "features": result.features,
        "training": result.stats.get("training"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[100_000], help="population sizes")
    parser.add_argument("--dup-rate", type=float, default=0.03, help="share of persons duplicated (default 3 %%)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process: one scale
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_scale(args.one, args.dup_rate, args.seed)))
        return 0
    runs = []
    for n in args.records:
        cmd = [sys.executable, __file__, "--one", str(n), "--dup-rate", str(args.dup_rate), "--seed", str(args.seed)]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        run = json.loads(out)
        print(
            f"{run['records']:>10,} records: {run['linkage_seconds']:7.1f} s "
            f"({run['seconds_per_million_records']:.1f} s/M), {run['comparisons']:,} comparisons, "
            f"P={run['precision']:.3f} R={run['recall']:.3f}, peak {run['peak_memory_mb']:.0f} MB"
        )
        runs.append(run)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    target = {"seconds_per_million_records_max": 120}
    RESULTS.write_text(json.dumps({"benchmark": "linkage_dedupe", "target": target, "runs": runs}, indent=2))
    print(f"-> {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
