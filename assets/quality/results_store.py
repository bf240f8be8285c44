"""Every check result, persisted: the quality history the scorecard is built from.

Results are appended as small Parquet files under ``lake/quality/check_results/`` rather than
inserted into the warehouse, so a gate never needs the warehouse's single write slot (raw gates
run outside the DuckDB pool). dbt reads them as the source ``quality.check_results``.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from assets.quality.soda_gate import GateResult

RESULTS_DIR = ("quality", "check_results")
SCHEMA = {
    "asset": pl.String,
    "partition": pl.String,
    "check_name": pl.String,
    "soda_check": pl.String,
    "check_type": pl.String,
    "column_name": pl.String,
    "outcome": pl.String,
    "metrics_json": pl.String,
    "run_id": pl.String,
    "evaluated_at": pl.Datetime("us", "UTC"),
}


def results_dir(lake_root: Path) -> Path:
    return lake_root.joinpath(*RESULTS_DIR)


def record(lake_root: Path, rows: list[dict], evaluated_at: datetime | None = None) -> Path | None:
    """Append result rows (one per individual check) as one Parquet file; returns its path."""
    if not rows:
        return None
    evaluated_at = evaluated_at or datetime.now(UTC)
    frame = pl.DataFrame([{**row, "evaluated_at": evaluated_at} for row in rows], schema=SCHEMA, orient="row")
    day_dir = results_dir(lake_root) / f"date={evaluated_at:%Y-%m-%d}"
    day_dir.mkdir(parents=True, exist_ok=True)
    path = day_dir / f"{evaluated_at:%H%M%S}-{uuid.uuid4().hex[:12]}.parquet"
    tmp = path.with_suffix(".tmp")
    frame.write_parquet(tmp)
    tmp.rename(path)
    return path


def gate_rows(asset: str, partition: str | None, check_name: str, gate: GateResult, run_id: str) -> list[dict]:
    rows = [
        {
            "asset": asset,
            "partition": partition,
            "check_name": check_name,
            "soda_check": check.name,
            "check_type": check.type,
            "column_name": check.column,
            "outcome": check.outcome,
            "metrics_json": json.dumps(check.metrics, sort_keys=True),
            "run_id": run_id,
        }
        for check in gate.checks
    ]
    if gate.errors:
        rows.append(
            {
                "asset": asset,
                "partition": partition,
                "check_name": check_name,
                "soda_check": "contract verification",
                "check_type": "error",
                "column_name": None,
                "outcome": "error",
                "metrics_json": json.dumps({"error": gate.errors.splitlines()[0]}),
                "run_id": run_id,
            }
        )
    return rows


def simple_row(asset: str, partition: str | None, check_name: str, passed: bool, metrics: dict, run_id: str) -> dict:
    return {
        "asset": asset,
        "partition": partition,
        "check_name": check_name,
        "soda_check": check_name,
        "check_type": check_name,
        "column_name": None,
        "outcome": "passed" if passed else "failed",
        "metrics_json": json.dumps(metrics, sort_keys=True),
        "run_id": run_id,
    }
