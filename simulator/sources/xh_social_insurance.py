"""XH — social insurance (VSS): one row per insured person, `;` CSV with a UTF-8 BOM.

Habitually late (catalog lag_days=2). Defects: many dd/mm/yyyy and defaulted 01/01 dates, employer MST
check-digit typos, CMND in place of CCCD, deceased persons still contributing.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from simulator.catalog import get
from simulator.defects import Rule
from simulator.sources.common import Context, base, bhxh, draw, finish, iso, pick, pool

COLUMNS = get("xh_social_insurance").column_names
RULES = [
    Rule("ngay_sinh", "date_dmy", 0.12),
    Rule("ngay_sinh", "date_dmy_short", 0.03),
    Rule("ngay_sinh", "date_default_0101", 0.05),
    Rule("ngay_sinh", "dob_conflict", 0.015),
    Rule("ngay_tham_gia", "date_dmy", 0.10),
    Rule("ma_don_vi", "mst_typo", 0.02),
    Rule("so_dinh_danh", "cmnd_for_cccd", 0.03),
    Rule("ho_ten", "upper", 0.05),
    Rule("ho_ten", "nfd", 0.03),
    Rule("gioi_tinh", "sex_conflict", 0.01),
    Rule("trang_thai", "deceased_active", 0.3),
]
LEGACY = {"_lp": "ma_tinh", "_lw": "ma_xa"}
LEGACY_RATE = 0.4
DUP_RATE = 0.02
ACTIVE = "dang_dong"
INACTIVE = {"trang_thai": "da_bao_giam"}


def build(ctx: Context, n: int, pids: np.ndarray | None = None) -> pl.DataFrame:
    rng = ctx.rng
    if pids is None:
        pids = draw(rng, pool(ctx, 19, 75), n)
    n = len(pids)
    p = base(ctx, pids, min_age_years=18)
    emp = ctx.enterprises[pl.Series(rng.integers(0, ctx.enterprises.height, n))]
    st = pick(rng, [ACTIVE, "tam_dung", "da_nghi"], n, [0.8, 0.05, 0.15])
    return finish(
        p.with_columns(
            ma_so_bhxh=bhxh(p["pid"], p["province_legacy"]),
            ma_don_vi=emp["mst"],
            ten_don_vi=emp["name"],
            muc_luong_dong=pl.lit(pl.Series(rng.integers(468, 3600, n) * 10_000)).cast(pl.Utf8),
            ngay_tham_gia=iso(pl.col("_rec_date")),
            trang_thai=pl.when(pl.col("dead")).then(pl.lit("da_bao_giam")).otherwise(pl.lit(st)),
            _active_value=pl.lit(ACTIVE),
        ),
        COLUMNS,
    )
