"""`ndc ingest`: register complete landing batches and ingest the pending ones, for some or all sources.

Why a command and not a job: each raw asset has its own dynamic partitions (one key per batch),
and a partitioned Dagster job can only target assets sharing one partitions definition. So a
"group" or "everything pending" is a sequence of per-source runs (`ingest_<source>`, one run
per batch), each recorded in the instance and visible in the UI like a sensor-launched run.
"""

from __future__ import annotations

import argparse
import sys
import time

from assets.sources.registry import GROUPS, SOURCES, sources_in_group
from orchestration.environment import resolve_settings

HELP = "Ingest pending landing batches: one source, a group of sources, or everything (--all)."


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source",
        action="append",
        default=[],
        choices=list(SOURCES),
        metavar="SOURCE",
        help="a source to ingest (repeatable), e.g. dc_population",
    )
    parser.add_argument("--group", action="append", default=[], choices=list(GROUPS), help="a group of sources")
    parser.add_argument("--all", action="store_true", help="every source")


def selected_sources(args: argparse.Namespace) -> list[str]:
    if args.all and (args.source or args.group):
        raise ValueError("--all cannot be combined with --source or --group")
    if args.all:
        return list(SOURCES)
    wanted = set(args.source)
    for group in args.group:
        wanted.update(sources_in_group(group))
    if not wanted:
        raise ValueError("say what to ingest: --source S, --group G or --all")
    return [s for s in SOURCES if s in wanted]


def _progress(message: str) -> None:
    print(f"[ndc {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    sources = selected_sources(args)
    settings = resolve_settings()
    settings.ensure_dirs()
    settings.export_to_process()

    from dagster import DagsterInstance

    from orchestration.definitions import build_definitions  # not `defs`: built for the settings resolved above
    from orchestration.pipeline import PipelineReport, ingest_pending, register_pending_batches

    report = PipelineReport()
    with DagsterInstance.get() as instance:
        added = register_pending_batches(instance, settings, sources)
        _progress(f"registered {sum(len(b) for b in added.values())} new batch(es) for {len(sources)} source(s)")
        ingest_pending(build_definitions(), instance, settings, report, _progress, sources=sources)
    if not report.batches:
        print("nothing pending")
        return 0
    for outcome in report.batches:
        status = "ok    " if outcome.success else "FAILED"
        print(f"{status} {outcome.source:<24} {outcome.batch_id:<14} {outcome.detail}".rstrip())
    failed = sum(not b.success for b in report.batches)
    print(f"{len(report.batches) - failed} batch(es) ingested, {failed} failed")
    return 0 if failed == 0 else 1
