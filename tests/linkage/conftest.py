"""Generated person files with known truth (no downloads): shared by the linkage tests."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from assets.linkage.synthetic import noisy_copy, population, with_duplicates


@pytest.fixture(scope="session")
def dedupe_list() -> pl.DataFrame:
    """1,500 persons (5 % Western) plus noisy duplicates of 20 % of them, with person_id truth."""
    return with_duplicates(1500, dup_rate=0.2, seed=7)


@pytest.fixture(scope="session")
def link_lists() -> tuple[pl.DataFrame, pl.DataFrame]:
    """Right: a clean 2,000-person population. Left: a 'ministry list' of 400 noisy copies of
    population members plus 100 outsiders, names split into family/given by position."""
    pop = population(2000, seed=11, western_share=0.1).with_columns(
        birth_date=pl.col("birth_date").dt.strftime("%Y-%m-%d"),
        record_id=pl.format("P{}", pl.col("person_id")),
    )
    members = noisy_copy(pop.sample(400, seed=3).with_columns(pl.col("birth_date").str.to_date()), seed=5)
    outsiders = population(100, seed=99, western_share=0.1).with_columns(
        person_id=pl.col("person_id") + 1_000_000, birth_date=pl.col("birth_date").dt.strftime("%Y%m%d")
    )
    left = pl.concat([members.drop("western"), outsiders.drop("western")], how="diagonal_relaxed")
    tokens = pl.col("full_name").str.split(" ")
    left = left.with_columns(
        family_name=tokens.list.first(),
        given_name=tokens.list.slice(1).list.join(" "),
        record_id=pl.format("B{}", pl.int_range(pl.len())),
    )
    return left, pop


def write(df: pl.DataFrame, path: Path) -> Path:
    """Write by suffix, the way an analyst's file would arrive."""
    if path.suffix == ".csv":
        df.write_csv(path)
    else:
        df.write_parquet(path)
    return path


def pair_quality(pred: pl.DataFrame, truth: pl.DataFrame, unordered: bool) -> tuple[float, float]:
    """Precision and recall of predicted (record_id_l, record_id_r) pairs against true pairs."""

    def norm(df: pl.DataFrame) -> pl.DataFrame:
        if not unordered:
            return df.select("record_id_l", "record_id_r").unique()
        return df.select(
            pl.min_horizontal("record_id_l", "record_id_r").alias("record_id_l"),
            pl.max_horizontal("record_id_l", "record_id_r").alias("record_id_r"),
        ).unique()

    p, t = norm(pred), norm(truth)
    tp = p.join(t, on=["record_id_l", "record_id_r"]).height
    return tp / max(p.height, 1), tp / max(t.height, 1)
