"""LL — judicial records (MOJ): convictions; the subject is often identified only by name, DOB and parents.

`;` CSV with a UTF-8 BOM. Old paper files: UPPER names, partial dates, CMND or no ID at all.
"""

from __future__ import annotations

import polars as pl

from simulator.catalog import get
from simulator.defects import Rule
from simulator.sources.common import Context, base, date_num, finish, iso, pick, pool, serials, unique_code

COLUMNS = get("ll_judicial_records").column_names
RULES = [
    Rule("so_dinh_danh", "cmnd_for_cccd", 0.35),
    Rule("ho_ten", "upper", 0.35),
    Rule("ho_ten", "no_diacritics", 0.03),
    Rule("ho_ten", "nfd", 0.03),
    Rule("ho_ten", "d_eth", 0.05),
    Rule("ngay_sinh", "date_dmy", 0.15),
    Rule("ngay_sinh", "date_dmy_short", 0.05),
    Rule("ngay_sinh", "date_year_only", 0.03),
    Rule("ngay_sinh", "date_zero_dm", 0.03),
    Rule("ngay_sinh", "date_default_0101", 0.05),
    Rule("ngay_sinh", "dob_conflict", 0.01),
    Rule("ho_ten_cha", "upper", 0.35),
    Rule("ho_ten_me", "upper", 0.35),
    Rule("ngay_tuyen_an", "date_dmy", 0.2),
]
DUP_RATE = 0.01
CRIMES = [
    "Trộm cắp tài sản",
    "Cố ý gây thương tích",
    "Đánh bạc",
    "Vi phạm quy định về tham gia giao thông",
    "Lừa đảo chiếm đoạt tài sản",
    "Tàng trữ trái phép chất ma túy",
    "Gây rối trật tự công cộng",
]
SENTENCES = [
    "6 tháng tù",
    "12 tháng tù",
    "2 năm tù",
    "3 năm tù cho hưởng án treo",
    "Phạt tiền 10.000.000 đồng",
    "Cải tạo không giam giữ 1 năm",
]


def build(ctx: Context, n: int) -> pl.DataFrame:
    rng = ctx.rng
    pids = rng.choice(pool(ctx, 19), n)
    p = base(ctx, pids, min_age_years=18)
    verdict = date_num(p["_rec_date"])
    return finish(
        p.with_columns(
            ma_ly_lich=pl.format("LL{}", unique_code(serials(ctx, n), 10, 1_212_121)),
            so_dinh_danh=pl.when(pl.lit(pl.Series(rng.random(n) < 0.25))).then(None).otherwise(pl.col("cccd")),
            noi_sinh=pl.col("birth_prov").cast(pl.Utf8).str.zfill(2),
            ho_ten_cha=pl.col("father_name"),
            ho_ten_me=pl.col("mother_name"),
            toi_danh=pick(rng, CRIMES, n),
            ngay_tuyen_an=iso(pl.col("_rec_date")),
            muc_an=pick(rng, SENTENCES, n),
            tinh_trang_xoa_an=pl.when(pl.lit(pl.Series(verdict < ctx.ref - 5 * 365)))
            .then(pl.lit("da_xoa"))
            .otherwise(pl.lit("chua_xoa")),
        ),
        COLUMNS,
    )
