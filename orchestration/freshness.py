"""Freshness of every source against its SLA ("sống"), as one asset check per raw asset.

Why a custom check and not ``build_last_update_freshness_checks`` / ``FreshnessPolicy``: Dagster's
freshness machinery compares the last materialization with the wall clock. This platform runs on
*simulated* time (extracts dated from 2025-11-01, ingested whenever the simulator is run), so "late"
must be measured on the extract times the sources themselves declare, against a reference clock:

* default: the **simulated clock** – the newest ``extract_time`` of any batch of any source seen so
  far (ledgers of the raw lake and manifests still in the landing zone). A source is late when its
  newest *published* batch is older than that by more than its SLA, i.e. the other sources have
  moved on and it has not.
* ``reference_time: wall`` – the real clock (a production deployment fed by real systems);
* ``reference_time: <ISO 8601>`` – a fixed instant, to ask "was it late at …?" or to test.

The SLA is ``freshness_sla_hours`` of the source's spec: 36 h for daily sources, 8 days for weekly
ones, plus 24 h per day of ``lag_days`` for the habitually late source.

The checks are **not blocking** (severity ERROR): a late source must not stop the nightly
consolidation of the fifteen others, which keep using its last published batch. Failing loudly
means a red check on ``raw/<source>`` in the UI and a notification (orchestration/notifications.py).
"""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetSelection,
    Config,
    MetadataValue,
    define_asset_job,
    multi_asset_check,
)

from assets.ingestion import lake
from assets.sources import SOURCES, SourceSpec
from orchestration.raw_assets import raw_asset_key
from orchestration.resources import PlatformResource

FRESHNESS_CHECK = "freshness"
VIETNAM = timezone(timedelta(hours=7))
WALL_CLOCK = "wall"


def parse_time(value: str) -> datetime:
    """An ISO 8601 instant; a naive one is Vietnam time (what the sources write)."""
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=VIETNAM)


def _ledger_entries(lake_root: Path, source: str) -> list[dict]:
    folder = lake_root / lake.LEDGER / source
    if not folder.is_dir():
        return []
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def _manifest_times(landing_root: Path) -> Iterator[datetime]:
    for manifest in landing_root.glob("*/*/_manifest.json"):
        try:
            value = json.loads(manifest.read_text(encoding="utf-8")).get("extract_time")
        except (OSError, ValueError):
            continue  # a manifest still being written: the sensor will see it later
        if value:
            yield parse_time(value)


def simulated_now(lake_root: Path, landing_root: Path, sources: Iterable[str] = SOURCES) -> datetime | None:
    """The platform's clock: the newest extract time of any batch of any source (None before the first)."""
    times = [
        parse_time(entry["extract_time"])
        for source in sources
        for entry in _ledger_entries(lake_root, source)
        if entry.get("extract_time")
    ]
    times += list(_manifest_times(landing_root))
    return max(times, default=None)


@dataclass(frozen=True)
class SourceFreshness:
    source: str
    sla_hours: int
    reference_time: datetime | None
    last_batch: str | None = None
    last_extract_time: datetime | None = None

    @property
    def lag_hours(self) -> float | None:
        if self.reference_time is None or self.last_extract_time is None:
            return None
        return round((self.reference_time - self.last_extract_time).total_seconds() / 3600, 1)

    @property
    def fresh(self) -> bool:
        if self.reference_time is None:
            return True  # nothing has been delivered by anyone yet: no clock to be late against
        return self.lag_hours is not None and self.lag_hours <= self.sla_hours

    def describe(self) -> str:
        if self.reference_time is None:
            return "no batch from any source yet: nothing to measure"
        if self.last_batch is None:
            return f"no batch ever published (SLA {self.sla_hours} h)"
        verdict = "within" if self.fresh else "LATE, beyond"
        return f"last batch {self.last_batch} is {self.lag_hours} h old: {verdict} its SLA of {self.sla_hours} h"


