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
