"""Helpers and fixtures for the dbt tests: a real simulator run, real batch ingestion, real dbt.

A plain module, not a conftest: tests/dbt is deliberately not a package, so `import dbt` stays dbt-core.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.dbt_cli import dbt_process


def ingest_all(landing_root: Path, lake_root: Path) -> int:
    """Stage and publish every landed batch (batch order per source), without the Dagster wrapper; rows landed."""
    from assets.ingestion.batch import stage_batch
    from assets.sources.registry import SOURCES

    landed = 0
    for name, spec in SOURCES.items():
        for batch_dir in sorted(p for p in (landing_root / name).glob("*") if p.is_dir()):
            staged = stage_batch(spec, batch_dir, lake_root)
            staged.publish()
            landed += staged.rows_landed
    return landed


def dbt_build(
    warehouse: Path, lake_root: Path, work: Path, select: str, extra: tuple[str, ...] = ()
) -> subprocess.CompletedProcess:
    """`dbt build --select …` in a subprocess against a temporary warehouse (own target and log paths)."""
    return dbt_process("build", [*extra, "--select", *select.split()], warehouse, lake_root, work)


@pytest.fixture(scope="module")
def simulated_warehouse(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Simulate (small scale, two delta days), ingest, and build reference + staging once per module."""
    import simulator

    base = tmp_path_factory.mktemp("staging_scoring")
    data = base / "data"
    simulator.simulate(data, scale=0.0003, seed=11, days=2)
    lake_root = data / "lake"
    ingest_all(data / "landing", lake_root)
    warehouse = data / "warehouse.duckdb"
    result = dbt_build(warehouse, lake_root, base, "tag:reference tag:staging")
    assert result.returncode == 0, result.stdout[-6000:]
    return {"warehouse": warehouse, "truth": data / "truth", "lake": lake_root, "base": base}
