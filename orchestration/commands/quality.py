"""`ndc quality`: print the latest day's seven-principle scorecard and write an HTML report with charts."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl

from assets.quality.scorecard_report import html_report, text_table
from orchestration.environment import resolve_settings

HELP = "Print the seven-principle quality scorecard (latest day) and write an HTML report with its trend."

# Consumers read the published schema; the audited one is the fallback before the first publish.
SCORECARD_TABLES = ("marts.quality_scorecard", "marts_audit.quality_scorecard")
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", type=Path, default=None, help="HTML file to write (default <data>/reports/quality.html)"
    )
    parser.add_argument("--png", action="store_true", help="also render the page to PNG with headless chromium")
    parser.add_argument("--no-colour", action="store_true", help="plain symbols, no ANSI colours")


def read_scorecard(warehouse: Path) -> pl.DataFrame:
    """The scorecard from the warehouse, opened read-only (the platform may be writing)."""
    if not warehouse.is_file():
        raise FileNotFoundError(f"no warehouse at {warehouse}: run `ndc run` first")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table in SCORECARD_TABLES:
            schema, name = table.split(".")
            found = con.sql(
                "select count(*) from information_schema.tables "
                f"where table_schema = '{schema}' and table_name = '{name}'"
            ).fetchall()[0][0]
            if found:
                return con.sql(f"select * from {table} order by score_day, source_code").pl()
    raise FileNotFoundError(f"no quality_scorecard in {warehouse}: run `ndc run` first")


def render_png(html_path: Path) -> Path | None:
    """A PNG of the page via headless chromium when installed (for chat, tickets, slides); None otherwise."""
    browser = next((shutil.which(n) for n in CHROMIUM_NAMES if shutil.which(n)), None)
    if browser is None:
        return None
    png = html_path.with_suffix(".png")
    subprocess.run(
        [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            f"--screenshot={png}", "--window-size=1240,1500", html_path.resolve().as_uri(),
        ],
        check=False, capture_output=True, timeout=120,
    )  # fmt: skip
    return png if png.is_file() else None


def run(args: argparse.Namespace) -> int:
    settings = resolve_settings()
    scorecard = read_scorecard(settings.warehouse_path)
    if scorecard.is_empty():
        print("the scorecard is empty: no batch has been consolidated yet")
        return 1
    print(text_table(scorecard, colour=sys.stdout.isatty() and not args.no_colour))
    out: Path = args.out or settings.data_dir / "reports" / "quality.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html_report(scorecard), encoding="utf-8")
    print(f"\nreport: {out}")
    if args.png:
        png = render_png(out)
        print(f"image:  {png}" if png else "image:  not rendered (no headless chromium found)")
    return 0
