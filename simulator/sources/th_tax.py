"""TH — tax registration (GDT): individual taxpayers and organisations (with some branch MSTs), Parquet.

Since 1 Jul 2025 the individual tax ID is the CCCD, so part of the individuals carry their CCCD as `mst`.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from simulator import identifiers
from simulator.catalog import get
from simulator.defects import Rule
from simulator.sources.common import Context, base, draw, finish, iso, pool

COLUMNS = get("th_tax").column_names
RULES = [
    Rule("so_dinh_danh", "cmnd_for_cccd", 0.12),
    Rule("ten_nguoi_nop_thue", "upper", 0.05),
    Rule("ten_nguoi_nop_thue", "nfd", 0.03),
    Rule("ngay_sinh", "date_dmy", 0.05),
    Rule("ngay_sinh", "dob_conflict", 0.01),
]
LEGACY = {"_lp": "ma_tinh", "_lw": "ma_xa"}
LEGACY_RATE = 0.4
DUP_RATE = 0.01
SECOND_MST_RATE = 0.03


def _orgs(ctx: Context, eids: np.ndarray, branch: np.ndarray) -> pl.DataFrame:
    rng = ctx.rng
    e = ctx.enterprises[pl.Series(eids)]
    n = e.height
    from simulator.sources.common import hidden_common

    h = hidden_common(rng, n, e["founded"], e["founded"], ctx.ref)
    return finish(
        e.with_columns(**h).with_columns(
            mst=pl.when(pl.lit(pl.Series(branch > 0)))
            .then(pl.format("{}-{}", pl.col("mst"), pl.lit(pl.Series(branch)).cast(pl.Utf8).str.zfill(3)))
            .otherwise(pl.col("mst")),
            loai_nnt=pl.lit("to_chuc"),
            ten_nguoi_nop_thue=pl.col("name"),
            so_dinh_danh=pl.lit(None, pl.Utf8),
            ngay_sinh=pl.lit(None, pl.Utf8),
            ma_tinh=pl.col("province_2025"),
            ma_xa=pl.col("commune_2025"),
            dia_chi=pl.col("address"),
            ma_co_quan_thue=pl.format("CT{}", pl.col("province_2025")),
            ngay_cap_mst=iso(pl.col("founded")),
            trang_thai_mst=pl.when(pl.col("status") == "da_giai_the")
            .then(pl.lit("ngung_hoat_dong"))
            .otherwise(pl.lit("dang_hoat_dong")),
            _eid=pl.col("eid"),
            _lp=pl.col("province_legacy"),
            _lw=pl.col("ward_legacy"),
        ),
        COLUMNS,
    )


def _individuals(ctx: Context, pids: np.ndarray) -> pl.DataFrame:
    rng = ctx.rng
    n = len(pids)
    p = base(ctx, pids)
    personal = identifiers.mst(
        n,
        rng,
        salt=(ctx.seed * 31 + ctx.serial_base) % 9_999_991,
        first2=rng.choice([80, 81, 83, 84, 85], int(n * 1.2) + 16),
    )
    cccd_as_mst = rng.random(n) < 0.4
    return finish(
        p.with_columns(
            mst=pl.when(pl.lit(pl.Series(cccd_as_mst))).then(pl.col("cccd")).otherwise(pl.lit(personal)),
            loai_nnt=pl.lit("ca_nhan"),
            ten_nguoi_nop_thue=pl.col("full_name"),
            ma_co_quan_thue=pl.format("CT{}", pl.col("province_2025")),
            ngay_cap_mst=iso(pl.col("_rec_date")),
            trang_thai_mst=pl.when(pl.col("dead")).then(pl.lit("ngung_hoat_dong")).otherwise(pl.lit("dang_hoat_dong")),
        ),
        COLUMNS,
    )


def build(ctx: Context, n: int) -> pl.DataFrame:
    rng = ctx.rng
    ne = ctx.enterprises.height
    n_org = min(ne, n // 4) if ctx.serial_base == 0 else min(ne, n // 10)
    eids = np.sort(rng.choice(ne, n_org, replace=False)) if n_org else np.zeros(0, np.int64)
    n_branch = min(len(eids), n_org // 20)
    beids = rng.choice(eids, n_branch, replace=False) if n_branch else np.zeros(0, np.int64)
    n_ind = max(0, round((n - n_org - n_branch) / (1 + SECOND_MST_RATE)))
    pids = draw(rng, pool(ctx, 18), n_ind)
    parts = [_orgs(ctx, eids, np.zeros(len(eids), np.int64))]
    if n_branch:
        parts.append(_orgs(ctx, beids, 1 + (ctx.serial_base // 1000 % 900) + rng.integers(0, 99, n_branch)))
    parts.append(_individuals(ctx, pids))
    # several MSTs per person: some individuals also kept an older personal MST registration
    twice = pids[rng.random(len(pids)) < SECOND_MST_RATE]
    if len(twice):
        ctx.serial_base += 1
        parts.append(_individuals(ctx, twice))
    out = pl.concat(parts)
    return out.unique(subset="mst", keep="first", maintain_order=True)
