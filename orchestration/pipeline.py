"""The main job, step by step, shared by `ndc run` and the whole-pipeline tests.

Each step is a real Dagster run recorded in the instance (so it shows in the UI's run
history): one ingestion run per pending batch, then one consolidation run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from dagster import DagsterInstance, Definitions

from assets.ingestion import lake
from assets.sources import SOURCES
from orchestration.environment import PlatformSettings
from orchestration.jobs import CONSOLIDATE_JOB, ingest_job_name
from orchestration.raw_assets import batch_partitions
from orchestration.sensors import complete_batches, relanded_fingerprint

Progress = Callable[[str], None]

# Runs launched from the CLI log warnings and errors only; the UI keeps the full event log.
QUIET_RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


@dataclass
class BatchOutcome:
    source: str
    batch_id: str
    success: bool
    detail: str = ""


@dataclass
class CheckOutcome:
    asset: str
    check: str
    passed: bool
    detail: str = ""
    severity: str = "ERROR"  # a failed WARN check is visible but never blocks

    @property
    def blocking_failure(self) -> bool:
        return not self.passed and self.severity == "ERROR"


@dataclass
class PipelineReport:
    batches: list[BatchOutcome] = field(default_factory=list)
    consolidation_success: bool | None = None
    checks: list[CheckOutcome] = field(default_factory=list)
    skipped_assets: list[str] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return all(b.success for b in self.batches) and bool(self.consolidation_success)

    def latest_checks(self) -> list[CheckOutcome]:
        """The last evaluation of each (asset, check): a check re-run after later batches supersedes
        its earlier result (e.g. freshness evaluated while older batches were still being ingested)."""
        latest: dict[tuple[str, str], CheckOutcome] = {}
        for check in self.checks:
            latest[(check.asset, check.check)] = check
        return list(latest.values())


def _selected(sources: Iterable[str] | None) -> list[str]:
    """The sources to act on, in registry order (all when None)."""
    if sources is None:
        return list(SOURCES)
    wanted = set(sources)
    unknown = sorted(wanted - set(SOURCES))
    if unknown:
        raise ValueError(f"unknown source(s) {', '.join(unknown)}; known: {', '.join(SOURCES)}")
    return [s for s in SOURCES if s in wanted]


def register_pending_batches(
    instance: DagsterInstance, settings: PlatformSettings, sources: Iterable[str] | None = None
) -> dict[str, list[str]]:
    """Add a partition for every complete landing batch not yet known (what the sensor does)."""
    added: dict[str, list[str]] = {}
    for source in _selected(sources):
        partitions = batch_partitions(source)
        known = set(instance.get_dynamic_partitions(partitions.name))
        new = [b for b in complete_batches(settings.landing_root, source) if b not in known]
        if new:
            instance.add_dynamic_partitions(partitions.name, new)
            added[source] = new
    return added


def pending_batches(
    instance: DagsterInstance, settings: PlatformSettings, sources: Iterable[str] | None = None
) -> list[tuple[str, str]]:
    """(source, batch) pairs registered but not yet published (or landed again with other content since),
    oldest batch first per source."""
    pending = []
    for source in _selected(sources):
        for batch in sorted(instance.get_dynamic_partitions(batch_partitions(source).name)):
            if not (settings.landing_root / source / batch).is_dir():
                continue
            ledger = lake.read_ledger(settings.lake_root, source, batch)
            if ledger is None or ledger.get("status") != "published":
                pending.append((source, batch))
            elif relanded_fingerprint(settings.lake_root, settings.landing_root, source, batch):
                pending.append((source, batch))  # landed again with other content: replaces the partition
    return pending


def _check_outcomes(result) -> list[CheckOutcome]:
    outcomes = []
    for evaluation in result.get_asset_check_evaluations():
        meta = evaluation.metadata or {}
        summary = meta.get("summary")
        outcomes.append(
            CheckOutcome(
                asset=evaluation.asset_key.to_user_string(),
                check=evaluation.check_name,
                passed=evaluation.passed,
                detail=str(summary.value) if summary is not None else "",
                severity=str(getattr(evaluation.severity, "value", evaluation.severity)),
            )
        )
    return outcomes


def _failure_detail(result) -> str:
    """The operator-facing reason of the first failed step (a Failure's description if any)."""
    for event in result.all_events:
        if event.is_step_failure:
            data = event.step_failure_data
            if data.user_failure_data and data.user_failure_data.description:
                return data.user_failure_data.description
            if data.error:
                return data.error.message.strip().splitlines()[-1]
            return event.message or "step failed"
    return "run failed"


def ingest_pending(
    defs: Definitions,
    instance: DagsterInstance,
    settings: PlatformSettings,
    report: PipelineReport,
    progress: Progress = lambda _: None,
    sources: Iterable[str] | None = None,
) -> None:
    for source, batch in pending_batches(instance, settings, sources):
        progress(f"ingest {source} batch {batch}")
        job = defs.resolve_job_def(ingest_job_name(source))
        result = job.execute_in_process(
            instance=instance, partition_key=batch, raise_on_error=False, run_config=QUIET_RUN_CONFIG
        )
        detail = "" if result.success else _failure_detail(result)
        report.batches.append(BatchOutcome(source, batch, result.success, detail))
        report.checks += _check_outcomes(result)


def consolidate(
    defs: Definitions, instance: DagsterInstance, report: PipelineReport, progress: Progress = lambda _: None
) -> None:
    progress("consolidate: dbt layers and their Soda gates")
    result = defs.resolve_job_def(CONSOLIDATE_JOB.name).execute_in_process(
        instance=instance, raise_on_error=False, run_config=QUIET_RUN_CONFIG
    )
    report.consolidation_success = result.success
    report.checks += _check_outcomes(result)
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    planned = defs.resolve_job_def(CONSOLIDATE_JOB.name).asset_layer.selected_asset_keys
    report.skipped_assets = sorted(k.to_user_string() for k in planned if k not in materialized)


def run_pipeline(
    defs: Definitions, instance: DagsterInstance, settings: PlatformSettings, progress: Progress = lambda _: None
) -> PipelineReport:
    report = PipelineReport()
    register_pending_batches(instance, settings)
    ingest_pending(defs, instance, settings, report, progress)
    consolidate(defs, instance, report, progress)
    return report
