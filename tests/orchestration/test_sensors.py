"""The landing sensor registers complete batches of every source and launches their ingestion; it waits on others."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from dagster import DagsterInstance, build_sensor_context

import simulator
from assets.ingestion import lake
from assets.sources import SOURCES
from orchestration.jobs import ingest_job_name
from orchestration.resources import PlatformResource
from orchestration.sensors import landing_batches_sensor
from tests.ingestion.format_helpers import good_rows, render, write_files


def _evaluate(instance: DagsterInstance, data_dir: Path):
    context = build_sensor_context(
        instance=instance, resources={"platform": PlatformResource(env="test", data_dir=str(data_dir))}
    )
    return landing_batches_sensor(context)


def test_sensor_launches_complete_batches_of_every_format_and_ignores_incomplete(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    for name in ("dc_population", "ct_residence", "th_tax", "dn_enterprise"):
        spec = SOURCES[name]
        write_files(landing, spec, "20251101-01", [(render(good_rows(spec, 2), spec), 2)])
    incomplete = write_files(landing, SOURCES["xe_vehicle"], "20251101-01", [(b'{"so_khung": "1"}\n', 1)])
    (incomplete / "_manifest.json").unlink()  # files still arriving: no manifest yet
    copying = write_files(landing, SOURCES["lx_driving_licence"], "20251101-01", [(b"a,b\n1,2\n", 1)])
    (copying / "part-00000.csv").write_bytes(b"a,b\n")  # manifest written but a part is short

    with DagsterInstance.ephemeral() as instance:
        result = _evaluate(instance, tmp_path)
        launched = sorted((r.job_name, r.partition_key) for r in result.run_requests)
        assert launched == sorted(
            (ingest_job_name(n), "20251101-01") for n in ("dc_population", "ct_residence", "th_tax", "dn_enterprise")
        )
        added = {r.partitions_def_name: r.partition_keys for r in result.dynamic_partitions_requests}
        assert added == {
            f"batches__{n}": ["20251101-01"] for n in ("dc_population", "ct_residence", "th_tax", "dn_enterprise")
        }
        for request in result.dynamic_partitions_requests:
            instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
        assert _evaluate(instance, tmp_path).run_requests == []  # registered batches are not launched twice


@pytest.mark.slow
def test_ndc_ingest_all_runs_the_simulated_extract_and_delta_through_dagster(platform_env) -> None:
    """The main ingestion path: every batch of all 16 sources, one Dagster run each (~1 min here)."""
    simulator.simulate(platform_env.data_dir, scale=0.0002, days=1)
    from orchestration.commands import ingest

    assert ingest.run(argparse.Namespace(source=[], group=[], all=True)) == 0
    kinds = set()
    for source in SOURCES:
        for batch_dir in (platform_env.landing_root / source).iterdir():
            ledger = lake.read_ledger(platform_env.lake_root, source, batch_dir.name)
            assert ledger and ledger["status"] == "published", (source, batch_dir.name, ledger)
            assert ledger["rows_in_manifest"] == ledger["rows_landed"] + ledger["rows_quarantined"]
            kinds.add(ledger["kind"])
    assert kinds == {"full", "delta"}
    assert ingest.run(argparse.Namespace(source=[], group=["civil"], all=False)) == 0  # nothing pending: a no-op


def test_a_published_batch_landed_again_with_other_content_is_ingested_again(tmp_path: Path) -> None:
    """A corrected extract re-landed under the same batch id: the sensor launches it once (the run key
    carries the new manifest), `ndc ingest` finds it pending, and ingestion replaces the partition."""
    from assets.ingestion.batch import stage_batch
    from orchestration.environment import PlatformSettings
    from orchestration.pipeline import pending_batches

    settings = PlatformSettings(env="test", data_dir=tmp_path)
    spec, batch = SOURCES["dc_population"], "20251101-01"
    write_files(settings.landing_root, spec, batch, [(render(good_rows(spec, 3), spec), 3)])
    stage_batch(spec, settings.landing_root / spec.name / batch, settings.lake_root).publish()

    with DagsterInstance.ephemeral() as instance:
        instance.add_dynamic_partitions(f"batches__{spec.name}", [batch])
        assert _evaluate(instance, tmp_path).run_requests == []  # published, unchanged: nothing to do
        assert pending_batches(instance, settings, [spec.name]) == []

        write_files(settings.landing_root, spec, batch, [(render(good_rows(spec, 5), spec), 5)])  # re-landed
        requests = _evaluate(instance, tmp_path).run_requests
        assert [(r.job_name, r.partition_key) for r in requests] == [(ingest_job_name(spec.name), batch)]
        assert requests[0].run_key.startswith(f"{spec.name}:{batch}:")
        assert pending_batches(instance, settings, [spec.name]) == [(spec.name, batch)]

        stage_batch(spec, settings.landing_root / spec.name / batch, settings.lake_root).publish()
        assert lake.read_ledger(settings.lake_root, spec.name, batch)["rows_landed"] == 5
        assert _evaluate(instance, tmp_path).run_requests == []
        assert pending_batches(instance, settings, [spec.name]) == []
