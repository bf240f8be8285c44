"""Master person index benchmark: simulate -> ingest -> dbt (reference, staging, integration) -> MPI, scored.

For each scale the simulator writes a full extract under `data/bench/mpi-<scale>` (reused when its warehouse
already holds the integration layer), then the MPI step runs in a fresh subprocess so its peak RSS is its own.
Recorded: MPI seconds, seconds per million source records, decisions, precision / recall overall, per source
and on mentions without a usable identifier, peak memory.

    .venv/bin/python bench/bench_mpi.py --scales 0.001 0.01
    .venv/bin/python bench/bench_mpi.py --scales 0.01 --prepare-only   # build the warehouse only

Writes bench/results/mpi.json. Targets at 0.01: precision >= 0.999, recall >= 0.995 overall, >= 0.98 without
a usable identifier; <= 120 s per million source records.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "mpi.json"
DATA = ROOT / "data" / "bench"


def _log(msg: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {msg}", flush=True)


def _integration_built(warehouse: Path) -> bool:
    if not warehouse.exists():
        return False
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        n = con.sql(
            "select count(*) from information_schema.tables where table_schema = 'integration' "
            "and table_name = 'int_person_links__deterministic'"
        ).fetchall()[0][0]
    finally:
        con.close()
    return n == 1


def prepare(scale: float, seed: int = 42) -> dict:
    """Simulate, ingest and build the dbt layers up to integration; reuse what exists. Returns step seconds."""
    import simulator

    base = DATA / f"mpi-{scale:g}"
    data = base / "data"
    warehouse = data / "warehouse.duckdb"
    steps: dict[str, float] = {}
    if _integration_built(warehouse):
        _log(f"scale {scale:g}: reusing {warehouse}")
        return steps
    if not (data / "truth" / "record_truth.parquet").exists():
        t = time.perf_counter()
        simulator.simulate(data, scale=scale, seed=seed)
        steps["simulate_s"] = round(time.perf_counter() - t, 1)
        _log(f"scale {scale:g}: simulated in {steps['simulate_s']} s")
    lake = data / "lake"
    if not (data / "_ingested").exists():
        from tests.dbt.staging_fixtures import ingest_all

        t = time.perf_counter()
        ingest_all(data / "landing", lake)
        (data / "_ingested").touch()
        steps["ingest_s"] = round(time.perf_counter() - t, 1)
        _log(f"scale {scale:g}: ingested in {steps['ingest_s']} s")
    t = time.perf_counter()
    from tests.dbt_cli import dbt_process

    select = ["--select", "tag:reference", "tag:staging", "tag:integration"]
    result = dbt_process("build", select, warehouse, lake, base, timeout=None)
    if result.returncode != 0:
        raise RuntimeError(result.stdout[-4000:])
    steps["dbt_s"] = round(time.perf_counter() - t, 1)
    _log(f"scale {scale:g}: dbt in {steps['dbt_s']} s")
    return steps


def _measure(scale: float) -> dict:
    """Run in a child process: the MPI step on the prepared warehouse, then scoring against the truth."""
    import resource

    import duckdb

    from assets.identity.mpi import run_mpi
    from assets.identity.scoring import score_links

    data = DATA / f"mpi-{scale:g}" / "data"
    con = duckdb.connect(str(data / "warehouse.duckdb"))
    try:
        n_source = con.sql("select count(*) from integration.int_person_mentions").fetchall()[0][0]
        (data / "models" / "mpi_model.json").unlink(missing_ok=True)  # train: the benchmark measures a cold run
        t = time.perf_counter()
        summary = run_mpi(con, data_dir=data)
        seconds = time.perf_counter() - t
        scores = score_links(con, data / "truth")
        fingerprint = (
            "select md5(string_agg(concat_ws('|', mention_id, linked_cccd, decision), ',' "
            "order by mention_id)) from integration.mpi_person_links"
        )
        cold_print = con.sql(fingerprint).fetchall()[0][0]
        t = time.perf_counter()
        warm = run_mpi(con, data_dir=data, reuse_model=True)  # the asset's default: the saved model
        warm_seconds = time.perf_counter() - t
        rerun_identical = con.sql(fingerprint).fetchall()[0][0] == cold_print
    finally:
        con.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "scale": scale,
        "person_mentions": n_source,
        "mpi_seconds": round(seconds, 2),
        "mpi_seconds_saved_model": round(warm_seconds, 2),
        "rerun_with_saved_model_identical": rerun_identical and warm["model_reused"],
        "seconds_per_million_mentions": round(seconds / n_source * 1e6, 1),
        "peak_rss_mb": round(peak_mb),
        "mpi": summary,
        "scores": scores,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[0.001, 0.01])
    parser.add_argument("--prepare-only", action="store_true")
    parser.add_argument("--child", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(_measure(args.child), default=str))
        return
    results = []
    for scale in args.scales:
        steps = prepare(scale)
        if args.prepare_only:
            continue
        _log(f"scale {scale:g}: MPI")
        out = subprocess.run([sys.executable, __file__, "--child", str(scale)], capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(out.stderr[-4000:])
        row = json.loads(out.stdout.strip().splitlines()[-1])
        row["prepare"] = steps
        results.append(row)
        _log(
            f"scale {scale:g}: {row['mpi_seconds']} s, {row['seconds_per_million_mentions']} s/M, "
            f"overall {row['scores']['overall']}"
        )
    if results:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(
            json.dumps(
                {
                    "benchmark": "mpi",
                    "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                    "results": results,
                },
                indent=2,
                default=str,
            )
            + "\n"
        )
        _log(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
