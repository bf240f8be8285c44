"""YT — health / vaccination registry (MOH): one row per dose given, JSON Lines.

Free-text entry at vaccination sites: names without diacritics, phones in every format (+84, 84, spaces,
dots, pre-2018 11-digit numbers).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from simulator.catalog import get
from simulator.defects import Rule
from simulator.sources.common import Context, base, bhxh, date_num, finish, iso, pick, pool, rand_dates

COLUMNS = get("yt_health").column_names
RULES = [
    Rule("ho_ten", "no_diacritics", 0.12),
    Rule("ho_ten", "nfd", 0.03),
    Rule("so_dien_thoai", "phone_plus84", 0.05),
    Rule("so_dien_thoai", "phone_84", 0.05),
    Rule("so_dien_thoai", "phone_spaces", 0.05),
    Rule("so_dien_thoai", "phone_dots", 0.03),
    Rule("so_dien_thoai", "phone_stale_11", 0.055),
    Rule("ngay_sinh", "dob_conflict", 0.01),
    Rule("gioi_tinh", "sex_conflict", 0.01),
]
LEGACY = {"_lp": "ma_tinh", "_lw": "ma_xa"}
LEGACY_RATE = 0.3
DUP_RATE = 0.02
VACCINES = ["BCG", "VGB", "DPT_VGB_HIB", "OPV", "IPV", "MR", "JE", "DPT", "COVID19", "HPV", "CUM"]


def build(ctx: Context, n: int) -> pl.DataFrame:
    rng = ctx.rng
    m = int(n * 1.02) + 5
    pids = rng.choice(pool(ctx), m)
    p = base(ctx, pids)
    dob = date_num(p["dob"])
    when = rand_dates(rng, dob, np.full(m, ctx.ref), m)
    p = p.with_columns(
        ma_vac_xin=pick(rng, VACCINES, m, [8, 10, 12, 8, 5, 8, 6, 6, 25, 4, 8]),
        mui_so=pl.lit(pl.Series(rng.integers(1, 4, m))).cast(pl.Utf8),
        ngay_tiem=iso(pl.lit(when)),
        ma_so_bhxh=bhxh(p["pid"], p["province_legacy"]),
        so_dien_thoai=pl.col("phone"),
        ma_co_so_tiem=pl.format(
            "{}{}", pl.col("province_2025"), pl.lit(pl.Series(rng.integers(1, 999, m))).cast(pl.Utf8).str.zfill(3)
        ),
        _rec_date=pl.lit(when),
    )
    return (
        finish(p, COLUMNS)
        .unique(subset=["ma_vac_xin", "mui_so", "ngay_tiem", "so_dinh_danh"], keep="first", maintain_order=True)
        .head(n)
    )
