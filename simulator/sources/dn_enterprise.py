"""DN — enterprise registration (MOF): one row per enterprise, XML.

Defects: CMND instead of the representative's CCCD, dissolved firms still shown active, legacy admin codes on
old registrations, NFD/UPPER representative names, phones in +84 form.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from simulator.catalog import get
from simulator.defects import Rule
from simulator.sources.common import Context, finish, hidden_common, iso

RULES = [
    Rule("so_giay_to_dai_dien", "cmnd_for_cccd", 0.15),
    Rule("trang_thai", "stale_status", 0.25),
    Rule("nguoi_dai_dien", "upper", 0.1),
    Rule("nguoi_dai_dien", "nfd", 0.03),
    Rule("so_dien_thoai", "phone_plus84", 0.05),
    Rule("so_dien_thoai", "phone_dots", 0.05),
]
LEGACY = {"_lp": "ma_tinh", "_ld": "ma_huyen", "_lw": "ma_xa"}
LEGACY_RATE = 0.5
COLUMNS = get("dn_enterprise").column_names
DUP_RATE = 0.01
ACTIVE = "dang_hoat_dong"
INACTIVE = {"trang_thai": "da_giai_the"}


def build(ctx: Context, n: int, eids: np.ndarray | None = None) -> pl.DataFrame:
    """All enterprises for the full extract (n is their count); eids selects a subset."""
    e = ctx.enterprises if eids is None else ctx.enterprises[pl.Series(eids.astype(np.int64))]
    h = hidden_common(ctx.rng, e.height, e["founded"], e["founded"], ctx.ref)
    reps = ctx.pop.persons.select(pl.col("pid").alias("rep_pid"), pl.col("cmnd").alias("_cmnd"))
    e = e.join(reps, on="rep_pid", how="left", maintain_order="left")
    out = e.select(
        ma_so_doanh_nghiep=pl.col("mst"),
        ten_doanh_nghiep=pl.col("name"),
        loai_hinh=pl.col("type"),
        ngay_thanh_lap=iso(pl.col("founded")),
        ma_tinh=pl.col("province_2025"),
        ma_huyen=pl.lit(None, dtype=pl.Utf8),
        ma_xa=pl.col("commune_2025"),
        dia_chi_tru_so=pl.col("address"),
        nguoi_dai_dien=pl.col("rep_name"),
        so_giay_to_dai_dien=pl.col("rep_cccd"),
        loai_giay_to=pl.lit("CCCD"),
        so_dien_thoai=pl.col("phone"),
        von_dieu_le=pl.col("capital").cast(pl.Utf8),
        nganh_nghe_chinh=pl.col("industry"),
        trang_thai=pl.col("status"),
        _pid=pl.lit(-1, dtype=pl.Int64),
        _eid=pl.col("eid"),
        _rep_pid=pl.col("rep_pid"),
        _lp=pl.col("province_legacy"),
        _ld=pl.col("district_legacy"),
        _lw=pl.col("ward_legacy"),
        _cmnd=pl.col("_cmnd"),
        _stale_ok=pl.col("status") != ACTIVE,
        _active_value=pl.lit(ACTIVE),
        _dead=pl.lit(False),
    )
    return finish(out.with_columns(**h), COLUMNS)
