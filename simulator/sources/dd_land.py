"""DD — land parcels (MAE): one row per parcel, `,` CSV with a UTF-8 BOM.

Owners are often identified by their old CMND; names UPPER-case; co-owners crammed into one field; many
non-ISO dates; legacy commune codes on parcels registered before the reform.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from simulator.catalog import get
from simulator.defects import Rule
from simulator.sources.common import (
    Context,
    base,
    finish,
    iso,
    pick,
    pool,
    serials,
    spouse_names,
    unique_code,
)

COLUMNS = get("dd_land").column_names
RULES = [
    Rule("so_giay_to_chu", "cmnd_for_cccd", 0.40),
    Rule("ho_ten_chu_su_dung", "co_owner", 0.08),
    Rule("ho_ten_chu_su_dung", "upper", 0.30),
    Rule("ho_ten_chu_su_dung", "nfd", 0.03),
    Rule("ho_ten_chu_su_dung", "old_tone", 0.05),
    Rule("ho_ten_chu_su_dung", "d_eth", 0.05),
    Rule("ngay_sinh_chu", "date_dmy", 0.15),
    Rule("ngay_sinh_chu", "date_year_only", 0.05),
    Rule("ngay_sinh_chu", "date_zero_dm", 0.02),
    Rule("ngay_sinh_chu", "date_default_0101", 0.05),
    Rule("ngay_sinh_chu", "dob_conflict", 0.01),
    Rule("ngay_cap_gcn", "date_dmy", 0.2),
]
LEGACY = {"_lp": "ma_tinh", "_ld": "ma_huyen", "_lw": "ma_xa"}
LEGACY_RATE = 0.6
DUP_RATE = 0.02
USES = ["ODT", "ONT", "LUC", "CLN", "BHK", "NTS", "SKC", "TMD"]


def build(ctx: Context, n: int) -> pl.DataFrame:
    rng = ctx.rng
    pids = rng.choice(pool(ctx, 21), n)
    p = base(ctx, pids, min_age_years=20)
    ser = serials(ctx, n)
    p = p.join(spouse_names(ctx), on="pid", how="left", maintain_order="left")
    return finish(
        p.with_columns(
            so_to_ban_do=pl.lit(pl.Series(rng.integers(1, 80, n))).cast(pl.Utf8),
            so_thua=pl.lit(pl.Series(ser + 1)).cast(pl.Utf8),
            dien_tich=pl.lit(pl.Series(np.round(rng.lognormal(5.3, 0.9, n), 1))).cast(pl.Utf8),
            muc_dich_su_dung=pick(rng, USES, n, [0.2, 0.3, 0.2, 0.15, 0.05, 0.05, 0.03, 0.02]),
            ho_ten_chu_su_dung=pl.col("full_name"),
            so_giay_to_chu=pl.col("cccd"),
            loai_giay_to=pl.lit("CCCD"),
            ngay_sinh_chu=pl.col("ngay_sinh"),
            dia_chi_thua_dat=pl.col("address"),
            so_giay_chung_nhan=pl.format("C{}", unique_code(ser, 8, 424_242)),
            ngay_cap_gcn=iso(pl.col("_rec_date")),
            _co_owner=pl.col("_co_owner"),
        ),
        COLUMNS,
    )