def assess(spec: SourceSpec, lake_root: Path, reference_time: datetime | None) -> SourceFreshness:
    """How old the newest published batch of one source is at ``reference_time``."""
    published = [
        e for e in _ledger_entries(lake_root, spec.name) if e.get("status") == "published" and e.get("extract_time")
    ]
    if not published:
        return SourceFreshness(spec.name, spec.freshness_sla_hours, reference_time)
    newest = max(published, key=lambda e: parse_time(e["extract_time"]))
    return SourceFreshness(
        spec.name,
        spec.freshness_sla_hours,
        reference_time,
        last_batch=newest["batch_id"],
        last_extract_time=parse_time(newest["extract_time"]),
    )


class FreshnessConfig(Config):
    """Run configuration of the freshness checks (launchpad or schedule)."""

    reference_time: str = ""  # "" = simulated clock, "wall" = real clock, or an ISO 8601 instant


def resolve_reference_time(config: FreshnessConfig, lake_root: Path, landing_root: Path) -> tuple[datetime | None, str]:
    """The reference instant and the name of the clock it came from."""
    if config.reference_time == WALL_CLOCK:
        return datetime.now(UTC), "wall clock"
    if config.reference_time:
        return parse_time(config.reference_time), "fixed (run config)"
    return simulated_now(lake_root, landing_root), "simulated (newest extract of any source)"


def _result(spec: SourceSpec, freshness: SourceFreshness, clock: str) -> AssetCheckResult:
    def _time(value: datetime | None) -> str:
        return value.isoformat() if value else "none"

    return AssetCheckResult(
        asset_key=raw_asset_key(spec.name),
        check_name=FRESHNESS_CHECK,
        passed=freshness.fresh,
        severity=AssetCheckSeverity.ERROR,
        description=freshness.describe(),
        metadata={
            "summary": freshness.describe(),
            "last_batch": freshness.last_batch or "none",
            "last_extract_time": _time(freshness.last_extract_time),
            "reference_time": _time(freshness.reference_time),
            "reference_clock": clock,
            "lag_hours": MetadataValue.float(freshness.lag_hours if freshness.lag_hours is not None else -1.0),
            "sla_hours": spec.freshness_sla_hours,
            "cadence": spec.cadence,
            "source_lag_days": spec.lag_days,
        },
    )


def freshness_check_specs() -> list[AssetCheckSpec]:
    return [
        AssetCheckSpec(
            FRESHNESS_CHECK,
            asset=raw_asset_key(spec.name),
            blocking=False,
            description=(
                f"{spec.name_vi}: the newest published batch is at most {spec.freshness_sla_hours} h older than "
                f"the platform clock ({spec.cadence} source"
                + (f", delivers {spec.lag_days} days late" if spec.lag_days else "")
                + "). Not blocking: a late source must not stop the others."
            ),
        )
        for spec in SOURCES.values()
    ]


@multi_asset_check(
    specs=freshness_check_specs(),
    name="source_freshness",
    can_subset=True,
    description="Freshness of every source against its SLA, on the platform's (simulated) clock.",
)
def source_freshness_checks(
    context: AssetCheckExecutionContext, config: FreshnessConfig, platform: PlatformResource
) -> Iterator[AssetCheckResult]:
    settings = platform.settings
    reference, clock = resolve_reference_time(config, settings.lake_root, settings.landing_root)
    context.log.info(f"freshness reference time: {reference} ({clock})")
    selected = {key.asset_key for key in context.selected_asset_check_keys}
    for spec in SOURCES.values():
        if raw_asset_key(spec.name) in selected:
            yield _result(spec, assess(spec, settings.lake_root, reference), clock)


FRESHNESS_CHECKS: list[AssetChecksDefinition] = [source_freshness_checks]

CHECK_FRESHNESS_JOB = define_asset_job(
    name="check_source_freshness",
    selection=AssetSelection.checks(source_freshness_checks),
    description="Measure every source against its freshness SLA on the platform clock; a late source turns red "
    "and sends a notification (it does not block anything).",
)
