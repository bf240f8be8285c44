"""The scoring test: staging against the simulator's defect ledger and ground truth.

Real simulator (small scale, full extract + two daily deltas) -> real ingestion (stage_batch + publish) -> real
`dbt build --select tag:reference tag:staging` on a temporary DuckDB file. Per defect type: the share repaired
(staging value == clean value) or flagged (invalid_reason / needs_review / precision flag). Targets: >= 99 % of
repairable defects repaired, 100 % of the others flagged, no clean value altered. The table is printed and written
to bench/results/staging_scoring.json (the closing note quotes it).
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import pytest
import staging_scoring
from staging_fixtures import simulated_warehouse  # noqa: F401  (fixture)

pytestmark = pytest.mark.slow

RESULTS = Path(__file__).resolve().parents[2] / "bench" / "results" / "staging_scoring.json"


def test_staging_repairs_or_flags_every_defect(simulated_warehouse: dict[str, Path]) -> None:  # noqa: F811
    started = time.perf_counter()
    with duckdb.connect(str(simulated_warehouse["warehouse"]), read_only=True) as con:
        result = staging_scoring.score(con, simulated_warehouse["truth"])
        rows = {
            m: con.sql(f"select count(*) from staging.{m}").fetchall()[0][0] for m in staging_scoring.MODELS.values()
        }
    result["rows_by_model"] = rows
    result["scoring_seconds"] = round(time.perf_counter() - started, 2)
    staging_scoring.write(result, RESULTS)
    print("\n" + staging_scoring.table(result))

    assert all(n > 0 for n in rows.values()), rows
    seen = {r["defect_type"] for r in result["defects"]}
    assert {"upper", "nfd", "old_tone", "date_dmy", "legacy_admin", "duplicate", "cmnd_for_cccd"} <= seen
    for r in result["defects"]:
        if r["repairable"]:
            assert r["repaired_pct"] >= 99.0, r
        else:
            assert r["missed"] == 0, r  # every unrepairable defect carries a flag
    altered = [c for c in result["clean_values"] if c["altered"]]
    assert result["clean_values_altered"] == 0, altered


def test_staging_contracts_pass_on_simulator_output(simulated_warehouse: dict[str, Path]) -> None:  # noqa: F811
    from assets.quality.soda_gate import verify_contract
    from orchestration.freshness import simulated_now

    # the gate runs on the simulated clock, exactly as the Dagster contract check does
    now = simulated_now(simulated_warehouse["lake"], simulated_warehouse["base"] / "data" / "landing")
    assert now is not None

    contracts = sorted((Path(__file__).resolve().parents[2] / "contracts" / "staging").glob("*.yml"))
    assert {c.stem for c in contracts} == set(staging_scoring.MODELS.values())
    with duckdb.connect(str(simulated_warehouse["warehouse"]), read_only=True) as con:
        gates = {c.stem: verify_contract(con, c, variables={"NOW": now.isoformat()}) for c in contracts}
    failed = {name: g.describe() for name, g in gates.items() if not g.passed}
    assert not failed, failed


def test_a_staging_contract_fails_on_broken_data(simulated_warehouse: dict[str, Path], tmp_path: Path) -> None:  # noqa: F811
    from assets.quality.soda_gate import verify_contract
    from orchestration.freshness import simulated_now

    model = "stg_yt_health__vaccinations"
    broken = tmp_path / "warehouse.duckdb"  # the contract addresses the database by its file name
    with duckdb.connect(str(broken)) as con:
        con.sql(f"attach '{simulated_warehouse['warehouse']}' as src (read_only)")
        con.sql("create schema staging")
        con.sql(f"create table staging.{model} as select * from src.staging.{model}")
        # duplicated keys, a foreign sex code and phones that are not national numbers
        con.sql(f"insert into staging.{model} select * from staging.{model} limit 5")
        con.sql(
            f"update staging.{model} set sex = 'X', phone = '+84' || phone where record_key in "
            f"(select record_key from staging.{model} limit 20)"
        )
        con.sql("detach src")
        now = simulated_now(simulated_warehouse["lake"], simulated_warehouse["base"] / "data" / "landing")
        contract = Path(__file__).resolve().parents[2] / "contracts" / "staging" / f"{model}.yml"
        gate = verify_contract(con, contract, variables={"NOW": now.isoformat()})
    assert not gate.passed
    assert {"duplicate", "sex.invalid", "phone.invalid"} <= {c.label for c in gate.failed_checks}
