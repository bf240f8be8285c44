"""Whole-pipeline runs: real Dagster runs, real dbt, real Soda, a real DuckDB file in a temp folder."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest
from dagster import DagsterInstance
from landing_helpers import DC_HEADER, dc_line, write_batch

from assets.ingestion import lake
from assets.quality import results_store
from orchestration.definitions import build_definitions
from orchestration.pipeline import run_pipeline

pytestmark = pytest.mark.slow

SOURCE = "dc_population"


def _ids(n: int, start: int = 0) -> list[str]:
    return [f"0010900{i:05d}" for i in range(start, start + n)]


def _tables(settings) -> dict[str, int]:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        rows = con.sql(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in ('raw', 'staging', 'core', 'marts')"
        ).fetchall()
        return {name: con.sql(f"select count(*) from {name}").fetchall()[0][0] for (name,) in rows}


def test_full_materialization_then_bad_batch_is_never_published(platform_env) -> None:
    settings = platform_env
    lines = [dc_line(c, name="NGUYỄN  Thị Ðào" if i % 2 else "Trần Văn Bình") for i, c in enumerate(_ids(40))]
    write_batch(settings.landing_root, SOURCE, "20251101-00", DC_HEADER, [*lines, "a broken line"])
    write_batch(
        settings.landing_root,
        SOURCE,
        "20251102-00",
        DC_HEADER,
        [
            dc_line(_ids(1, 1)[0], status="da_mat", op="U", updated="2025-11-02T08:00:00+07:00"),
            dc_line(_ids(1, 2)[0], op="D", updated="2025-11-02T08:00:00+07:00"),
        ],
        kind="delta",
    )
    defs = build_definitions()

    with DagsterInstance.get() as instance:
        report = run_pipeline(defs, instance, settings)
        assert report.success, report
        assert [b.batch_id for b in report.batches] == ["20251101-00", "20251102-00"]
        assert report.skipped_assets == []
        tables = _tables(settings)
        assert tables["raw.dc_population"] == 42  # 40 + 2 delta rows; the broken line is quarantined
        assert tables["staging.stg_dc_population__persons"] == 39  # one deletion applied
        assert tables["core.person"] == 39
        assert tables["marts.population_by_province"] == 1
        with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
            updated = con.sql("select full_name, life_status from core.person where cccd = '001090000001'").fetchall()
            cleaned = con.sql("select full_name, name_key from core.person where cccd = '001090000003'").fetchall()
        assert updated == [("Nguyễn Văn An", "deceased")]  # the delta's update won
        assert cleaned == [("NGUYỄN Thị Đào", "nguyen thi dao")]  # U+00D0 repaired, spaces collapsed

        # Re-running changes nothing: the same batches are not ingested twice.
        rerun = run_pipeline(defs, instance, settings)
        assert rerun.batches == [] and rerun.success
        assert _tables(settings) == tables

        # A batch that reads fine but breaks the raw contract (names missing) is audited out.
        bad = [dc_line(c, name="", updated="2025-11-03T08:00:00+07:00") for c in _ids(10, 100)]
        write_batch(settings.landing_root, SOURCE, "20251103-00", DC_HEADER, bad, kind="delta")
        report = run_pipeline(defs, instance, settings)
        assert [(b.batch_id, b.success) for b in report.batches] == [("20251103-00", False)]
        assert "ho_ten.missing" in report.batches[0].detail
        failed = {(c.asset, c.check) for c in report.checks if not c.passed}
        assert failed == {("raw/dc_population", "soda_contract")}
        assert not lake.partition_dir(settings.lake_root, lake.RAW, SOURCE, "20251103-00").exists()
        assert lake.read_ledger(settings.lake_root, SOURCE, "20251103-00")["status"] == "gate_failed"
        assert _tables(settings) == tables  # consumers still see exactly the last good data

        # Every check result is in the history, with its partition and outcome.
        history = pl.read_parquet(results_store.results_dir(settings.lake_root) / "*" / "*.parquet")
        bad_batch = history.filter(pl.col("partition") == "20251103-00", pl.col("outcome") == "failed")
        assert bad_batch["column_name"].to_list() == ["ho_ten"]
        assert {"raw/dc_population", "staging/stg_dc_population__persons", "core/person"} <= set(history["asset"])


def test_failed_staging_gate_blocks_core_and_marts(platform_env) -> None:
    settings = platform_env
    # Sex codes the staging layer cannot map: raw accepts them (source text), the staging contract does not.
    lines = [dc_line(c, sex="X" if i % 3 == 0 else "Nam") for i, c in enumerate(_ids(30))]
    write_batch(settings.landing_root, SOURCE, "20251101-00", DC_HEADER, lines)
    defs = build_definitions()
    with DagsterInstance.get() as instance:
        report = run_pipeline(defs, instance, settings)
    assert [b.success for b in report.batches] == [True]
    assert report.consolidation_success is False
    failed = {(c.asset, c.check) for c in report.checks if not c.passed}
    assert failed == {("staging/stg_dc_population__persons", "soda_contract")}
    assert {"core/person", "marts/population_by_province"} <= set(report.skipped_assets)
    tables = _tables(settings)
    assert "staging.stg_dc_population__persons" in tables
    assert "core.person" not in tables and "marts.population_by_province" not in tables
    quarantine = pl.read_parquet(lake.partition_dir(settings.lake_root, lake.QUARANTINE, SOURCE, "20251101-00"))
    assert quarantine.height == 0
