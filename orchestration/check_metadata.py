"""Turn gate results into Dagster check results: metadata an operator reads at a glance,
severity from the contract (a warning is visible but never blocks), and a row per check in the
persisted results history."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dagster import AssetCheckResult, AssetCheckSeverity, AssetKey, MetadataValue

from assets.quality import results_store
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
        "checks_warned": len(gate.warned_checks),
        "checks_total": len(gate.checks),
        **flat,
    }
    if gate.errors:
        meta["errors"] = MetadataValue.text(gate.errors)
    return meta


def gate_check_result(
    gate: GateResult,
    *,
    asset_key: AssetKey,
    check_name: str,
    lake_root: Path,
    run_id: str,
    partition: str | None = None,
) -> AssetCheckResult:
    """The Dagster result of a contract gate, recorded in the results history as a side effect."""
    results_store.record(
        lake_root, results_store.gate_rows(asset_key.to_user_string(), partition, check_name, gate, run_id)
    )
    if not gate.passed:
        passed, severity = False, AssetCheckSeverity.ERROR
    elif gate.warned_checks:
        passed, severity = False, AssetCheckSeverity.WARN  # visible in the UI, never blocking
    else:
        passed, severity = True, AssetCheckSeverity.ERROR
    return AssetCheckResult(
        asset_key=asset_key, check_name=check_name, passed=passed, severity=severity, metadata=gate_metadata(gate)
    )


def simple_check_result(
    passed: bool,
    metadata: dict[str, Any],
    *,
    asset_key: AssetKey,
    check_name: str,
    lake_root: Path,
    run_id: str,
    partition: str | None = None,
) -> AssetCheckResult:
    """A non-Soda blocking check (e.g. reconciliation), recorded in the results history."""
    results_store.record(
        lake_root,
        [results_store.simple_row(asset_key.to_user_string(), partition, check_name, passed, metadata, run_id)],
    )
    return AssetCheckResult(
        asset_key=asset_key,
        check_name=check_name,
        passed=passed,
        severity=AssetCheckSeverity.ERROR,
        metadata=metadata,
    )
