"""Notifications of failed runs and failed checks, through a pluggable sink.

A sink is anything with ``send(notification)``. The default writes JSON lines to
``<data_dir>/notifications.jsonl`` (no infrastructure needed, and ``tail -f`` is an alerting
console); a webhook sink POSTs the same JSON to a URL (a chat bot, an incident tool). The webhook
is tried once with a short timeout: a dead receiver must never stall or flood the sensor daemon,
and the log file still has the event.
"""

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from dagster import (
    AssetCheckEvaluation,
    AssetCheckSeverity,
    ConfigurableResource,
    DagsterEventType,
    DagsterInstance,
    DagsterRunStatus,
    DefaultSensorStatus,
    RunFailureSensorContext,
    RunsFilter,
    SensorEvaluationContext,
    SkipReason,
    get_dagster_logger,
    run_failure_sensor,
    sensor,
)

from orchestration.environment import PlatformSettings

NOTIFICATION_LOG = "notifications.jsonl"
FINISHED_STATUSES = [DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED]


@dataclass(frozen=True)
class Notification:
    kind: str  # "run_failure" | "check_failure"
    title: str
    detail: str
    run_id: str | None = None
    job: str | None = None
    asset: str | None = None
    check: str | None = None
    partition: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


class NotificationSink(Protocol):
    def send(self, notification: Notification) -> None: ...


@dataclass(frozen=True)
class LogFileSink:
    """Append one JSON line per notification (the default sink)."""

    path: Path

    def send(self, notification: Notification) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(notification.to_json() + "\n")


@dataclass(frozen=True)
class WebhookSink:
    """POST the notification as JSON; one attempt, short timeout, errors logged and swallowed."""

    url: str
    timeout_seconds: float = 5.0

    def send(self, notification: Notification) -> None:
        request = urllib.request.Request(
            self.url,
            data=notification.to_json().encode("utf-8"),
            headers={"Content-Type": "application/json; charset=utf-8"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:
                response.read()
        except (urllib.error.URLError, OSError) as exc:
            get_dagster_logger().warning(f"webhook {self.url} not reached ({exc}); the notification log has it")


class NotifierResource(ConfigurableResource):
    """Where notifications go: always the log file, plus a webhook when one is configured."""

    log_path: str
    webhook_url: str = ""
    webhook_timeout_seconds: float = 5.0

    def sinks(self) -> list[NotificationSink]:
        sinks: list[NotificationSink] = [LogFileSink(Path(self.log_path))]
        if self.webhook_url:
            sinks.append(WebhookSink(self.webhook_url, self.webhook_timeout_seconds))
        return sinks

    def notify(self, notification: Notification) -> None:
        for sink in self.sinks():
            sink.send(notification)

    @classmethod
    def from_settings(cls, settings: PlatformSettings, webhook_url: str = "") -> "NotifierResource":
        return cls(log_path=str(settings.data_dir / NOTIFICATION_LOG), webhook_url=webhook_url)


def _failure_detail(context: RunFailureSensorContext) -> str:
    for event in context.get_step_failure_events():
        data = event.step_failure_data
        if data.user_failure_data and data.user_failure_data.description:
            return data.user_failure_data.description
        if data.error:
            return data.error.message.strip().splitlines()[-1]
    return context.failure_event.message or "run failed"


@run_failure_sensor(
    name="notify_failed_runs",
    default_status=DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    description="Sends every failed run (job, partition, first error) to the notification sinks.",
)
def notify_failed_runs(context: RunFailureSensorContext, notifier: NotifierResource) -> None:
    run = context.dagster_run
    partition = run.tags.get("dagster/partition")
    notifier.notify(
        Notification(
            kind="run_failure",
            title=f"run of {run.job_name} failed" + (f" (batch {partition})" if partition else ""),
            detail=_failure_detail(context),
            run_id=run.run_id,
            job=run.job_name,
            partition=partition,
        )
    )


def _check_failures(instance: DagsterInstance, run_id: str) -> Iterator[Notification]:
    """Failed checks of severity ERROR in one run (warnings are visible in the UI, not paged)."""
    for record in instance.get_records_for_run(run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION).records:
        event = record.event_log_entry.dagster_event
        evaluation = event.event_specific_data if event else None
        if not isinstance(evaluation, AssetCheckEvaluation) or evaluation.passed:
            continue
        if evaluation.severity != AssetCheckSeverity.ERROR:
            continue
        meta = {k: str(getattr(v, "value", v)) for k, v in (evaluation.metadata or {}).items()}
        asset = evaluation.asset_key.to_user_string()
        yield Notification(
            kind="check_failure",
            title=f"check {evaluation.check_name} failed on {asset}",
            detail=meta.get("summary") or evaluation.description or "check failed",
            run_id=run_id,
            asset=asset,
            check=evaluation.check_name,
            partition=evaluation.partition,
            metadata=meta,
        )


def _as_utc(moment: datetime) -> datetime:
    """Run storage keeps naive UTC timestamps."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@sensor(
    name="notify_failed_checks",
    default_status=DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    description="Sends every failed asset check of severity ERROR (contracts, reconciliation, freshness) to the "
    "notification sinks, once per run that finished since the sensor's cursor.",
)
def notify_failed_checks(context: SensorEvaluationContext, notifier: NotifierResource) -> SkipReason:
    # The cursor is the update time of the last finished run handled. Runs are read one by one because the
    # default (run-sharded SQLite) event log cannot be queried across runs by storage id.
    if context.cursor is None:
        context.update_cursor(str(datetime.now(UTC).timestamp()))  # first tick: from now, not the whole history
        return SkipReason("started: check failures of runs finishing from now on are notified")
    after = datetime.fromtimestamp(float(context.cursor), UTC)
    records = context.instance.get_run_records(
        filters=RunsFilter(statuses=FINISHED_STATUSES, updated_after=after),
        order_by="update_timestamp",
        ascending=True,
        limit=100,
    )
    sent = 0
    for record in records:
        for notification in _check_failures(context.instance, record.dagster_run.run_id):
            notifier.notify(notification)
            sent += 1
        context.update_cursor(str(_as_utc(record.update_timestamp).timestamp()))
    return SkipReason(f"{len(records)} finished run(s) read, {sent} failed check(s) notified")


NOTIFICATION_SENSORS = [notify_failed_runs, notify_failed_checks]
