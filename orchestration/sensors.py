"""Sensors: a new, complete landing batch registers a partition and launches its ingestion."""

from pathlib import Path

from dagster import DefaultSensorStatus, RunRequest, SensorEvaluationContext, SensorResult, sensor

from assets.ingestion import lake
from assets.ingestion.manifest import is_batch_complete, manifest_fingerprint
from assets.sources import SOURCES
from orchestration.jobs import INGEST_JOBS, ingest_job_name
from orchestration.raw_assets import batch_partitions
from orchestration.resources import PlatformResource


def complete_batches(landing_root: Path, source: str) -> list[str]:
    """Batch ids whose manifest is present and whose files all match it, oldest first."""
    source_dir = landing_root / source
    if not source_dir.is_dir():
        return []
    return sorted(p.name for p in source_dir.iterdir() if p.is_dir() and is_batch_complete(p))


def relanded_fingerprint(lake_root: Path, landing_root: Path, source: str, batch: str) -> str | None:
    """The landing manifest's fingerprint when a batch already published was landed again with other
    content under the same id (a corrected extract, or a new simulation), else None."""
    ledger = lake.read_ledger(lake_root, source, batch)
    if ledger is None or ledger.get("status") != "published" or not ledger.get("manifest_sha256"):
        return None
    fingerprint = manifest_fingerprint(landing_root / source / batch)
    return fingerprint if fingerprint not in (None, ledger["manifest_sha256"]) else None


@sensor(
    name="landing_batches",
    jobs=INGEST_JOBS,
    minimum_interval_seconds=30,
    default_status=DefaultSensorStatus.RUNNING,
    description="Registers each complete landing batch (manifest present, files match it) as a partition "
    "of its raw asset and launches its ingestion. Incomplete batches are left until they are complete; "
    "a published batch landed again with other content (new manifest) is ingested again, replacing it.",
)
def landing_batches_sensor(context: SensorEvaluationContext, platform: PlatformResource) -> SensorResult:
    landing_root, lake_root = platform.settings.landing_root, platform.settings.lake_root
    run_requests: list[RunRequest] = []
    partition_requests = []
    for source in SOURCES:
        partitions = batch_partitions(source)
        known = set(context.instance.get_dynamic_partitions(partitions.name))
        complete = complete_batches(landing_root, source)
        new = [batch for batch in complete if batch not in known]
        for batch in (b for b in complete if b in known):
            fingerprint = relanded_fingerprint(lake_root, landing_root, source, batch)
            if fingerprint:  # the run key carries the content, so each new version runs once
                run_requests.append(
                    RunRequest(
                        run_key=f"{source}:{batch}:{fingerprint[:16]}",
                        job_name=ingest_job_name(source),
                        partition_key=batch,
                    )
                )
        if new:
            partition_requests.append(partitions.build_add_request(new))
            run_requests += [
                RunRequest(run_key=f"{source}:{batch}", job_name=ingest_job_name(source), partition_key=batch)
                for batch in new
            ]
    return SensorResult(run_requests=run_requests, dynamic_partitions_requests=partition_requests)
