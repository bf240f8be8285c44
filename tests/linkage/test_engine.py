"""The engine API as the warehouse asset will call it: a DuckDB connection, table names, a mapping."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from assets.linkage import dedupe, link
from assets.linkage.synthetic import true_pairs
from tests.linkage.conftest import pair_quality


def test_dedupe_on_a_duckdb_table_with_mapping(dedupe_list: pl.DataFrame) -> None:
    src = dedupe_list.select(
        pl.col("record_id").alias("ma_ho_so"),
        pl.col("full_name").alias("ho_ten"),
        pl.col("birth_date").alias("ngay_sinh"),
        pl.col("sex").alias("gioi_tinh"),
        pl.col("postcode").alias("ma_xa"),
    )
    con = duckdb.connect()
    con.register("src_view", src.to_arrow())
    con.execute("create table stg_people as select * from src_view")
    before = sorted(t for (t,) in con.sql("show tables").fetchall())
    mapping = {
        "record_id": "ma_ho_so",
        "full_name": "ho_ten",
        "birth_date": "ngay_sinh",
        "sex": "gioi_tinh",
        "postcode": "ma_xa",
    }
    result = dedupe("stg_people", mapping=mapping, con=con, label="stg_people")
    assert result.features == ["name", "birth_date", "sex", "postcode"]
    precision, recall = pair_quality(result.pairs, true_pairs(dedupe_list), unordered=True)
    assert precision >= 0.95 and recall >= 0.9, (precision, recall)
    # connected components: every record has a cluster, and each pair sits inside one
    assert result.clusters is not None and result.clusters.height == dedupe_list.height
    cl = result.clusters.rename({"record_id": "record_id_r", "cluster_id": "cluster_r"})
    assert (
        result.pairs.join(cl, on="record_id_r")["cluster_id"] == result.pairs.join(cl, on="record_id_r")["cluster_r"]
    ).all()
    # the connection is left as it was found: no Splink or input tables behind
    assert sorted(t for (t,) in con.sql("show tables").fetchall()) == before
    assert 0.5 <= result.threshold <= 0.99 and "F1" in result.threshold_reason


def test_model_round_trip_and_columns_required(link_lists: tuple[pl.DataFrame, pl.DataFrame], tmp_path) -> None:
    left, right = link_lists
    cols = ["record_id", "full_name", "birth_date", "sex"]
    first = link(left.select(cols), right.select(cols))
    path = tmp_path / "model.json"
    first.save_model(path)
    again = link(left.select(cols), right.select(cols), model=path, threshold=first.threshold)
    assert again.pairs.select("record_id_l", "record_id_r").equals(first.pairs.select("record_id_l", "record_id_r"))
    with pytest.raises(ValueError, match="the model needs column\\(s\\) sex which the input lacks"):
        link(left.select(cols[:3]), right.select(cols[:3]), model=path)
    with pytest.raises(ValueError, match="no usable matching column in common"):
        link(left.select("record_id", "full_name"), right.select("record_id", "birth_date"))
