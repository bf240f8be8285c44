"""LD — labour and unemployment-benefit files (XML): claimant, former employer (MST), benefit.

Claimants type their own data: names without diacritics, phones with spaces/+84, employer MST typos.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from simulator.catalog import get
from simulator.defects import Rule
from simulator.sources.common import (
    Context,
    base,
    bhxh,
    date_num,
    draw,
    finish,
    iso,
    pick,
    pool,
    serials,
    unique_code,
)

COLUMNS = get("ld_labour").column_names
RULES = [
    Rule("ho_ten", "no_diacritics", 0.12),
    Rule("ho_ten", "nfd", 0.03),
    Rule("ma_don_vi_cu", "mst_typo", 0.03),
    Rule("so_dien_thoai", "phone_spaces", 0.05),
    Rule("so_dien_thoai", "phone_plus84", 0.05),
    Rule("so_dien_thoai", "phone_stale_11", 0.03),
    Rule("ngay_sinh", "date_dmy", 0.05),
    Rule("ngay_sinh", "dob_conflict", 0.01),
]
LEGACY = {"_lp": "ma_tinh", "_lw": "ma_xa"}
LEGACY_RATE = 0.3
DUP_RATE = 0.01


def build(ctx: Context, n: int) -> pl.DataFrame:
    rng = ctx.rng
    pids = draw(rng, pool(ctx, 21, 60, alive_only=True), n)
    p = base(ctx, pids, min_age_years=20)
    emp = ctx.enterprises[pl.Series(rng.integers(0, ctx.enterprises.height, n))]
    filed = date_num(p["_rec_date"])
    left = filed - rng.integers(5, 90, n)
    months = rng.integers(3, 13, n)
    status = pick(rng, ["cho_duyet", "dang_huong", "da_ket_thuc", "tu_choi"], n, [0.05, 0.15, 0.75, 0.05])
    return finish(
        p.with_columns(
            ma_ho_so=pl.format("LD{}", unique_code(serials(ctx, n), 10, 8_080_808)),
            ma_so_bhxh=bhxh(p["pid"], p["province_legacy"]),
            ma_don_vi_cu=emp["mst"],
            ngay_nghi_viec=iso(pl.lit(pl.Series(np.datetime64("1970-01-01", "D") + left))),
            ngay_nop_ho_so=iso(pl.col("_rec_date")),
            muc_huong=pl.lit(pl.Series(rng.integers(200, 1500, n) * 10_000)).cast(pl.Utf8),
            so_thang_huong=pl.lit(pl.Series(months)).cast(pl.Utf8),
            trang_thai=status,
            so_dien_thoai=pl.col("phone"),
        ),
        COLUMNS,
    )
