"""Defect injection with a ledger: every corrupted value is recorded with its clean value.

Why column-wise: each rule draws a mask with NumPy and rewrites the column with one Polars expression, so a
million-row source costs a few vectorised passes. Rules on the same field are mutually exclusive (one uniform
draw per field is partitioned by cumulative rates), so a ledger row always pairs a clean and a dirty value.

Rates are *conditional on eligibility*: e.g. `old_tone` only touches names containing òa/ủy…, `legacy_admin`
only rows dated before the 2025-07-01 reform, `deceased_active` only records of deceased persons,
`cmnd_for_cccd` only persons who had a CMND.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import polars as pl

from simulator.identifiers import STALE_PREFIX

LEDGER_SCHEMA = {
    "source": pl.Utf8,
    "batch_id": pl.Utf8,
    "record_key": pl.Utf8,
    "field": pl.Utf8,
    "defect_type": pl.Utf8,
    "clean_value": pl.Utf8,
    "dirty_value": pl.Utf8,
}

NEW_TONE = ["òa", "óa", "ỏa", "õa", "ọa", "òe", "óe", "ỏe", "õe", "ọe", "ùy", "úy", "ủy", "ũy", "ụy"]
OLD_TONE = ["oà", "oá", "oả", "oã", "oạ", "oè", "oé", "oẻ", "oẽ", "oẹ", "uỳ", "uý", "uỷ", "uỹ", "uỵ"]


@dataclass(frozen=True)
class Rule:
    field: str
    kind: str
    rate: float


def strip_marks(e: pl.Expr) -> pl.Expr:
    return (
        e.str.replace_all("đ", "d", literal=True)
        .str.replace_all("Đ", "D", literal=True)
        .str.normalize("NFD")
        .str.replace_all(r"\p{M}", "")
    )


def _date(e: pl.Expr) -> pl.Expr:
    return e.str.to_date("%Y-%m-%d", strict=False)


def _spaced(e: pl.Expr, sep: str) -> pl.Expr:
    return pl.concat_str(e.str.slice(0, 3), pl.lit(sep), e.str.slice(3, 3), pl.lit(sep), e.str.slice(6))


# kind -> function(column expr, random int series) -> dirty expr (null = not applicable)
TRANSFORMS: dict[str, Callable[[pl.Expr, pl.Expr], pl.Expr]] = {
    "upper": lambda e, r: e.str.to_uppercase(),
    "no_diacritics": lambda e, r: strip_marks(e),
    "nfd": lambda e, r: e.str.normalize("NFD"),
    "old_tone": lambda e, r: e.str.replace_many(NEW_TONE, OLD_TONE),
    "d_eth": lambda e, r: e.str.replace_all("Đ", "\u00d0", literal=True),
    "date_dmy": lambda e, r: _date(e).dt.strftime("%d/%m/%Y"),
    "date_dmy_short": lambda e, r: _date(e).dt.strftime("%-d/%-m/%y"),
    "date_year_only": lambda e, r: _date(e).dt.strftime("%Y"),
    "date_zero_dm": lambda e, r: _date(e).dt.strftime("00/00/%Y"),
    "date_default_0101": lambda e, r: _date(e).dt.strftime("01/01/%Y"),
    "phone_plus84": lambda e, r: pl.concat_str(pl.lit("+84"), e.str.slice(1)),
    "phone_84": lambda e, r: pl.concat_str(pl.lit("84"), e.str.slice(1)),
    "phone_spaces": lambda e, r: _spaced(e, " "),
    "phone_dots": lambda e, r: _spaced(e, "."),
    "phone_stale_11": lambda e, r: pl.concat_str(
        e.str.slice(0, 3).replace_strict(STALE_PREFIX, default=None, return_dtype=pl.Utf8), e.str.slice(3)
    ),
    "cmnd_for_cccd": lambda e, r: pl.col("_cmnd"),
    "mst_typo": lambda e, r: pl.when(e.str.len_chars().is_in([10, 14])).then(
        pl.concat_str(
            e.str.slice(0, 9),
            ((e.str.slice(9, 1).cast(pl.Int64, strict=False) + 1 + r % 9) % 10).cast(pl.Utf8),
            e.str.slice(10),
        )
    ),
    "stale_status": lambda e, r: pl.when(pl.col("_stale_ok")).then(pl.col("_active_value")),
    "deceased_active": lambda e, r: pl.when(pl.col("_dead")).then(pl.col("_active_value")),
    "dob_conflict": lambda e, r: (_date(e) + pl.duration(days=(r % 700) - 350)).dt.strftime("%Y-%m-%d"),
    "sex_conflict": lambda e, r: e.replace_strict({"Nam": "Nữ", "Nữ": "Nam"}, default=None),
    "co_owner": lambda e, r: pl.concat_str(e, pl.lit(", "), pl.col("_co_owner")),
}


def inject(
    df: pl.DataFrame,
    rules: list[Rule],
    rng: np.random.Generator,
    legacy_fields: dict[str, str] | None,
    legacy_rate: float,
    dup_rate: float,
) -> tuple[pl.DataFrame, pl.DataFrame, np.ndarray]:
    """Apply rules; return (dirty df, ledger with `_row`, row indices to duplicate).

    df must carry `_row` (0..n-1). legacy_fields maps hidden legacy columns (_lp, _ld, _lw) to landed columns.
    """
    n = df.height
    ledgers: list[pl.DataFrame] = []
    by_field: dict[str, list[Rule]] = {}
    for r in rules:
        if r.field in df.columns and r.rate > 0:
            by_field.setdefault(r.field, []).append(r)
    if n == 0:
        return df, pl.DataFrame(schema={"_row": pl.UInt32, **_LEDGER_ROW}), np.zeros(0, np.int64)
    for field, frules in by_field.items():
        u = rng.random(n)
        rnd = rng.integers(0, 1 << 30, n)
        lo = 0.0
        col = df[field]
        for r in frules:
            m = (u >= lo) & (u < lo + r.rate)
            lo += r.rate
            if not m.any():
                continue
            # transform only the drawn rows: cheap in time and memory (rates are a few per cent)
            sub = df.filter(pl.Series(m)).with_columns(_rnd=pl.Series(rnd[m]))
            dirty = TRANSFORMS[r.kind](pl.col(field), pl.col("_rnd"))
            hit = sub.select("_row", pl.col(field).alias("clean_value"), dirty.alias("dirty_value")).filter(
                pl.col("clean_value").is_not_null()
                & pl.col("dirty_value").is_not_null()
                & (pl.col("dirty_value") != pl.col("clean_value"))
            )
            if hit.height:
                ledgers.append(
                    hit.select(
                        "_row",
                        pl.lit(field).alias("field"),
                        pl.lit(r.kind).alias("defect_type"),
                        "clean_value",
                        "dirty_value",
                    )
                )
                col = col.scatter(hit["_row"].cast(pl.Int64), hit["dirty_value"])
        df = df.with_columns(col.alias(field))
    if legacy_fields and legacy_rate > 0 and "_rec_date" in df.columns:
        import datetime as dt

        m = pl.Series(rng.random(n) < legacy_rate)
        elig = pl.lit(m) & (pl.col("_rec_date") < dt.date(2025, 7, 1)) & pl.col("_lw").is_not_null()
        hitmask = df.select(elig.alias("h"))["h"]
        for hidden, field in legacy_fields.items():
            tmp = df.select("_row", pl.col(field).alias("clean_value"), pl.col(hidden).alias("dirty_value"))
            changed = tmp.filter(hitmask & (tmp["clean_value"].ne_missing(tmp["dirty_value"])))
            if changed.height:
                ledgers.append(
                    changed.select(
                        "_row",
                        pl.lit(field).alias("field"),
                        pl.lit("legacy_admin").alias("defect_type"),
                        "clean_value",
                        "dirty_value",
                    )
                )
            df = df.with_columns(pl.when(pl.lit(hitmask)).then(pl.col(hidden)).otherwise(pl.col(field)).alias(field))
    dups = np.flatnonzero(rng.random(n) < dup_rate) if dup_rate > 0 else np.zeros(0, np.int64)
    if len(dups):
        ledgers.append(
            pl.DataFrame(
                {
                    "_row": dups.astype(np.uint32),
                    "field": "*",
                    "defect_type": "duplicate",
                    "clean_value": None,
                    "dirty_value": None,
                },
                schema={"_row": pl.UInt32, **_LEDGER_ROW},
            )
        )
    ledger = (
        pl.concat([lg.with_columns(pl.col("_row").cast(pl.UInt32)) for lg in ledgers])
        if ledgers
        else pl.DataFrame(schema={"_row": pl.UInt32, **_LEDGER_ROW})
    )
    return df, ledger, dups


_LEDGER_ROW = {"field": pl.Utf8, "defect_type": pl.Utf8, "clean_value": pl.Utf8, "dirty_value": pl.Utf8}
