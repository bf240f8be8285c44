"""Subcommands of `ndc` (see orchestration/cli.py)."""
