"""Whole-pipeline runs on the simulator's 16 sources: real Dagster runs, real dbt, real Soda,
a real DuckDB file in a temporary folder. Hand-made DC batches then exercise each gate."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest
from dagster import DagsterInstance
from landing_helpers import DC_HEADER, dc_line, write_batch

from assets.ingestion import lake
from assets.quality import results_store
from assets.sources import SOURCES
from orchestration.definitions import build_definitions
from orchestration.environment import DBT_PROJECT_DIR
from orchestration.pipeline import run_pipeline

pytestmark = pytest.mark.slow

SOURCE = "dc_population"
SCALE = 0.0002  # ~32 thousand source records over the 16 sources


@pytest.fixture(scope="session")
def simulated_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import simulator

    out = tmp_path_factory.mktemp("simulated")
    simulator.simulate(out, scale=SCALE, seed=5, days=1)
    return out


@pytest.fixture
def platform(platform_env, simulated_landing: Path):
    shutil.copytree(simulated_landing / "landing", platform_env.landing_root, dirs_exist_ok=True)
    return platform_env


def _new_ids(n: int) -> list[str]:
    """CCCDs outside the simulated population (birth year 1990, male: century digit 0)."""
    return [f"0010909{i:05d}" for i in range(n)]


def _tables(settings) -> dict[str, int]:
    """Row counts of what consumers read (the quality marts record every batch, failed ones included)."""
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        rows = con.sql(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in ('raw', 'staging', 'core', 'marts') and table_name not like 'quality%'"
        ).fetchall()
        return {name: con.sql(f"select count(*) from {name}").fetchall()[0][0] for (name,) in rows}


def _without_quality(tables: dict[str, int]) -> dict[str, int]:
    """The tables consumers build on: the quality marts record every batch, a rejected one included."""
    return {name: rows for name, rows in tables.items() if not name.startswith("marts.quality_")}


def test_all_sources_materialize_then_a_bad_batch_is_never_published(platform) -> None:
    settings = platform
    defs = build_definitions()
    with DagsterInstance.get() as instance:
        report = run_pipeline(defs, instance, settings)
        assert report.success, [b for b in report.batches if not b.success] + [c for c in report.checks if not c.passed]
        assert {b.source for b in report.batches} == set(SOURCES)
        assert report.skipped_assets == []
        tables = _tables(settings)
        assert {f"raw.{s}" for s in SOURCES} <= set(tables)
        assert all(tables[f"raw.{s}"] > 0 for s in SOURCES)
        assert tables["core.person"] >= tables["staging.stg_dc_population__persons"] > 0
        assert tables["marts.population_by_province"] > 0

        # Analysts' path: dbt runs standalone against the same warehouse and its docs build.
        docs = subprocess.run(
            [
                str(Path(sys.executable).parent / "dbt"),
                "docs",
                "generate",
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--target-path",
                str(settings.data_dir / "dbt-docs"),
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert docs.returncode == 0, docs.stdout[-3000:]
        assert (settings.data_dir / "dbt-docs" / "catalog.json").is_file()

        # Re-running with nothing new changes nothing.
        rerun = run_pipeline(defs, instance, settings)
        assert rerun.batches == [] and rerun.success
        assert _tables(settings) == tables

        # A batch that reads fine but breaks the raw contract (names missing) is audited out.
        bad = [dc_line(c, name="", updated="2025-11-05T08:00:00+07:00") for c in _new_ids(10)]
        write_batch(settings.landing_root, SOURCE, "20251105-01", DC_HEADER, bad, kind="delta")
        report = run_pipeline(defs, instance, settings)
        assert [(b.batch_id, b.success) for b in report.batches] == [("20251105-01", False)]
        assert "ho_ten.missing" in report.batches[0].detail
        failed = {(c.asset, c.check) for c in report.latest_checks() if c.blocking_failure}
        assert ("raw/dc_population", "soda_contract") in failed
        assert not lake.partition_dir(settings.lake_root, lake.RAW, SOURCE, "20251105-01").exists()
        assert lake.read_ledger(settings.lake_root, SOURCE, "20251105-01")["status"] == "gate_failed"
        # consumers still see exactly the last good data; only the quality marts observe the rejected batch
        assert _without_quality(_tables(settings)) == _without_quality(tables)

        history = pl.read_parquet(results_store.results_dir(settings.lake_root) / "*" / "*.parquet")
        bad_batch = history.filter(pl.col("partition") == "20251105-01", pl.col("outcome") == "failed")
        assert bad_batch["column_name"].to_list() == ["ho_ten"]
        assert {"raw/dc_population", "staging/stg_dc_population__persons", "core/person"} <= set(history["asset"])


def test_failed_staging_gate_blocks_core_and_marts(platform) -> None:
    settings = platform
    # Sex codes staging cannot map: raw accepts them (source text), the staging contract does not.
    unmappable = [dc_line(c, sex="X", updated="2025-11-05T08:00:00+07:00") for c in _new_ids(400)]
    write_batch(settings.landing_root, SOURCE, "20251105-01", DC_HEADER, unmappable, kind="delta")
    defs = build_definitions()
    with DagsterInstance.get() as instance:
        report = run_pipeline(defs, instance, settings)
    assert all(b.success for b in report.batches)
    assert report.consolidation_success is False
    failed = {(c.asset, c.check) for c in report.latest_checks() if c.blocking_failure}
    assert ("staging/stg_dc_population__persons", "soda_contract") in failed
    assert not any(asset.startswith(("core/", "marts/", "published/")) for asset, _ in failed)
    assert {"core/person", "marts/population_by_province", "published/core", "published/marts"} <= set(
        report.skipped_assets
    )
    tables = _tables(settings)
    assert "staging.stg_dc_population__persons" in tables
    assert "core.person" not in tables and "marts.population_by_province" not in tables


def test_failed_core_gate_leaves_the_published_core_unchanged(platform) -> None:
    """Write-audit-publish: a DC batch that reads fine and passes raw and staging, but declares 12 % of
    the population dead at once while their records stay active elsewhere, breaks the core rule on
    death propagation: it is built into core_audit, fails the core contract and never reaches `core`."""
    settings = platform
    defs = build_definitions()
    with DagsterInstance.get() as instance:
        assert run_pipeline(defs, instance, settings).success
        published = _snapshot_core(settings)
        raw = pl.read_parquet(lake.raw_glob(settings.lake_root, SOURCE))
        living = raw.filter(pl.col("tinh_trang") != "da_mat").unique("so_dinh_danh", keep="last").sort("so_dinh_danh")
        dying = (
            living.head(int(living.height * 0.12))
            .select(SOURCES[SOURCE].column_names)
            .with_columns(
                tinh_trang=pl.lit("da_mat"),
                ngay_mat=pl.lit("2025-11-04"),
                ngay_cap_nhat=pl.lit("2025-11-05T08:00:00+07:00"),
                thao_tac=pl.lit("U"),
            )
        )
        lines = dying.write_csv(include_header=False).splitlines()
        write_batch(settings.landing_root, SOURCE, "20251105-01", DC_HEADER, lines, kind="delta")
        report = run_pipeline(defs, instance, settings)
    assert [b.success for b in report.batches] == [True]
    failed = {(c.asset, c.check) for c in report.latest_checks() if c.blocking_failure}
    assert ("core/person", "soda_contract") in failed  # deaths far beyond the register's daily rate
    assert {asset.split("/")[0] for asset, _ in failed} == {"core"}  # and nothing before the core layer
    assert {"published/core", "published/marts"} <= set(report.skipped_assets)
    assert _snapshot_core(settings) == published  # consumers still read the last good version
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        audited = con.sql("select count(*) from core_audit.person where life_status = 'deceased'").fetchall()[0][0]
        served = con.sql("select count(*) from core.person where life_status = 'deceased'").fetchall()[0][0]
    assert audited >= served + dying.height  # the bad version exists only in the audit schema


def _snapshot_core(settings) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        return con.sql("select * from core.person order by person_id").fetchall()
