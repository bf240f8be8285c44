"""The seven-principle scorecard: its source list matches the registry, the report renders from a
hand-made frame, and (slow) the main job produces it for all 16 sources with every score in 0-100.

The formulas themselves are tested by the dbt unit test ``quality_scorecard_formulas``
(dbt_project/models/marts/quality/_quality__unit_tests.yml), run here against the job's warehouse.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from assets.quality.scorecard_report import OVERALL, PRINCIPLES, band, html_report, text_table
from assets.sources import SOURCES

ROOT = Path(__file__).resolve().parents[2]
SCORES = [p.column for p in PRINCIPLES] + [OVERALL]


def test_scorecard_source_list_matches_the_registry() -> None:
    macro = (ROOT / "dbt_project" / "macros" / "quality_sources.sql").read_text()
    listed = re.findall(r"\{'name': '(\w+)', 'code': '(\w+)', 'model': '(\w+)'\}", macro)
    assert {name: code for name, code, _ in listed} == {name: spec.code for name, spec in SOURCES.items()}
    for name, _, model in listed:
        assert model.startswith(f"stg_{name}__")
        assert (ROOT / "dbt_project" / "models" / "staging" / name / f"{model}.sql").is_file()


def _frame() -> pl.DataFrame:
    rows = []
    for day, shift in ((date(2025, 11, 1), 0.0), (date(2025, 11, 2), -10.0)):
        for code, name, base in (("DC", "dc_population", 99.0), ("HT", "ht_civil_status", 70.0)):
            scores = {column: base + shift for column in SCORES}
            rows.append({"source_code": code, "source_name": name, "score_day": day, **scores})
    return pl.DataFrame(rows)


def test_bands() -> None:
    assert (band(99.0), band(85.0), band(10.0), band(None)) == ("good", "fair", "poor", "none")


def test_text_table_shows_the_latest_day_with_bands_and_trend() -> None:
    table = text_table(_frame())
    assert "2025-11-02" in table and "2025-11-01" not in table
    dc_line = next(line for line in table.splitlines() if line.startswith("DC "))
    assert "◐  89.0" in dc_line and "↓ -10.0" in dc_line  # 99 → 89: fair band, falling
    assert "○  60.0" in next(line for line in table.splitlines() if line.startswith("HT "))


def test_html_report_is_self_contained_with_heatmap_and_trends() -> None:
    page = html_report(_frame())
    assert page.count("<svg") == 1 + len(PRINCIPLES)  # heatmap + one trend per principle
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "weakest source" in page and "HT 60.0" in page


# ---------------------------------------------------------------- the main job, end to end


@pytest.fixture(scope="module")
def main_job(tmp_path_factory: pytest.TempPathFactory):
    """`ndc run` at a small scale in a temporary data folder (its own process, as an operator runs it)."""
    data_dir = tmp_path_factory.mktemp("quality_run") / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NDC_", "DAGSTER_", "DBT_"))}
    env.update({"NDC_ENV": "test", "NDC_DATA_DIR": str(data_dir)})
    ndc = str(Path(sys.executable).parent / "ndc")
    run = subprocess.run(
        [ndc, "run", "--scale", "0.0002", "--days", "2", "--seed", "11"],
        env=env, capture_output=True, text=True, timeout=1500, cwd=ROOT,
    )  # fmt: skip
    return data_dir, env, run


@pytest.mark.slow
def test_main_job_scores_all_16_sources_every_day_within_range(main_job) -> None:
    data_dir, _env, run = main_job
    warehouse = data_dir / "warehouse.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        scorecard = con.sql("select * from marts.quality_scorecard").pl()
    days = sorted(scorecard["score_day"].unique().to_list())
    assert len(days) == 3, f"a full extract and two delta days, got {days}\n{run.stderr[-2000:]}"
    latest = scorecard.filter(pl.col("score_day") == days[-1])
    assert sorted(latest["source_name"].to_list()) == sorted(SOURCES)
    assert scorecard.height == 16 * 3
    for column in SCORES:
        assert scorecard[column].null_count() == 0, column
        assert scorecard[column].min() >= 0 and scorecard[column].max() <= 100, column
    # the simulator's defects show: nobody is perfect everywhere, and land (≈ 30 % CMND where a CCCD belongs)
    # is less correct than the population register, the authority every other source is compared with
    assert latest[OVERALL].max() < 100
    by_code = {row["source_code"]: row for row in latest.iter_rows(named=True)}
    assert by_code["DD"]["score_dung"] < by_code["DC"]["score_dung"]


@pytest.mark.slow
def test_scorecard_formulas_unit_test_passes(main_job) -> None:
    data_dir, env, _ = main_job
    dbt = str(Path(sys.executable).parent / "dbt")
    work = data_dir.parent / "dbt_unit"
    dbt_env = {
        **env,
        "NDC_WAREHOUSE_PATH": str(data_dir / "warehouse.duckdb"),
        "NDC_LAKE_ROOT": str(data_dir / "lake"),
        "NDC_DBT_TARGET": "test",
    }
    result = subprocess.run(
        [
            dbt, "test", "--profiles-dir", ".", "--select", "quality_scorecard,test_type:unit",
            "--target-path", str(work / "target"), "--log-path", str(work / "logs"),
        ],
        env=dbt_env, cwd=ROOT / "dbt_project", capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
    assert "PASS=" in result.stdout and "quality_scorecard_formulas" in result.stdout


@pytest.mark.slow
def test_ndc_quality_prints_the_scorecard_and_writes_the_report(main_job) -> None:
    data_dir, env, _ = main_job
    out = data_dir.parent / "report" / "quality.html"
    ndc = str(Path(sys.executable).parent / "ndc")
    args = [ndc, "quality", "--out", str(out)] + (["--png"] if shutil.which("chromium") else [])
    result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "Quality scorecard" in result.stdout and "all sources (mean)" in result.stdout
    assert sum(line[:3].strip() in {s.code for s in SOURCES.values()} for line in result.stdout.splitlines()) == 16
    assert out.is_file() and "<svg" in out.read_text()
