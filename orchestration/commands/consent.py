"""`ndc consent`: record a citizen's consent withdrawal (or grant) in the simulated consent register."""

from __future__ import annotations

import argparse

from orchestration.environment import resolve_settings

HELP = "Consent register: withdraw (or grant) a person's consent; takes effect at the next build."


def configure_parser(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for action in ("withdraw", "grant"):
        cmd = sub.add_parser(action, help=f"{action} consent for a purpose ('all' = every purpose)")
        cmd.add_argument("--cccd", required=True, help="the person's 12-digit CCCD")
        cmd.add_argument("--purpose", default="all", help="purpose code, or 'all' (default)")


def run(args: argparse.Namespace) -> int:
    from assets.exchange.consent import append_consent_event, events_path

    settings = resolve_settings()
    status = "withdrawn" if args.action == "withdraw" else "granted"
    event = append_consent_event(settings.data_dir, args.cccd, args.purpose, status)
    print(f"consent {status} for purpose {event['purpose_code']} at {event['recorded_at']} UTC")
    print(f"recorded in {events_path(settings.data_dir)}; takes effect at the next build (`ndc run`)")
    return 0
