"""The master person index: quality on small simulated data, and the no-record-dropped invariant."""

from __future__ import annotations

from typing import Any

import duckdb
import polars as pl
import pytest

from assets.identity.mpi import DECISIONS, LINKS_TABLE, REVIEW_TABLE, run_mpi


@pytest.mark.slow
def test_mpi_precision_and_recall(identity_warehouse: dict[str, Any]) -> None:
    from assets.identity.scoring import score_links

    with duckdb.connect(str(identity_warehouse["warehouse"]), read_only=True) as con:
        scores = score_links(con, identity_warehouse["truth"])
    overall, no_id = scores["overall"], scores["no_usable_identifier"]
    assert overall["precision"] >= 0.999, overall
    assert overall["recall"] >= 0.99, overall
    assert no_id["mentions"] > 0
    assert no_id["precision"] >= 0.99, no_id
    assert no_id["recall"] >= 0.95, no_id
    assert (identity_warehouse["data"] / "models" / "mpi_model.json").is_file()


@pytest.mark.slow
def test_no_record_dropped(identity_warehouse: dict[str, Any]) -> None:
    """Exactly one MPI row per mention without a deterministic link; the review queue is the review band."""
    with duckdb.connect(str(identity_warehouse["warehouse"]), read_only=True) as con:
        missing, extra, dup = con.sql(
            f"""with u as (select mention_id from integration.int_person_links__deterministic
                           where linked_cccd is null)
                select (select count(*) from u anti join {LINKS_TABLE} using (mention_id)),
                       (select count(*) from {LINKS_TABLE} anti join u using (mention_id)),
                       (select count(*) - count(distinct mention_id) from {LINKS_TABLE})"""
        ).fetchall()[0]
        decisions = dict(con.sql(f"select decision, count(*) from {LINKS_TABLE} group by 1").fetchall())
        queue = con.sql(f"select count(*) from {REVIEW_TABLE}").fetchall()[0][0]
        bad_linked = con.sql(
            f"select count(*) from {LINKS_TABLE} where (decision = 'linked') <> (linked_cccd is not null)"
        ).fetchall()[0][0]
    assert (missing, extra, dup) == (0, 0, 0)
    assert set(decisions) <= set(DECISIONS)
    assert queue == decisions.get("review", 0)
    assert bad_linked == 0


# -- a hand-made warehouse: fast, no dbt ------------------------------------------------------------------------

_SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ"]
_MIDDLES = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Đức"]
_GIVENS = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Khoa", "Lan", "Long", "Mai", "Nam"]


def _population(n: int) -> pl.DataFrame:
    i = pl.int_range(0, n, eager=True)
    return pl.DataFrame(
        {
            "cccd": i.map_elements(lambda k: f"0010{k:08d}", return_dtype=pl.String),
            "record_key": i.cast(pl.String),
            "full_name": pl.Series(
                [f"{_SURNAMES[k % 10]} {_MIDDLES[(k // 10) % 6]} {_GIVENS[(k // 60) % 12]}" for k in range(n)]
            ),
            "birth_date": pl.date_range(pl.date(1950, 1, 1), pl.date(2010, 1, 1), "17d", eager=True)[:n],
            "birth_date_precision": pl.Series(["day"] * n),
            "sex": pl.Series(["M" if k % 2 else "F" for k in range(n)]),
            "residence_commune_code": pl.Series([f"{k % 40:05d}" for k in range(n)]),
            "phone": pl.Series([f"09{k:08d}" if k % 3 else None for k in range(n)]),
            "father_name": pl.Series([None] * n, dtype=pl.String),
            "mother_name": pl.Series([None] * n, dtype=pl.String),
            "source_updated_at": pl.Series([None] * n, dtype=pl.Datetime),
        }
    )


def _hand_made(con: duckdb.DuckDBPyConnection, n_pop: int = 600) -> None:
    pop = _population(n_pop)
    copies = pop.head(40)  # exact copies: must link
    garbage = pl.DataFrame(
        {"full_name": ["Zzyzx Qwerty", "Xylo Phonk"], "birth_date": [None, None]},
        schema={"full_name": pl.String, "birth_date": pl.Date},
    )
    mentions = pl.concat(
        [
            copies.select(
                pl.col("cccd").alias("record_key"),
                "full_name",
                "birth_date",
                "birth_date_precision",
                "sex",
                pl.col("residence_commune_code").alias("commune_code"),
                "phone",
                "father_name",
                "mother_name",
            ),
            garbage.with_columns(
                record_key=pl.Series(["g1", "g2"]),
                birth_date_precision=pl.lit(None, pl.String),
                sex=pl.lit(None, pl.String),
                commune_code=pl.lit(None, pl.String),
                phone=pl.lit(None, pl.String),
                father_name=pl.lit(None, pl.String),
                mother_name=pl.lit(None, pl.String),
            ),
        ],
        how="diagonal_relaxed",
    ).with_columns(
        mention_id=pl.concat_str(pl.lit("m-"), pl.col("record_key")),
        source_code=pl.lit("HT"),
        cccd=pl.lit(None, pl.String),
    )
    con.register("pop", pop.to_arrow())
    con.register("men", mentions.to_arrow())
    con.execute("create schema staging; create schema integration")
    con.execute("create table staging.stg_dc_population__persons as select * from pop")
    con.execute("create table integration.int_person_mentions as select * from men")
    con.execute("""create table integration.int_person_links__deterministic as
                   select mention_id, source_code, record_key, cast(null as varchar) as linked_cccd,
                          cast(null as varchar) as link_rule, cast(null as varchar) as refused_contradiction
                   from men""")
    con.unregister("pop")
    con.unregister("men")


def test_hand_made_one_row_per_mention(tmp_path) -> None:
    con = duckdb.connect()
    _hand_made(con)
    summary = run_mpi(con, data_dir=tmp_path)
    out = con.sql(f"select mention_id, decision, linked_cccd, record_key from {LINKS_TABLE}").pl()
    assert out.height == 42 and out.get_column("mention_id").n_unique() == 42
    assert sum(summary["decisions"].values()) == 42
    copies = out.filter(pl.col("record_key").str.starts_with("0010"))
    assert (copies.get_column("linked_cccd") == copies.get_column("record_key")).all()
    assert out.filter(pl.col("record_key").is_in(["g1", "g2"])).get_column("decision").to_list() == ["unlinked"] * 2
    # Splink's own tables are gone; only the two outputs remain in the integration schema.
    tables = {
        t
        for (t,) in con.sql(
            "select table_name from information_schema.tables where table_schema = 'integration'"
        ).fetchall()
    }
    assert {"mpi_person_links", "mpi_review_queue"} <= tables
    assert not any(t.startswith("__splink") or t.startswith("__ndc") for (t,) in con.sql("show tables").fetchall())


def test_nothing_to_resolve_still_writes_empty_tables(tmp_path) -> None:
    con = duckdb.connect()
    _hand_made(con, n_pop=100)
    con.execute("delete from integration.int_person_links__deterministic")
    summary = run_mpi(con, data_dir=tmp_path)
    assert summary["mentions"] == 0
    assert con.sql(f"select count(*) from {LINKS_TABLE}").fetchall()[0][0] == 0
    assert con.sql(f"select count(*) from {REVIEW_TABLE}").fetchall()[0][0] == 0
