"""Operating the platform: transient faults are retried, and a backfill equals single runs.

The backfill comparison covers what a batch of this source feeds (raw lake, quarantine, its staging table):
the later layers join all sixteen sources and are the whole-pipeline tests' business.
"""

import os
import shutil
import subprocess
import time
from pathlib import Path

import duckdb
import pytest
from dagster import AssetKey, DagsterEventType, DagsterInstance, DagsterRunStatus, RunsFilter
from landing_helpers import DC_HEADER, dc_line, write_batch

from assets.ingestion import lake
from orchestration import raw_assets
from orchestration.environment import PROJECT_ROOT
from orchestration.jobs import CONSOLIDATE_JOB, ingest_job_name
from orchestration.pipeline import QUIET_RUN_CONFIG
from orchestration.raw_assets import batch_partitions

SOURCE = "dc_population"
BATCHES = ("20251101-00", "20251102-00", "20251103-00")
STAGING = AssetKey(["staging", "stg_dc_population__persons"])
# Lineage timestamps differ between any two runs by construction; everything else must be equal.
VOLATILE_COLUMNS = {
    "_ingested_at",
    "source_ingested_at",
    "dbt_updated_at",
    "dbt_valid_from",
    "dbt_valid_to",
    "dbt_scd_id",
    "published_at",
}
# No daemon in the test: the backfill's runs are launched at once (no queue), each in its own process.
IMMEDIATE_LAUNCH = """
run_coordinator:
  module: dagster._core.run_coordinator
  class: DefaultRunCoordinator
"""


def _ids(n: int, start: int) -> list[str]:
    return [f"0010900{i:05d}" for i in range(start, start + n)]


def test_transient_fault_is_retried_and_succeeds(platform_env, monkeypatch: pytest.MonkeyPatch) -> None:
    from orchestration.definitions import build_definitions

    settings = platform_env
    write_batch(settings.landing_root, SOURCE, BATCHES[0], DC_HEADER, [dc_line(c) for c in _ids(5, 0)])
    real_stage_batch = raw_assets.stage_batch
    calls: list[str] = []

    def flaky_stage_batch(*args, **kwargs):
        calls.append("call")
        if len(calls) == 1:
            raise OSError("Stale file handle (injected: the landing share hiccuped)")
        return real_stage_batch(*args, **kwargs)

    monkeypatch.setattr(raw_assets, "stage_batch", flaky_stage_batch)
    defs = build_definitions()
    with DagsterInstance.get() as instance:
        instance.add_dynamic_partitions(batch_partitions(SOURCE).name, [BATCHES[0]])
        result = defs.resolve_job_def(ingest_job_name(SOURCE)).execute_in_process(
            instance=instance, partition_key=BATCHES[0], run_config=QUIET_RUN_CONFIG
        )
    assert result.success and len(calls) == 2
    retried = [e for e in result.all_events if e.event_type == DagsterEventType.STEP_UP_FOR_RETRY]
    error = retried[0].event_specific_data.error
    assert len(retried) == 1 and "OSError: Stale file handle" in error.to_string()
    materialized = [e.event_specific_data.materialization for e in result.get_asset_materialization_events()]
    assert [m.metadata["dagster/row_count"].value for m in materialized] == [5]


def _write_batches(landing_root: Path) -> None:
    write_batch(landing_root, SOURCE, BATCHES[0], DC_HEADER, [dc_line(c) for c in _ids(20, 0)])
    delta = [
        dc_line(_ids(1, 3)[0], status="da_mat", op="U", updated="2025-11-02T08:00:00+07:00"),
        *[dc_line(c, updated="2025-11-02T08:00:00+07:00") for c in _ids(5, 20)],
    ]
    write_batch(landing_root, SOURCE, BATCHES[1], DC_HEADER, delta, kind="delta")
    write_batch(
        landing_root,
        SOURCE,
        BATCHES[2],
        DC_HEADER,
        [dc_line(_ids(1, 4)[0], op="D", updated="2025-11-03T08:00:00+07:00"), "a broken line"],
        kind="delta",
        rows=2,
    )


def _rows(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple]:
    columns = [c for c in con.sql(f"select * from {relation} limit 0").columns if c not in VOLATILE_COLUMNS]
    select = ", ".join(f'"{c}"' for c in columns)
    return sorted(con.sql(f"select {select} from {relation}").fetchall(), key=repr)


