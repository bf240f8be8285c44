"""CT — residence registry (MPS): permanent (thuong_tru) and temporary (tam_tru) registrations, JSON Lines.

Stale statuses: expired temporary residence still active; deceased persons' registrations still active.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from simulator.catalog import get
from simulator.defects import Rule
from simulator.sources.common import Context, base, date_num, draw, finish, iso, pool, rand_dates

COLUMNS = get("ct_residence").column_names
RULES = [
    Rule("trang_thai", "deceased_active", 0.35),
    Rule("trang_thai", "stale_status", 0.3),
    Rule("ho_ten", "nfd", 0.03),
    Rule("ho_ten", "upper", 0.03),
    Rule("ngay_sinh", "date_dmy", 0.05),
    Rule("ngay_sinh", "dob_conflict", 0.01),
    Rule("gioi_tinh", "sex_conflict", 0.01),
]
LEGACY = {"_lp": "ma_tinh", "_ld": "ma_huyen", "_lw": "ma_xa"}
LEGACY_RATE = 0.4
DUP_RATE = 0.015
ACTIVE = "dang_hieu_luc"
INACTIVE = {"trang_thai": "da_xoa_dang_ky"}


def build(
    ctx: Context, n: int, pids: np.ndarray | None = None, kind: str | None = None, rec_date: pl.Series | None = None
) -> pl.DataFrame:
    rng = ctx.rng
    if pids is None:
        pids = draw(rng, pool(ctx), n)
    n = len(pids)
    tam = rng.random(n) < 0.15 if kind is None else np.full(n, kind == "tam_tru")
    p = base(ctx, pids, rec_date=rec_date)
    reg = date_num(p["_rec_date"])
    exp = reg + rng.integers(180, 730, n)
    p = p.with_columns(
        loai_cu_tru=pl.when(pl.lit(pl.Series(tam))).then(pl.lit("tam_tru")).otherwise(pl.lit("thuong_tru")),
        ngay_dang_ky=iso(pl.col("_rec_date")),
        ngay_het_han=pl.when(pl.lit(pl.Series(tam))).then(iso(pl.lit(rand_dates(rng, exp, exp + 1, n)))),
        ma_ho_gia_dinh=pl.format("HGD{}", pl.col("hh").cast(pl.Utf8).str.zfill(10)),
        quan_he_chu_ho=pl.col("role_name"),
        _expired=pl.lit(pl.Series(tam & (exp < ctx.ref))),
    ).with_columns(
        trang_thai=pl.when(pl.col("dead"))
        .then(pl.lit("da_xoa_dang_ky"))
        .when(pl.col("_expired"))
        .then(pl.lit("het_hieu_luc"))
        .otherwise(pl.lit(ACTIVE)),
        _stale_ok=pl.col("_expired") & ~pl.col("dead"),
        _active_value=pl.lit(ACTIVE),
    )
    return finish(p, COLUMNS)
