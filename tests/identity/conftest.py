"""A small simulated warehouse with hand-made identity cases, built once per session with real dbt.

simulate (scale 0.0003) -> ingest -> `dbt build` reference + staging + integration -> edit a few staging rows
(identifier rules and contradictions whose expected outcome we know) -> `dbt run` integration again -> MPI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.dbt_cli import dbt_process


def _ingest_all(landing_root: Path, lake_root: Path) -> None:
    from assets.ingestion.batch import stage_batch
    from assets.sources.registry import SOURCES

    for name, spec in SOURCES.items():
        for batch_dir in sorted(p for p in (landing_root / name).glob("*") if p.is_dir()):
            stage_batch(spec, batch_dir, lake_root).publish()


def _dbt(command: str, warehouse: Path, lake_root: Path, work: Path, select: str) -> None:
    result = dbt_process(command, ["--select", *select.split()], warehouse, lake_root, work)
    assert result.returncode == 0, result.stdout[-6000:]


# Hand-made cases on one staging table (ct_residence: every column of a person mention). Each picks a distinct
# record linked by its CCCD whose person has a CMND, and rewrites it so that one known rule must apply.
CASES_SQL = """
create or replace temp table cases as
with pool as (
    select s.record_key, s.cccd, p.cmnd as pop_cmnd, s.birth_date, s.sex,
           row_number() over (order by s.record_key) as n
    from staging.stg_ct_residence__registrations as s
    inner join staging.stg_dc_population__persons as p on p.cccd = s.cccd
    where p.cmnd is not null and s.birth_date is not null and s.sex is not null
)
select *, case n when 1 then 'cmnd_only' when 2 then 'birth_year_contradiction' when 3 then 'sex_contradiction'
                 when 4 then 'borrowed_cccd' end as case_name
from pool where n <= 5
"""

EDITS = [
    # only the old CMND: linked through the population's so_cmnd_cu
    "update staging.stg_ct_residence__registrations s set cccd = null, cmnd = c.pop_cmnd, bhxh = null, mst = null "
    "from cases c where c.case_name = 'cmnd_only' and s.record_key = c.record_key",
    # the record's birth year contradicts the CCCD's person: refused
    "update staging.stg_ct_residence__registrations s set birth_date = s.birth_date - interval 30 year "
    "from cases c where c.case_name = 'birth_year_contradiction' and s.record_key = c.record_key",
    # the record's sex contradicts the CCCD's person: refused
    "update staging.stg_ct_residence__registrations s set sex = case s.sex when 'M' then 'F' else 'M' end "
    "from cases c where c.case_name = 'sex_contradiction' and s.record_key = c.record_key",
    # someone else's CCCD (case 5's person, different year and sex guaranteed below): refused, then Splink links
    # the record to its true person on name, birth date, sex and commune
    "update staging.stg_ct_residence__registrations s set cccd = o.cccd, cmnd = null, bhxh = null, mst = null "
    "from cases c, (select p.cccd from staging.stg_dc_population__persons p, cases c4 "
    "               where c4.case_name = 'borrowed_cccd' and year(p.birth_date) <> year(c4.birth_date) "
    "               and p.sex <> c4.sex order by p.cccd limit 1) o "
    "where c.case_name = 'borrowed_cccd' and s.record_key = c.record_key",
]


@pytest.fixture(scope="session")
def identity_warehouse(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    import simulator
    from assets.identity.mpi import run_mpi

    base = tmp_path_factory.mktemp("identity")
    data = base / "data"
    simulator.simulate(data, scale=0.0003, seed=7)
    lake = data / "lake"
    _ingest_all(data / "landing", lake)
    warehouse = data / "warehouse.duckdb"
    _dbt("build", warehouse, lake, base, "tag:reference tag:staging tag:integration")
    with duckdb.connect(str(warehouse)) as con:
        con.execute(CASES_SQL)
        cases = {
            r[0]: {"record_key": r[1], "cccd": r[2]}
            for r in con.sql("select case_name, record_key, cccd from cases where case_name is not null").fetchall()
        }
        for sql in EDITS:
            con.execute(sql)
    _dbt("run", warehouse, lake, base, "tag:integration")
    with duckdb.connect(str(warehouse)) as con:
        summary = run_mpi(con, data_dir=data)
    return {"warehouse": warehouse, "truth": data / "truth", "data": data, "cases": cases, "summary": summary}
