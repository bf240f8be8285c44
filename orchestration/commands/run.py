"""`ndc run`: simulate the sources, ingest every batch, build every layer, print a summary."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date

from orchestration.environment import resolve_settings

HELP = "Run the main job: simulate the 16 sources, ingest, consolidate and gate every layer."

DEFAULT_SCALE = 0.001
DEFAULT_DAYS = 2


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scale",
        type=float,
        default=DEFAULT_SCALE,
        help=f"data size; 1.0 = 157 million source records (default {DEFAULT_SCALE})",
    )
    parser.add_argument("--seed", type=int, default=42, help="simulator seed (default 42)")
    parser.add_argument("--days", type=int, default=DEFAULT_DAYS, help="daily delta batches after the full extract")
    parser.add_argument(
        "--start-date",
        type=date.fromisoformat,
        default=date(2025, 11, 1),
        help="date of the initial full extract (YYYY-MM-DD)",
    )
    parser.add_argument("--sources", nargs="*", default=None, help="simulate only these sources")
    parser.add_argument(
        "--skip-simulate", action="store_true", help="use what is already in the landing zone instead of simulating"
    )


def _progress(message: str) -> None:
    print(f"[ndc {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    if args.scale <= 0:
        raise ValueError(f"--scale must be positive, got {args.scale}")
    settings = resolve_settings()
    settings.ensure_dirs()
    settings.export_to_process()

    if not args.skip_simulate:
        import simulator

        _progress(f"simulate sources at scale {args.scale} (seed {args.seed}, {args.days} delta days)")
        simulator.simulate(
            settings.data_dir,
            scale=args.scale,
            seed=args.seed,
            days=args.days,
            start_date=args.start_date,
            sources=args.sources,
        )

    _progress("load the Dagster definitions")
    from dagster import DagsterInstance

    from orchestration.definitions import build_definitions  # not `defs`: built for the settings resolved above
    from orchestration.pipeline import run_pipeline
    from orchestration.summary import print_summary

    with DagsterInstance.get() as instance:
        report = run_pipeline(build_definitions(), instance, settings, progress=_progress)
    print_summary(settings, report)
    return 0 if report.success else 1
