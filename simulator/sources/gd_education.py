"""GD — education (MOET): learners from kindergarten to university, plus graduated learners, Parquet.

Children under 14 often have no CCCD on file. Parent phones come in every format.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from simulator.catalog import get
from simulator.defects import Rule
from simulator.sources.common import Context, age_at_start, base, draw, finish, pool, serials, unique_code

COLUMNS = get("gd_education").column_names
RULES = [
    Rule("ho_ten", "no_diacritics", 0.03),
    Rule("ho_ten", "nfd", 0.03),
    Rule("ngay_sinh", "date_dmy", 0.05),
    Rule("ngay_sinh", "dob_conflict", 0.01),
    Rule("so_dien_thoai_phu_huynh", "phone_spaces", 0.05),
    Rule("so_dien_thoai_phu_huynh", "phone_84", 0.03),
    Rule("so_dien_thoai_phu_huynh", "phone_stale_11", 0.03),
]
LEGACY = {"_lp": "ma_tinh", "_lw": "ma_xa"}
LEGACY_RATE = 0.3
DUP_RATE = 0.015


def build(ctx: Context, n: int) -> pl.DataFrame:
    rng = ctx.rng
    young = pool(ctx, 3, 22)
    pids = draw(rng, young, min(n, len(young)))
    if n > len(pids):  # historical (graduated) learners
        pids = np.concatenate([pids, rng.choice(pool(ctx, 23, 45), n - len(pids))])
    p = base(ctx, pids)
    par = ctx.pop.persons.select(pl.col("pid").alias("mother"), pl.col("phone").alias("_mphone"))
    p = p.join(ctx.pop.persons.select("pid", "mother"), on="pid", how="left", maintain_order="left").join(
        par, on="mother", how="left", maintain_order="left"
    )
    age = age_at_start(ctx)
    level = (
        pl.when(age <= 5)
        .then(pl.lit("mam_non"))
        .when(age <= 10)
        .then(pl.lit("tieu_hoc"))
        .when(age <= 14)
        .then(pl.lit("thcs"))
        .when(age <= 17)
        .then(pl.lit("thpt"))
        .otherwise(pl.lit("dai_hoc"))
    )
    grade = (age - 5).clip(1, 12)
    y = ctx.start.year
    return finish(
        p.with_columns(
            ma_hoc_sinh=unique_code(serials(ctx, n), 10, 2_718_281),
            so_dinh_danh=pl.when((age < 14) & pl.lit(pl.Series(rng.random(n) < 0.4)))
            .then(None)
            .otherwise(pl.col("cccd")),
            ma_truong=pl.format(
                "{}{}", pl.col("province_2025"), pl.lit(pl.Series(rng.integers(1, 9999, n))).cast(pl.Utf8).str.zfill(4)
            ),
            cap_hoc=level,
            lop=pl.when(age > 17)
            .then(None)
            .otherwise(pl.format("{}A{}", grade, pl.lit(pl.Series(rng.integers(1, 8, n))))),
            nam_hoc=pl.lit(f"{y}-{y + 1}" if ctx.start.month >= 9 else f"{y - 1}-{y}"),
            ho_ten_phu_huynh=pl.when(age < 18).then(pl.col("mother_name").fill_null(pl.col("father_name"))),
            so_dien_thoai_phu_huynh=pl.when(age < 18).then(pl.col("_mphone")),
            trang_thai=pl.when(age > 22)
            .then(pl.lit("da_tot_nghiep"))
            .otherwise(
                pl.when(pl.lit(pl.Series(rng.random(n) < 0.02))).then(pl.lit("thoi_hoc")).otherwise(pl.lit("dang_hoc"))
            ),
        ),
        COLUMNS,
    )
