"""Incremental staging gives exactly what a full build gives.

Real simulator (full extract + three daily deltas with inserts, updates and deletions) -> real ingestion
-> `dbt build` of reference + staging after the full extract, then again (incremental) after each
delta, after a delta is re-ingested (new ingestion time, same rows) and after the newest batch is
withdrawn from the lake (built versions vanish). Every staging table
must then equal, row for row, a `--full-refresh` build of the same lake into a second warehouse.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest
import staging_scoring
from staging_fixtures import dbt_build

pytestmark = pytest.mark.slow

SELECT = "tag:reference tag:staging"


def _ingest(landing_root: Path, lake_root: Path, batch_ids: set[str]) -> int:
    """Stage and publish the given batches of every source; the number of batches ingested."""
    from assets.ingestion.batch import stage_batch
    from assets.sources.registry import SOURCES

    done = 0
    for name, spec in SOURCES.items():
        for batch_dir in sorted(p for p in (landing_root / name).glob("*") if p.is_dir()):
            if batch_dir.name in batch_ids:
                stage_batch(spec, batch_dir, lake_root).publish()
                done += 1
    return done


def _build(warehouse: Path, lake_root: Path, work: Path, extra: tuple[str, ...] = ()) -> dict:
    result = dbt_build(warehouse, lake_root, work, SELECT, extra)
    assert result.returncode == 0, result.stdout[-6000:]
    return json.loads((work / "target" / "run_results.json").read_text())


def _table(warehouse: Path, model: str) -> pl.DataFrame:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.sql(f"select * from staging.{model}").pl()


def test_incremental_staging_equals_a_full_build(tmp_path: Path) -> None:
    import simulator

    data = tmp_path / "data"
    simulator.simulate(data, scale=0.0003, seed=5, days=3)
    landing, lake_root = data / "landing", data / "lake"
    batches = sorted({p.name for p in landing.glob("*/*") if p.is_dir()})
    assert len(batches) >= 4, batches  # full extract + three delta days

    incremental = tmp_path / "incremental.duckdb"
    assert _ingest(landing, lake_root, {batches[0]}) > 0
    _build(incremental, lake_root, tmp_path / "run0")
    for i, batch in enumerate(batches[1:], start=1):
        _ingest(landing, lake_root, {batch})
        results = _build(incremental, lake_root, tmp_path / f"run{i}")
    # a batch re-ingested later (as after a fix) carries a new ingestion time: picked up, no duplicates
    _ingest(landing, lake_root, {batches[1]})
    _build(incremental, lake_root, tmp_path / "rerun")
    # the newest batch of every source withdrawn from the lake (as when a batch is replaced by one with
    # other content): its keys fall back to their older versions, or disappear if it inserted them
    withdrawn = _withdraw(lake_root, batches[-1])
    assert withdrawn > 0
    _build(incremental, lake_root, tmp_path / "withdrawn")

    compiled = tmp_path / "withdrawn" / "target" / "run" / "ndc" / "models" / "staging" / "dc_population"
    assert "delete from" in (compiled / "stg_dc_population__persons.sql").read_text()  # built incrementally

    full = tmp_path / "full.duckdb"
    _build(full, lake_root, tmp_path / "full", ("--full-refresh",))

    staged_by_incremental = [r for r in results["results"] if r["unique_id"].startswith("model.ndc.stg_")]
    assert len(staged_by_incremental) == 16 and all(r["status"] == "success" for r in staged_by_incremental)
    for model in staging_scoring.MODELS.values():
        inc, ref = _table(incremental, model), _table(full, model)
        assert inc.height == ref.height > 0, model
        assert inc["record_key"].is_unique().all(), model
        assert not inc["source_deleted"].any(), model  # tombstones never survive a build
        diff = pl.concat(
            [
                inc.join(ref, on=inc.columns, how="anti", nulls_equal=True),
                ref.join(inc, on=ref.columns, how="anti", nulls_equal=True),
            ]
        )
        assert diff.height == 0, (model, diff.head(5))
    assert {"U", "D"} <= _operations(lake_root)  # the deltas really exercised updates and deletions


def _withdraw(lake_root: Path, batch_id: str) -> int:
    """Remove one batch's raw partition of every source; the number of partitions removed."""
    from assets.ingestion import lake
    from assets.sources.registry import SOURCES

    removed = 0
    for source in SOURCES:
        partition = lake.partition_dir(lake_root, lake.RAW, source, batch_id)
        if partition.is_dir():
            shutil.rmtree(partition)
            removed += 1
    return removed


def _operations(lake_root: Path) -> set[str]:
    from assets.ingestion import lake
    from assets.sources.registry import SOURCES

    ops: set[str] = set()
    for source in SOURCES:
        raw = pl.scan_parquet(lake.raw_glob(lake_root, source)).select("thao_tac").unique().collect()
        ops.update(raw["thao_tac"].drop_nulls().str.strip_chars().to_list())
    return ops
