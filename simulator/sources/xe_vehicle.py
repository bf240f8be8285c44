"""XE — vehicle registration (MPS): cars and motorbikes owned by persons or organisations, JSON Lines.

Plates follow the validation patterns (car `30A-123.45`, motorbike `29-B1 123.45`); plate area codes are not
admin codes. Owner ID is a CCCD or, for organisations, an MST (sometimes with a check-digit typo).
"""

from __future__ import annotations

import polars as pl

from simulator.catalog import get
from simulator.defects import Rule
from simulator.sources.common import Context, base, finish, hidden_common, iso, pick, pool, serials, unique_code

COLUMNS = get("xe_vehicle").column_names
RULES = [
    Rule("trang_thai", "deceased_active", 0.35),
    Rule("so_dinh_danh_chu_xe", "mst_typo", 0.02),
    Rule("chu_xe", "upper", 0.10),
    Rule("chu_xe", "nfd", 0.03),
]
LEGACY = {"_lp": "ma_tinh", "_lw": "ma_xa"}
LEGACY_RATE = 0.4
DUP_RATE = 0.01
ACTIVE = "dang_luu_hanh"
INACTIVE = {"trang_thai": "cho_sang_ten"}
AREA = [
    11,
    12,
    14,
    15,
    17,
    18,
    19,
    20,
    21,
    22,
    24,
    25,
    26,
    27,
    28,
    29,
    30,
    33,
    34,
    35,
    36,
    37,
    38,
    43,
    47,
    49,
    50,
    51,
    59,
    60,
    61,
    62,
    63,
    65,
    66,
    67,
    68,
    69,
    72,
    75,
    77,
    79,
    81,
    92,
    93,
    99,
]
LETTERS = list("ABCDEFGHKLMNPSTUVXYZ")
BRANDS_CAR = ["Toyota", "Hyundai", "Kia", "Mazda", "Ford", "VinFast", "Honda", "Mitsubishi"]
BRANDS_MOTO = ["Honda", "Yamaha", "Suzuki", "Piaggio", "SYM", "VinFast"]
COLOURS = ["Đen", "Trắng", "Đỏ", "Xanh", "Bạc", "Xám", "Vàng", "Nâu"]


def build(ctx: Context, n: int) -> pl.DataFrame:
    rng = ctx.rng
    org = rng.random(n) < 0.08
    n_org = int(org.sum())
    pids = rng.choice(pool(ctx, 18), n - n_org)
    p = base(ctx, pids).with_columns(
        _owner_id=pl.col("cccd"), _owner_name=pl.col("full_name"), loai_chu_xe=pl.lit("ca_nhan")
    )
    e = ctx.enterprises[pl.Series(rng.integers(0, ctx.enterprises.height, n_org))]
    h = hidden_common(rng, n_org, e["founded"], e["founded"], ctx.ref)
    eo = e.with_columns(**h).select(
        pl.col("mst").alias("_owner_id"),
        pl.col("name").alias("_owner_name"),
        pl.lit("to_chuc").alias("loai_chu_xe"),
        pl.col("address").alias("dia_chi"),
        pl.col("province_2025").alias("ma_tinh"),
        pl.col("commune_2025").alias("ma_xa"),
        pl.col("eid").alias("_eid"),
        pl.lit(-1).cast(pl.Int64).alias("_pid"),
        pl.col("province_legacy").alias("_lp"),
        pl.col("ward_legacy").alias("_lw"),
        pl.lit(False).alias("_dead"),
        "_rec_date",
        "_upd",
        "_secs",
    )
    common = [
        "_owner_id",
        "_owner_name",
        "loai_chu_xe",
        "dia_chi",
        "ma_tinh",
        "ma_xa",
        "_eid",
        "_pid",
        "_lp",
        "_lw",
        "_dead",
        "_rec_date",
        "_upd",
        "_secs",
    ]
    df = pl.concat([p.select(common), eo.select(common)], how="vertical_relaxed")
    ser = serials(ctx, n)
    car = rng.random(n) < 0.25
    area = pl.Series([f"{a:02d}" for a in AREA]).gather(rng.integers(0, len(AREA), n))
    l1 = pick(rng, LETTERS, n)
    l2 = pick(rng, LETTERS, n)
    num3 = pl.Series(rng.integers(100, 1000, n)).cast(pl.Utf8)
    num2 = pl.Series(rng.integers(0, 100, n)).cast(pl.Utf8).str.zfill(2)
    digit = pl.Series(rng.integers(1, 10, n)).cast(pl.Utf8)
    plate = (
        pl.when(pl.lit(pl.Series(car)))
        .then(pl.concat_str(pl.lit(area), pl.lit(l1), pl.lit("-"), pl.lit(num3), pl.lit("."), pl.lit(num2)))
        .otherwise(
            pl.concat_str(
                pl.lit(area),
                pl.lit("-"),
                pl.lit(l2),
                pl.lit(digit),
                pl.lit(" "),
                pl.lit(num3),
                pl.lit("."),
                pl.lit(num2),
            )
        )
    )
    brand = (
        pl.when(pl.lit(pl.Series(car)))
        .then(pl.lit(pick(rng, BRANDS_CAR, n)))
        .otherwise(pl.lit(pick(rng, BRANDS_MOTO, n)))
    )
    return finish(
        df.with_columns(
            so_khung=pl.concat_str(
                pl.lit("RL"), pl.lit(pick(rng, ["HJC", "MVN", "4BK", "KTA"], n)), pl.lit(unique_code(ser, 12, 777_777))
            ),
            bien_so=plate,
            loai_xe=pl.when(pl.lit(pl.Series(car))).then(pl.lit("o_to")).otherwise(pl.lit("xe_may")),
            nhan_hieu=brand,
            mau_son=pl.lit(pick(rng, COLOURS, n)),
            nam_san_xuat=pl.lit(pl.Series(rng.integers(1998, ctx.start.year + 1, n))).cast(pl.Utf8),
            chu_xe=pl.col("_owner_name"),
            so_dinh_danh_chu_xe=pl.col("_owner_id"),
            dia_chi_chu_xe=pl.col("dia_chi"),
            ngay_dang_ky=iso(pl.col("_rec_date")),
            trang_thai=pl.when(pl.col("_dead")).then(pl.lit("cho_sang_ten")).otherwise(pl.lit(ACTIVE)),
            _active_value=pl.lit(ACTIVE),
        ),
        COLUMNS,
    )
