"""YB — health-insurance cards (VSS): 15-character card code = group + benefit level + province + BHXH-10.

Parquet. Defects: expired cards still valid, deceased holders' cards still valid, name variants, legacy codes.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from simulator.catalog import get
from simulator.defects import Rule
from simulator.sources.common import Context, age_at_start, base, bhxh, date_num, draw, finish, iso, pool

COLUMNS = get("yb_health_insurance").column_names
RULES = [
    Rule("trang_thai", "deceased_active", 0.35),
    Rule("trang_thai", "stale_status", 0.15),
    Rule("ho_ten", "nfd", 0.03),
    Rule("ho_ten", "no_diacritics", 0.02),
    Rule("ngay_sinh", "date_dmy", 0.03),
    Rule("ngay_sinh", "dob_conflict", 0.01),
    Rule("gioi_tinh", "sex_conflict", 0.01),
]
LEGACY = {"_lp": "ma_tinh", "_lw": "ma_xa"}
LEGACY_RATE = 0.3
DUP_RATE = 0.01
ACTIVE = "con_hieu_luc"
INACTIVE = {"trang_thai": "da_thu_hoi"}


def build(ctx: Context, n: int, pids: np.ndarray | None = None) -> pl.DataFrame:
    rng = ctx.rng
    if pids is None:
        pids = draw(rng, pool(ctx), n)
    n = len(pids)
    p = base(ctx, pids)
    dob = date_num(p["dob"])
    last = np.where(p["dead"].to_numpy(), date_num(p["dod"].fill_null(p["dob"])), ctx.ref)  # card before death
    start = np.maximum(np.minimum(ctx.ref - rng.integers(1, 500, n), last - 1), dob)
    end = start + 365
    code = bhxh(p["pid"], p["province_legacy"])
    expired = end < ctx.ref
    p = p.with_columns(
        _grp=pl.when(age_at_start(ctx) < 6)
        .then(pl.lit("TE"))
        .when(age_at_start(ctx) < 18)
        .then(pl.lit("HS"))
        .when(age_at_start(ctx) >= 60)
        .then(pl.lit("HT"))
        .otherwise(pl.lit("DN")),
        _lvl=pl.lit(pl.Series(rng.integers(1, 6, n))).cast(pl.Utf8),
        ma_so_bhxh=code,
        ma_noi_dkkcb=pl.format(
            "{}{}", pl.col("province_2025"), pl.lit(pl.Series(rng.integers(1, 400, n))).cast(pl.Utf8).str.zfill(3)
        ),
        gia_tri_tu=iso(pl.lit(pl.Series(np.datetime64("1970-01-01", "D") + start))),
        gia_tri_den=iso(pl.lit(pl.Series(np.datetime64("1970-01-01", "D") + end))),
        _expired=pl.lit(pl.Series(expired)),
    )
    return finish(
        p.with_columns(
            ma_the_bhyt=pl.concat_str("_grp", "_lvl", pl.col("province_2025"), code),
            so_dinh_danh=pl.when(pl.lit(pl.Series(rng.random(n) < 0.05))).then(None).otherwise(pl.col("cccd")),
            trang_thai=pl.when(pl.col("dead"))
            .then(pl.lit("da_thu_hoi"))
            .when("_expired")
            .then(pl.lit("het_hieu_luc"))
            .otherwise(pl.lit(ACTIVE)),
            _stale_ok=pl.col("_expired") & ~pl.col("dead"),
            _active_value=pl.lit(ACTIVE),
        ),
        COLUMNS,
    )
