"""The deterministic rules and the contradicting-ID guard (int_person_links__deterministic), through real dbt."""

from __future__ import annotations

from typing import Any

import duckdb
import pytest

pytestmark = pytest.mark.slow


def _link(con: duckdb.DuckDBPyConnection, record_key: str) -> dict[str, Any]:
    row = con.sql(
        "select linked_cccd, link_rule, refused_contradiction from integration.int_person_links__deterministic "
        "where source_code = 'CT' and record_key = ?",
        params=[record_key],
    ).fetchall()
    assert len(row) == 1, f"{record_key}: expected one link row, got {len(row)}"
    return dict(zip(("linked_cccd", "link_rule", "refused_contradiction"), row[0], strict=True))


def test_every_rule_links_only_true_persons(identity_warehouse: dict[str, Any]) -> None:
    """Each deterministic rule that fired agrees with the ground truth (the hand-edited records aside)."""
    from assets.identity.scoring import score_links

    with duckdb.connect(str(identity_warehouse["warehouse"]), read_only=True) as con:
        rules = dict(
            con.sql(
                "select link_rule, count(*) from integration.int_person_links__deterministic "
                "where linked_cccd is not null group by 1"
            ).fetchall()
        )
        scores = score_links(con, identity_warehouse["truth"])
    assert {"cccd", "cmnd"} <= set(rules), rules
    assert scores["overall"]["precision"] >= 0.9995, scores["overall"]


def test_cmnd_links_through_the_population(identity_warehouse: dict[str, Any]) -> None:
    case = identity_warehouse["cases"]["cmnd_only"]
    with duckdb.connect(str(identity_warehouse["warehouse"]), read_only=True) as con:
        link = _link(con, case["record_key"])
    assert link == {"linked_cccd": case["cccd"], "link_rule": "cmnd", "refused_contradiction": None}


@pytest.mark.parametrize(
    ("case_name", "reason"),
    [
        ("birth_year_contradiction", "birth_year"),
        ("sex_contradiction", "sex"),
        ("borrowed_cccd", None),
    ],
)
def test_contradicting_id_is_refused(identity_warehouse: dict[str, Any], case_name: str, reason: str | None) -> None:
    """An ID whose person contradicts the record (birth year or sex) is not linked; the reason is kept."""
    case = identity_warehouse["cases"][case_name]
    with duckdb.connect(str(identity_warehouse["warehouse"]), read_only=True) as con:
        link = _link(con, case["record_key"])
    assert link["linked_cccd"] is None
    assert link["refused_contradiction"] in ({reason} if reason else {"birth_year", "sex"})


def test_borrowed_cccd_is_resolved_probabilistically(identity_warehouse: dict[str, Any]) -> None:
    """The refused (borrowed) CCCD is weighed, not trusted: Splink links the record to its true person."""
    case = identity_warehouse["cases"]["borrowed_cccd"]
    with duckdb.connect(str(identity_warehouse["warehouse"]), read_only=True) as con:
        row = con.sql(
            "select decision, linked_cccd, candidate_cccd from integration.mpi_person_links "
            "where source_code = 'CT' and record_key = ?",
            params=[case["record_key"]],
        ).fetchall()
    assert len(row) == 1
    decision, linked, candidate = row[0]
    assert candidate == case["cccd"], row
    assert decision in ("linked", "review")
    assert linked in (case["cccd"], None)
