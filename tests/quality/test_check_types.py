"""Every Soda check type the contracts use, shown failing on purpose-built bad data, and a failed
gate shown to stop the asset downstream of it (a blocking Dagster check, as in the platform).

test_soda_gate.py covers row_count, duplicate, missing, valid values and the warn band; this module
covers the rest: freshness on the simulated clock, valid format (regex), reference-set validity,
SQL metric, failed rows and schema.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from dagster import (
    AssetCheckResult,
    AssetSelection,
    Definitions,
    asset,
    asset_check,
    define_asset_job,
)

from assets.quality.soda_gate import verify_contract

NOW = "2025-11-03T02:00:00+07:00"  # the platform clock the gate receives (simulated time)

CONTRACT = """
dataset: ndc/warehouse/main/people
checks:
  - schema:
      allow_extra_columns: true
      allow_other_column_order: true
  - freshness:
      column: updated_at
      now_variable: NOW
      threshold:
        unit: hour
        must_be_less_than_or_equal: 36
  - metric:
      name: Every person is in the population register
      query: >
        select count(*) from main.people as p
        where not exists (select 1 from main.population as d where d.cccd = p.cccd)
      threshold:
        must_be: 0
  - failed_rows:
      name: The CCCD's birth year matches the date of birth
      expression: cast(substr(cccd, 5, 2) as integer) <> year(birth_date) % 100
columns:
  - name: cccd
    data_type: varchar
    checks:
      - invalid:
          valid_format:
            name: 12 digits
            regex: '^[0-9]{12}$'
  - name: commune_code
    checks:
      - invalid:
          valid_reference_data:
            dataset: ndc/warehouse/main/communes
            column: commune_code
  - name: note
    data_type: varchar
  - name: birth_date
  - name: updated_at
"""

GOOD_ROWS = [
    ("001090000001", "00004", "a", "1990-05-01", "2025-11-02 15:00:00"),
    ("001085000002", "00007", "b", "1985-01-31", "2025-11-02 10:00:00"),
]

# (bad data, the check type that must fail): each case breaks exactly one rule of the contract.
BAD_CASES = {
    "freshness": ("update people set updated_at = timestamp '2025-10-20 00:00:00'", "freshness"),
    "valid_format": (  # also in the population register, so only the format rule breaks
        "update people set cccd = 'A01090000001' where commune_code = '00004'; "
        "update population set cccd = 'A01090000001' where cccd = '001090000001'",
        "invalid",
    ),
    "reference_data": ("update people set commune_code = '99999' where cccd = '001085000002'", "invalid"),
    "metric": ("delete from population where cccd = '001085000002'", "metric"),
    "failed_rows": ("update people set birth_date = date '1991-05-01' where cccd = '001090000001'", "failed_rows"),
    "schema": ("alter table people drop column note", "schema"),  # a contracted column disappears
}


def make_warehouse(path: Path, mutation: str | None = None) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute(
            "create or replace table people "
            "(cccd varchar, commune_code varchar, note varchar, birth_date date, updated_at timestamp)"
        )
        con.executemany("insert into people values (?, ?, ?, ?, ?)", GOOD_ROWS)
        con.execute("create or replace table population as select cccd from people")
        con.execute("create or replace table communes as select * from (values ('00004'), ('00007')) t(commune_code)")
        if mutation:
            con.execute(mutation)


@pytest.fixture
def contract(tmp_path: Path) -> Path:
    path = tmp_path / "people.yml"
    path.write_text(CONTRACT)
    return path


def _verify(warehouse: Path, contract: Path, variables: dict[str, str] | None = None):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return verify_contract(con, contract, variables=variables)


def test_good_data_passes_every_check_type(tmp_path: Path, contract: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    make_warehouse(warehouse)
    gate = _verify(warehouse, contract, {"NOW": NOW})
    assert gate.passed, gate.describe() + gate.errors
    assert {c.type for c in gate.checks} >= {"schema", "freshness", "metric", "failed_rows", "invalid"}
    freshness = next(c for c in gate.checks if c.type == "freshness")
    assert freshness.metrics["freshness_in_hours"] == pytest.approx(4.0)  # 19:00 UTC clock - 15:00 UTC data


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_each_check_type_fails_on_bad_data(tmp_path: Path, contract: Path, case: str) -> None:
    mutation, failing_type = BAD_CASES[case]
    warehouse = tmp_path / "warehouse.duckdb"
    make_warehouse(warehouse, mutation)
    gate = _verify(warehouse, contract, {"NOW": NOW})
    assert not gate.passed
    failed = {c.type for c in gate.failed_checks}
    assert failed == {failing_type}, f"{case}: failed {failed}, expected only {failing_type}: {gate.describe()}"


def test_freshness_is_measured_on_the_simulated_clock_not_the_wall_clock(tmp_path: Path, contract: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    make_warehouse(warehouse)
    late_clock = {"NOW": "2025-11-06T02:00:00+07:00"}  # three days on: the same data is now late
    assert {c.type for c in _verify(warehouse, contract, late_clock).failed_checks} == {"freshness"}
    # no clock at all (a caller forgot the variable): the freshness check fails, it never passes silently
    assert "freshness" in {c.type for c in _verify(warehouse, contract).failed_checks}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_a_failed_check_of_each_type_blocks_the_downstream_asset(tmp_path: Path, contract: Path, case: str) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    mutation, _ = BAD_CASES[case]

    @asset
    def people() -> None:
        make_warehouse(warehouse, mutation)

    @asset_check(asset=people, blocking=True)
    def people_contract() -> AssetCheckResult:
        gate = _verify(warehouse, contract, {"NOW": NOW})
        return AssetCheckResult(passed=gate.passed, metadata={"summary": gate.describe()})

    @asset(deps=[people])
    def people_report() -> None:
        """Stands for everything built from people: it must never see a failed gate's data."""

    job = define_asset_job("gated", selection=AssetSelection.all())
    defs = Definitions(assets=[people, people_report], asset_checks=[people_contract], jobs=[job])
    result = defs.resolve_job_def("gated").execute_in_process(raise_on_error=False)
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    evaluations = result.get_asset_check_evaluations()
    assert [e.passed for e in evaluations] == [False]
    assert materialized == {"people"}, f"{case}: downstream built despite a failed gate"
