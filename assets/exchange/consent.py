"""The simulated consent register: who allows their (anonymised) data to be used for which purpose.

Silence is not consent, so the simulation records an explicit grant for every person of the
register at a fixed date (as if given through the citizen app), then a deterministic small share
of withdrawals; real withdrawals are events appended by `ndc consent withdraw` to an append-only
JSON-lines file. The register (latest status per person and purpose) is rebuilt from both at every
build, so a withdrawal takes effect at the next build of the exchange products.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb

PURPOSES: tuple[str, ...] = ("statistics", "planning", "research", "transport_policy", "commercial")
CONSENT_SCHEMA = "consent"
REGISTER_TABLE = "consent_register"
BASELINE_GRANTED_AT = "2025-07-01 00:00:00"
# One person in this many (by a hash of the CCCD) withdrew before the simulation starts.
BASELINE_WITHDRAWAL_MODULUS = 500


def consent_dir(data_dir: Path) -> Path:
    return data_dir / "consent"


def events_path(data_dir: Path) -> Path:
    return consent_dir(data_dir) / "consent_events.jsonl"


def register_path(data_dir: Path) -> Path:
    return consent_dir(data_dir) / "consent_register.parquet"


def append_consent_event(
    data_dir: Path, cccd: str, purpose: str, status: str = "withdrawn", recorded_at: datetime | None = None
) -> dict[str, str]:
    """Append one consent event (never rewrite the file); fsync so a crash cannot lose it."""
    cccd = cccd.strip()
    if not (len(cccd) == 12 and cccd.isdigit()):
        raise ValueError(f"--cccd must be 12 digits, got {cccd!r}")
    if purpose != "all" and purpose not in PURPOSES:
        raise ValueError(f"unknown purpose {purpose!r}; known: all, {', '.join(PURPOSES)}")
    if status not in ("granted", "withdrawn"):
        raise ValueError(f"status must be granted or withdrawn, got {status!r}")
    event = {
        "cccd": cccd,
        "purpose_code": purpose,
        "status": status,
        "recorded_at": (recorded_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M:%S.%f"),
    }
    path = events_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(event, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return event


def _events_sql(data_dir: Path) -> str:
    path = events_path(data_dir)
    if not path.is_file() or path.stat().st_size == 0:
        return (
            "select cast(null as varchar) as cccd, cast(null as varchar) as purpose_code, "
            "cast(null as varchar) as status, cast(null as timestamp) as recorded_at where false"
        )
    columns = "{'cccd': 'VARCHAR', 'purpose_code': 'VARCHAR', 'status': 'VARCHAR', 'recorded_at': 'TIMESTAMP'}"
    return f"select * from read_json('{path.as_posix()}', format = 'newline_delimited', columns = {columns})"


def build_consent_register(con: duckdb.DuckDBPyConnection, data_dir: Path, person_table: str = "core.person") -> int:
    """(Re)write consent.consent_register and its Parquet copy; returns the number of rows.

    An event for purpose 'all' applies to every purpose; the latest event per person and purpose wins.
    """
    purposes = ", ".join(f"('{p}')" for p in PURPOSES)
    query = f"""
        with purposes(purpose_code) as (values {purposes}),
        persons as (select person_id, cccd from {person_table}),
        baseline as (
            select persons.person_id, persons.cccd, purposes.purpose_code,
                case when md5_number(persons.cccd) % {BASELINE_WITHDRAWAL_MODULUS} = 0
                    and purposes.purpose_code = 'research' then 'withdrawn' else 'granted' end as status,
                timestamp '{BASELINE_GRANTED_AT}' as recorded_at, 'simulated_baseline' as origin
            from persons cross join purposes
        ),
        events as (
            select persons.person_id, persons.cccd, purposes.purpose_code, events.status,
                events.recorded_at, 'event' as origin
            from ({_events_sql(data_dir)}) as events
            inner join persons on events.cccd = persons.cccd
            inner join purposes on events.purpose_code in (purposes.purpose_code, 'all')
        ),
        history as (select * from baseline union all select * from events)
        select person_id, purpose_code, status, recorded_at, origin
        from history
        qualify row_number() over (
            partition by person_id, purpose_code order by recorded_at desc, origin = 'event' desc
        ) = 1
    """
    con.execute(f"create schema if not exists {CONSENT_SCHEMA}")
    con.execute(f"create or replace table {CONSENT_SCHEMA}.{REGISTER_TABLE} as {query}")
    out = register_path(data_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".parquet.tmp")
    con.execute(f"copy {CONSENT_SCHEMA}.{REGISTER_TABLE} to '{tmp.as_posix()}' (format parquet)")
    os.replace(tmp, out)
    return con.sql(f"select count(*) from {CONSENT_SCHEMA}.{REGISTER_TABLE}").fetchall()[0][0]
