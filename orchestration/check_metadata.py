"""Turn a Soda gate result into Dagster check metadata an operator can read at a glance."""

from __future__ import annotations

from typing import Any

from dagster import MetadataValue

from assets.quality.soda_gate import GateResult


def gate_metadata(gate: GateResult) -> dict[str, Any]:
    rows = ["| check | outcome | metrics |", "|---|---|---|"]
    flat: dict[str, Any] = {}
    for check in gate.checks:
        metrics = ", ".join(f"{k}={v:g}" for k, v in check.metrics.items())
        rows.append(f"| {check.label} | {check.outcome} | {metrics} |")
        for key, value in check.metrics.items():
            if key.endswith(("_count", "_percent")) and key not in ("check_rows_tested", "dataset_rows_tested"):
                flat[f"{check.label}.{key}"] = float(value)
    meta: dict[str, Any] = {
        "contract": MetadataValue.path(str(gate.contract)),
        "summary": gate.describe(),
        "checks": MetadataValue.md("\n".join(rows)),
        "checks_failed": len(gate.failed_checks),
        "checks_total": len(gate.checks),
        **flat,
    }
    if gate.errors:
        meta["errors"] = MetadataValue.text(gate.errors)
    return meta
