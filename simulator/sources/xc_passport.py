"""XC — passports / immigration (MPS): one row per passport, Parquet; the MRZ name is ASCII upper case."""

from __future__ import annotations

import numpy as np
import polars as pl

from simulator.catalog import get
from simulator.defects import Rule, strip_marks
from simulator.sources.common import Context, base, date_num, draw, finish, iso, pick, pool, serials, unique_code

COLUMNS = get("xc_passport").column_names
RULES = [Rule("ho_ten", "nfd", 0.02), Rule("ngay_sinh", "date_dmy", 0.02), Rule("ngay_sinh", "dob_conflict", 0.005)]
DUP_RATE = 0.01
ACTIVE = "con_han"
INACTIVE = {"trang_thai": "huy"}


def build(ctx: Context, n: int) -> pl.DataFrame:
    rng = ctx.rng
    pids = draw(rng, pool(ctx, 1), n)
    p = base(ctx, pids)
    issued = date_num(p["_rec_date"])
    end = issued + 3652
    return finish(
        p.with_columns(
            so_ho_chieu=pl.concat_str(
                pick(rng, ["C", "N", "P"], n, [0.7, 0.1, 0.2]), unique_code(serials(ctx, n), 7, 9_090_909)
            ),
            ho_ten_mrz=strip_marks(pl.col("full_name")).str.to_uppercase(),
            noi_sinh=pl.col("birth_prov").cast(pl.Utf8).str.zfill(2),
            ngay_cap=iso(pl.col("_rec_date")),
            ngay_het_han=iso(pl.lit(pl.Series(np.datetime64("1970-01-01", "D") + end))),
            co_quan_cap=pick(rng, ["A08", "PA08"], n, [0.3, 0.7]),
            trang_thai=pl.when(pl.col("dead"))
            .then(pl.lit("huy"))
            .when(pl.lit(pl.Series(end < ctx.ref)))
            .then(pl.lit("het_han"))
            .otherwise(pl.lit(ACTIVE)),
        ),
        COLUMNS,
    )
