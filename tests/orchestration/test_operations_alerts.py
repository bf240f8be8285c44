"""Operating the platform: a late source fails its freshness check, and failures reach the notification sinks."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from dagster import DagsterEventType, DagsterInstance, build_run_status_sensor_context, build_sensor_context
from landing_helpers import DC_HEADER, dc_line, write_batch

from assets.sources import SOURCES
from orchestration.freshness import CHECK_FRESHNESS_JOB, FRESHNESS_CHECK
from orchestration.jobs import ingest_job_name
from orchestration.notifications import NotifierResource, notify_failed_checks, notify_failed_runs
from orchestration.raw_assets import batch_partitions
from tests.ingestion.format_helpers import good_rows, render, write_files

QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
LATE = "xh_social_insurance"  # lag_days=2: SLA 36 h + 48 h = 84 h


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[dict]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[dict]]]:
    received: ClassVar[list[dict]] = []
    handler = type("Receiver", (_Receiver,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    finally:
        server.shutdown()
        server.server_close()


def _set_extract_time(batch_dir: Path, when: str) -> None:
    manifest = batch_dir / "_manifest.json"
    data = json.loads(manifest.read_text())
    data["extract_time"] = when
    manifest.write_text(json.dumps(data))


def _freshness(result) -> dict[str, tuple[bool, dict]]:
    return {
        e.asset_key.path[1]: (e.passed, {k: getattr(v, "value", v) for k, v in e.metadata.items()})
        for e in result.get_asset_check_evaluations()
        if e.check_name == FRESHNESS_CHECK
    }


def test_late_source_fails_freshness_and_failures_are_notified(platform_env, webhook) -> None:
    from orchestration.definitions import build_definitions

    settings = platform_env
    url, received = webhook
    # dc_population delivered on 2025-11-04 23:00 (the platform clock); the late source last on 2025-10-31 20:00.
    dc = write_batch(settings.landing_root, "dc_population", "20251104-00", DC_HEADER, [dc_line("001090000001")])
    _set_extract_time(dc, "2025-11-04T23:00:00+07:00")
    spec = SOURCES[LATE]
    late = write_files(settings.landing_root, spec, "20251031-00", [(render(good_rows(spec, 3), spec), 3)])
    _set_extract_time(late, "2025-10-31T20:00:00+07:00")

    defs = build_definitions()
    notifier = NotifierResource.from_settings(settings, webhook_url=url)
    with DagsterInstance.get() as instance:
        for source, batch in (("dc_population", "20251104-00"), (LATE, "20251031-00")):
            instance.add_dynamic_partitions(batch_partitions(source).name, [batch])
            run = defs.resolve_job_def(ingest_job_name(source)).execute_in_process(
                instance=instance, partition_key=batch, run_config=QUIET
            )
            assert run.success

        check_context = build_sensor_context(instance=instance, resources={"notifier": notifier})
        notify_failed_checks(check_context)  # first tick: starts from now
        cursor = check_context.cursor

        job = defs.resolve_job_def(CHECK_FRESHNESS_JOB.name)
        result = job.execute_in_process(instance=instance, run_config=QUIET)
        assert result.success  # a late source is a red check, not a crashed run
        fresh = _freshness(result)
        assert fresh["dc_population"][0] is True
        passed, meta = fresh[LATE]
        assert passed is False
        assert meta["last_batch"] == "20251031-00"
        assert meta["lag_hours"] == 99.0 and meta["sla_hours"] == 84
        assert meta["reference_time"] == "2025-11-04T23:00:00+07:00"
        assert fresh["th_tax"][0] is False  # never delivered: as late as it gets

        # The reference clock is run configuration: two days later dc_population is late too.
        later = job.execute_in_process(
            instance=instance,
            run_config={
                **QUIET,
                "ops": {"source_freshness": {"config": {"reference_time": "2025-11-06T12:00:00+07:00"}}},
            },
        )
        assert _freshness(later)["dc_population"][0] is False

        # The failed checks reach the webhook and the log file.
        check_context = build_sensor_context(instance=instance, resources={"notifier": notifier}, cursor=cursor)
        notify_failed_checks(check_context)
        hooked = {(n["asset"], n["check"]) for n in received if n["kind"] == "check_failure"}
        assert (f"raw/{LATE}", FRESHNESS_CHECK) in hooked
        assert ("raw/dc_population", FRESHNESS_CHECK) in hooked  # from the second run
        late_note = next(n for n in received if n["asset"] == f"raw/{LATE}")
        assert "LATE" in late_note["detail"] and late_note["metadata"]["sla_hours"] == "84"
        logged = [json.loads(line) for line in (settings.data_dir / "notifications.jsonl").read_text().splitlines()]
        assert len(logged) == len(received)
        notify_failed_checks(check_context)  # the cursor moved on: nothing is sent twice
        assert len(logged) == len(received)

        # A failed run is notified with its reason.
        instance.add_dynamic_partitions(batch_partitions("dc_population").name, ["20251105-00"])  # never landed
        failed = defs.resolve_job_def(ingest_job_name("dc_population")).execute_in_process(
            instance=instance, partition_key="20251105-00", run_config=QUIET, raise_on_error=False
        )
        assert not failed.success
        failure_event = instance.get_records_for_run(failed.run_id, of_type=DagsterEventType.RUN_FAILURE).records[0]
        run_context = build_run_status_sensor_context(
            sensor_name="notify_failed_runs",
            dagster_event=failure_event.event_log_entry.dagster_event,
            dagster_instance=instance,
            dagster_run=instance.get_run_by_id(failed.run_id),
            resources={"notifier": notifier},
        ).for_run_failure()
        notify_failed_runs(run_context)
        run_note = received[-1]
        assert run_note["kind"] == "run_failure" and run_note["partition"] == "20251105-00"
        assert "not in the landing zone" in run_note["detail"]
