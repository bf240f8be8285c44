"""AS — social protection and merit beneficiaries: elderly, disabled, merit, poor households, orphans.

Windows-1258 `;` CSV (a legacy provincial system). Deceased beneficiaries still paid is the key defect.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from simulator.catalog import get
from simulator.defects import Rule
from simulator.sources.common import (
    Context,
    age_at_start,
    base,
    draw,
    finish,
    iso,
    pool,
    serials,
    unique_code,
)

COLUMNS = get("as_social_protection").column_names
RULES = [
    Rule("trang_thai", "deceased_active", 0.15),
    Rule("ho_ten", "upper", 0.10),
    Rule("ho_ten", "nfd", 0.03),
    Rule("ho_ten", "old_tone", 0.05),
    Rule("ngay_sinh", "date_dmy", 0.10),
    Rule("ngay_sinh", "date_year_only", 0.05),
    Rule("ngay_sinh", "dob_conflict", 0.01),
]
LEGACY = {"_lp": "ma_tinh", "_lw": "ma_xa"}
LEGACY_RATE = 0.5
DUP_RATE = 0.015
ACTIVE = "dang_huong"
INACTIVE = {"trang_thai": "dung_huong"}


def build(ctx: Context, n: int, pids: np.ndarray | None = None) -> pl.DataFrame:
    rng = ctx.rng
    if pids is None:
        old = pool(ctx, 60)
        k_old = min(len(old), int(n * 0.6))
        pids = np.concatenate([draw(rng, old, k_old), draw(rng, pool(ctx, 0, 59), n - k_old)])
    n = len(pids)
    p = base(ctx, pids)
    age = age_at_start(ctx)
    merit = pl.lit(pl.Series(rng.random(n) < 0.25))
    kind = (
        pl.when((age >= 60) & merit)
        .then(pl.lit("nguoi_co_cong"))
        .when(age >= 75)
        .then(pl.lit("nguoi_cao_tuoi"))
        .when(age < 16)
        .then(pl.lit("tre_em_mo_coi"))
        .when(pl.lit(pl.Series(rng.random(n) < 0.5)))
        .then(pl.lit("nguoi_khuyet_tat"))
        .otherwise(pl.lit("ho_ngheo"))
    )
    return finish(
        p.with_columns(
            ma_doi_tuong=pl.format("AS{}", unique_code(serials(ctx, n), 10, 5_550_123)),
            loai_doi_tuong=kind,
            muc_tro_cap=pl.lit(pl.Series(rng.integers(36, 300, n) * 10_000)).cast(pl.Utf8),
            ngay_huong=iso(pl.col("_rec_date")),
            trang_thai=pl.when(pl.col("dead")).then(pl.lit("dung_huong")).otherwise(pl.lit(ACTIVE)),
            _active_value=pl.lit(ACTIVE),
        ),
        COLUMNS,
    )
