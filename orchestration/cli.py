"""`ndc`: the operator's command line.

Each subcommand lives in its own module exposing ``HELP``, ``configure_parser(parser)`` and
``run(args) -> int``. Modules are imported lazily so ``ndc --help`` stays fast and a broken
optional command cannot take the others down.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# name -> module implementing it (see module docstring for the protocol).
COMMANDS: dict[str, str] = {
    "run": "orchestration.commands.run",
    "ingest": "orchestration.commands.ingest",
    "simulate": "simulator.cli",
    "link": "assets.linkage.cli",
    "exchange": "orchestration.commands.exchange",
    "consent": "orchestration.commands.consent",
    "quality": "orchestration.commands.quality",
}


class CommandError(Exception):
    """An expected, user-facing failure: printed as one line, exit code 2."""


# Exceptions a command raises for bad input: one clear line, no traceback.
USER_ERRORS: tuple[type[BaseException], ...] = (CommandError, ValueError, FileNotFoundError)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ndc",
        description="National data platform: simulate sources, consolidate, check and share.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module_name in COMMANDS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:  # a command whose module is not there yet
            if exc.name and module_name.startswith(exc.name):
                continue
            raise
        cmd = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.configure_parser(cmd)
        cmd.set_defaults(_module=module)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args._module.run(args) or 0)
    except USER_ERRORS as exc:
        print(f"ndc {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"ndc {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