def _tables(settings) -> dict[str, list[tuple]]:
    """The raw lake, the quarantine and the staging table of the source, rows sorted, without lineage times."""
    lake_root = settings.lake_root
    quarantine = lake_root / lake.QUARANTINE / SOURCE / "batch_id=*" / "*.parquet"
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        return {
            "lake.raw": _rows(con, f"read_parquet('{lake.raw_glob(lake_root, SOURCE)}', hive_partitioning = true)"),
            "lake.quarantine": _rows(con, f"read_parquet('{quarantine}', hive_partitioning = true)"),
            STAGING.to_user_string(): _rows(con, ".".join(STAGING.path)),
        }


def _build_staging(defs, instance: DagsterInstance) -> None:
    """The consolidation restricted to what this source feeds: reference seeds and its staging model."""
    graph = defs.resolve_asset_graph()
    selection = [k for k in graph.get_all_asset_keys() if graph.get(k).group_name == "reference"] + [STAGING]
    result = defs.resolve_job_def(CONSOLIDATE_JOB.name).execute_in_process(
        instance=instance, asset_selection=selection, run_config=QUIET_RUN_CONFIG, raise_on_error=False
    )
    # Gate outcomes are the contract tests' business; here only the table matters, and it is built before its gate.
    assert STAGING in {e.asset_key for e in result.get_asset_materialization_events()}


def _reset_platform(settings) -> None:
    """Forget everything but the landing zone: lake, warehouse, run history."""
    for path in (settings.lake_root, settings.dagster_home):
        shutil.rmtree(path, ignore_errors=True)
    settings.warehouse_path.unlink(missing_ok=True)
    settings.ensure_dirs()


@pytest.mark.slow
def test_backfill_of_three_batches_equals_three_single_runs(platform_env) -> None:
    from orchestration.definitions import build_definitions

    settings = platform_env
    _write_batches(settings.landing_root)
    defs = build_definitions()
    partitions = batch_partitions(SOURCE).name

    # (a) three single runs, one per batch, then the consolidation.
    with DagsterInstance.get() as instance:
        instance.add_dynamic_partitions(partitions, list(BATCHES))
        for batch in BATCHES:
            run = defs.resolve_job_def(ingest_job_name(SOURCE)).execute_in_process(
                instance=instance, partition_key=batch, run_config=QUIET_RUN_CONFIG
            )
            assert run.success
        _build_staging(defs, instance)
    single_runs = _tables(settings)
    assert len(single_runs["lake.raw"]) == 27  # 20 + 6 + 1; the broken line is quarantined
    assert len(single_runs["lake.quarantine"]) == 1
    assert len(single_runs[STAGING.to_user_string()]) == 24  # 25 persons, one deleted

    # (b) the same landing zone on a fresh platform, ingested by a Dagster backfill over the three partitions.
    _reset_platform(settings)
    with (settings.dagster_home / "dagster.yaml").open("a") as handle:
        handle.write(IMMEDIATE_LAUNCH)
    with DagsterInstance.get() as instance:
        instance.add_dynamic_partitions(partitions, list(BATCHES))
        env = {**os.environ, "NDC_ENV": "test", "NDC_DATA_DIR": str(settings.data_dir)}
        launched = subprocess.run(
            [
                str(PROJECT_ROOT / ".venv" / "bin" / "dagster"),
                "job",
                "backfill",
                "-m",
                "orchestration.definitions",
                "-j",
                ingest_job_name(SOURCE),
                "--partitions",
                ",".join(BATCHES),
                "--noprompt",
            ],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert launched.returncode == 0, launched.stdout + launched.stderr
        deadline = time.monotonic() + 300
        while True:
            runs = instance.get_runs(RunsFilter(job_name=ingest_job_name(SOURCE)))
            if len(runs) == 3 and all(r.is_finished for r in runs):
                break
            assert time.monotonic() < deadline, [(r.tags.get("dagster/partition"), r.status) for r in runs]
            time.sleep(2)
        assert {r.status for r in runs} == {DagsterRunStatus.SUCCESS}
        assert len({r.tags["dagster/backfill"] for r in runs}) == 1  # one backfill, three partitions
        assert sorted(r.tags["dagster/partition"] for r in runs) == list(BATCHES)
        _build_staging(defs, instance)
    assert _tables(settings) == single_runs
