"""The Soda gate on real DuckDB tables: passes good data, fails each bad case, errors are failures."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from assets.quality.raw_contracts import render_raw_contract
from assets.quality.soda_gate import verify_contract
from assets.sources import SOURCES

CONTRACT = """
dataset: ndc/memory/main/people
checks:
  - row_count:
      threshold:
        must_be_greater_than: 0
  - duplicate:
      columns: [id]
columns:
  - name: id
    checks:
      - missing:
  - name: sex
    checks:
      - invalid:
          valid_values: ['M', 'F']
"""


@pytest.fixture
def contract(tmp_path: Path) -> Path:
    path = tmp_path / "people.yml"
    path.write_text(CONTRACT)
    return path


def _con(rows: list[tuple]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create table people (id varchar, sex varchar)")
    if rows:
        con.executemany("insert into people values (?, ?)", rows)
    return con


def test_good_data_passes(contract: Path) -> None:
    gate = verify_contract(_con([("1", "M"), ("2", "F")]), contract)
    assert gate.passed, gate.describe()
    assert {c.outcome for c in gate.checks} == {"passed"}


@pytest.mark.parametrize(
    ("rows", "failing"),
    [
        ([], "row_count"),
        ([("1", "M"), ("1", "F")], "duplicate"),
        ([("1", "M"), (None, "F")], "id.missing"),
        ([("1", "M"), ("2", "X")], "sex.invalid"),
    ],
)
def test_each_check_type_fails_on_bad_data(contract: Path, rows, failing: str) -> None:
    gate = verify_contract(_con(rows), contract)
    assert not gate.passed
    assert [c.label for c in gate.failed_checks] == [failing]
    assert failing in gate.describe()


def test_missing_table_or_contract_is_a_failure_not_a_pass(contract: Path, tmp_path: Path) -> None:
    con = duckdb.connect()
    gate = verify_contract(con, contract)
    assert not gate.passed and gate.errors
    gate = verify_contract(con, tmp_path / "nope.yml")
    assert not gate.passed and "does not exist" in gate.errors


def test_raw_contract_files_are_generated_from_the_specs() -> None:
    contracts = Path(__file__).resolve().parents[2] / "contracts" / "raw"
    for spec in SOURCES.values():
        path = contracts / f"{spec.name}.yml"
        assert path.is_file(), f"missing {path}: run scripts/generate_raw_contracts.py"
        assert path.read_text(encoding="utf-8") == render_raw_contract(spec), (
            f"{path} is stale: run scripts/generate_raw_contracts.py"
        )


WARN_CONTRACT = """
dataset: ndc/memory/main/people
columns:
  - name: sex
    checks:
      - invalid:
          valid_values: ['M', 'F']
          threshold:
            metric: percent
            must_be_less_than: 50
            additional:
              level: warn
              must_be_less_than: 10
"""


def test_warning_threshold_passes_the_gate_but_is_reported(tmp_path: Path) -> None:
    from dagster import AssetCheckSeverity, AssetKey

    from orchestration.check_metadata import gate_check_result

    contract = tmp_path / "warn.yml"
    contract.write_text(WARN_CONTRACT)
    gate = verify_contract(_con([("1", "M"), ("2", "X"), ("3", "F")]), contract)  # 33 % invalid: warn band
    assert gate.passed and [c.label for c in gate.warned_checks] == ["sex.invalid"]
    result = gate_check_result(gate, asset_key=AssetKey(["t"]), check_name="c", lake_root=tmp_path, run_id="r1")
    assert (result.passed, result.severity) == (False, AssetCheckSeverity.WARN)  # visible, never blocking

    gate = verify_contract(_con([("1", "X"), ("2", "X"), ("3", "F")]), contract)  # 67 %: fail band
    assert not gate.passed and [c.label for c in gate.failed_checks] == ["sex.invalid"]
    result = gate_check_result(gate, asset_key=AssetKey(["t"]), check_name="c", lake_root=tmp_path, run_id="r2")
    assert (result.passed, result.severity) == (False, AssetCheckSeverity.ERROR)


def test_results_history_keeps_every_check(tmp_path: Path, contract: Path) -> None:
    import polars as pl

    from assets.quality import results_store

    gate = verify_contract(_con([("1", "M"), ("1", "X")]), contract)
    for run in ("run-a", "run-b"):
        results_store.record(tmp_path, results_store.gate_rows("main/people", None, "soda_contract", gate, run))
    history = pl.read_parquet(results_store.results_dir(tmp_path) / "*" / "*.parquet")
    assert history.height == 2 * len(gate.checks)
    assert history.filter(pl.col("outcome") == "failed")["soda_check"].n_unique() == 2
    assert set(history["run_id"]) == {"run-a", "run-b"}


def test_unparseable_contract_is_a_failed_gate(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("dataset: ndc/memory/main/people\nchecks:\n  - row_count:\n")  # no columns: invalid
    gate = verify_contract(_con([("1", "M")]), broken)
    assert not gate.passed and "columns" in gate.errors
