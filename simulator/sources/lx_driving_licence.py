"""LX — driving licences (MPS): one row per licence, `,` UTF-8 CSV.

Defects: licences of deceased holders still valid, expired licences still valid, name/DOB/sex variants.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from simulator.catalog import get
from simulator.defects import Rule
from simulator.sources.common import Context, base, date_num, draw, finish, iso, pick, pool, serials, unique_code

COLUMNS = get("lx_driving_licence").column_names
RULES = [
    Rule("trang_thai", "deceased_active", 0.35),
    Rule("trang_thai", "stale_status", 0.2),
    Rule("ho_ten", "nfd", 0.03),
    Rule("ho_ten", "upper", 0.05),
    Rule("ngay_sinh", "date_dmy", 0.05),
    Rule("ngay_sinh", "dob_conflict", 0.015),
    Rule("gioi_tinh", "sex_conflict", 0.01),
]
DUP_RATE = 0.01
ACTIVE = "con_han"
INACTIVE = {"trang_thai": "thu_hoi"}


def build(ctx: Context, n: int, pids: np.ndarray | None = None) -> pl.DataFrame:
    rng = ctx.rng
    if pids is None:
        pids = draw(rng, pool(ctx, 19), n)
    n = len(pids)
    p = base(ctx, pids, min_age_years=18)
    cls = pick(rng, ["A1", "A", "B", "C1", "C", "D"], n, [0.55, 0.05, 0.28, 0.05, 0.05, 0.02])
    issued = date_num(p["_rec_date"])
    end = issued + 3652
    no_expiry = (cls == "A1").to_numpy()
    expired = ~no_expiry & (end < ctx.ref)
    return finish(
        p.with_columns(
            so_gplx=unique_code(serials(ctx, n), 12, 31_337),
            hang_gplx=cls,
            ngay_cap=iso(pl.col("_rec_date")),
            ngay_het_han=pl.when(pl.lit(pl.Series(no_expiry)))
            .then(None)
            .otherwise(iso(pl.lit(pl.Series(np.datetime64("1970-01-01", "D") + end)))),
            noi_cap=pl.col("province_2025"),
            trang_thai=pl.when(pl.col("dead"))
            .then(pl.lit("thu_hoi"))
            .when(pl.lit(pl.Series(expired)))
            .then(pl.lit("het_han"))
            .otherwise(pl.lit(ACTIVE)),
            _stale_ok=pl.lit(pl.Series(expired)) & ~pl.col("dead"),
            _active_value=pl.lit(ACTIVE),
        ),
        COLUMNS,
    )
