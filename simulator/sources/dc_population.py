"""DC — national population database (MPS): one row per citizen, the authoritative identity source.

Clean, low defect rates (it is the reference): a few NFD names and +84 phones, some legacy admin codes on
rows last updated before the 2025 reform, well under 1 % duplicates.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from simulator.catalog import get
from simulator.defects import Rule
from simulator.sources.common import Context, finish, iso, sex

RULES = [
    Rule("ho_ten", "nfd", 0.02),
    Rule("ho_ten", "old_tone", 0.01),
    Rule("so_dien_thoai", "phone_plus84", 0.01),
    Rule("ho_ten_cha", "nfd", 0.01),
    Rule("ho_ten_me", "nfd", 0.01),
]
LEGACY = {"_lp": "ma_tinh_thuong_tru", "_ld": "ma_huyen_thuong_tru", "_lw": "ma_xa_thuong_tru"}
LEGACY_RATE = 0.10
COLUMNS = get("dc_population").column_names
DUP_RATE = 0.005


def build(ctx: Context, n: int, pids: np.ndarray | None = None) -> pl.DataFrame:
    """All persons (n is ignored for the full extract: DC holds everyone); pids selects a subset."""
    p = ctx.pop.persons if pids is not None else ctx.pop.initial
    if pids is not None:
        p = p[pl.Series(pids.astype(np.int64))]
    return finish(
        p.select(
            so_dinh_danh=pl.col("cccd"),
            so_cmnd_cu=pl.col("cmnd"),
            ho_ten=pl.col("full_name"),
            ngay_sinh=iso(pl.col("dob")),
            gioi_tinh=sex(pl.col("female")),
            ma_tinh_khai_sinh=pl.col("birth_prov").cast(pl.Utf8).str.zfill(2),
            ma_tinh_thuong_tru=pl.col("province_2025"),
            ma_huyen_thuong_tru=pl.lit(None, dtype=pl.Utf8),
            ma_xa_thuong_tru=pl.col("commune_2025"),
            dia_chi_chi_tiet=pl.col("address"),
            so_dien_thoai=pl.col("phone"),
            ma_ho_gia_dinh=pl.format("HGD{}", pl.col("hh").cast(pl.Utf8).str.zfill(10)),
            quan_he_chu_ho=pl.col("role_name"),
            so_dinh_danh_cha=pl.col("father_cccd"),
            ho_ten_cha=pl.col("father_name"),
            so_dinh_danh_me=pl.col("mother_cccd"),
            ho_ten_me=pl.col("mother_name"),
            tinh_trang=pl.when(pl.col("dead")).then(pl.lit("da_mat")).otherwise(pl.lit("con_song")),
            ngay_mat=iso(pl.col("dod")),
            _pid=pl.col("pid"),
            _eid=pl.lit(-1, dtype=pl.Int64),
            _upd=pl.col("upd"),
            _secs=pl.col("upd_secs"),
            _rec_date=pl.col("upd"),
            _lp=pl.col("province_legacy"),
            _ld=pl.col("district_legacy"),
            _lw=pl.col("ward_legacy"),
            _dead=pl.col("dead"),
            _cmnd=pl.col("cmnd"),
        ),
        COLUMNS,
    )
