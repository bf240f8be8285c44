"""Score person assignment (deterministic + probabilistic links) against the simulator's ground truth.

Only the simulator writes a truth folder; production has none, so callers score only when it exists.
A mention's true person: record_truth (source name <-> source code, record_key) -> true_id, which for an enterprise
record (the legal representative's mention) is the enterprise's representative, -> that person's CCCD.
Precision = correct links / links made; recall = correct links / mentions whose true person has a CCCD.
"No usable identifier" = the mentions the deterministic rules did not link (no valid id, or a refused contradiction).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from assets.identity.mpi import DETERMINISTIC, LINKS_TABLE, MENTIONS


def truth_available(truth_dir: Path) -> bool:
    return (truth_dir / "record_truth.parquet").is_file() and (truth_dir / "person.parquet").is_file()


def _figures(correct: int, linked: int, relevant: int, mentions: int) -> dict[str, Any]:
    return {
        "mentions": mentions,
        "linked": linked,
        "correct": correct,
        "precision": round(correct / linked, 5) if linked else None,
        "recall": round(correct / relevant, 5) if relevant else None,
    }


def score_links(con: duckdb.DuckDBPyConnection, truth_dir: Path) -> dict[str, Any]:
    """Precision / recall overall, per source and on mentions without a usable identifier (needs the truth)."""
    truth_dir = Path(truth_dir)
    enterprise = truth_dir / "enterprise.parquet"
    rep = (
        f"left join read_parquet('{enterprise}') as e on rt.entity_type = 'enterprise' and e.enterprise_id = rt.true_id"
        if enterprise.is_file()
        else "left join (select null as enterprise_id, null as representative_person_id) as e on false"
    )
    rows = con.sql(
        f"""with rt as (
                select upper(split_part(source, '_', 1)) as source_code, record_key, entity_type, true_id
                from read_parquet('{truth_dir / "record_truth.parquet"}')
                qualify row_number() over (partition by source, record_key order by batch_id desc) = 1),
            truth as (
                select rt.source_code, rt.record_key, p.cccd as true_cccd
                from rt {rep}
                left join read_parquet('{truth_dir / "person.parquet"}') as p
                    on p.person_id = case when rt.entity_type = 'enterprise' then e.representative_person_id
                                          else rt.true_id end),
            scored as (
                select m.source_code, d.linked_cccd is null as no_usable_id,
                       coalesce(d.linked_cccd, case when p.decision = 'linked' then p.linked_cccd end) as assigned,
                       t.true_cccd
                from {MENTIONS} as m
                inner join {DETERMINISTIC} as d on d.mention_id = m.mention_id
                left join {LINKS_TABLE} as p on p.mention_id = m.mention_id
                left join truth as t on t.source_code = m.source_code and t.record_key = m.record_key)
            select source_code, no_usable_id, count(*) as mentions, count(assigned) as linked,
                   count(*) filter (where assigned = true_cccd) as correct, count(true_cccd) as relevant
            from scored group by all"""
    ).pl()

    def agg(frame: pl.DataFrame) -> dict[str, Any]:
        s = frame.sum()
        return _figures(
            int(s["correct"][0] or 0), int(s["linked"][0] or 0), int(s["relevant"][0] or 0), int(s["mentions"][0] or 0)
        )

    return {
        "overall": agg(rows),
        "no_usable_identifier": agg(rows.filter(pl.col("no_usable_id"))),
        "per_source": {
            code: agg(rows.filter(pl.col("source_code") == code))
            for code in sorted(rows.get_column("source_code").unique().to_list())
        },
        "per_source_no_usable_identifier": {
            code: agg(rows.filter((pl.col("source_code") == code) & pl.col("no_usable_id")))
            for code in sorted(rows.filter(pl.col("no_usable_id")).get_column("source_code").unique().to_list())
        },
    }
