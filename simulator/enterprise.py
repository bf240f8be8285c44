"""Enterprises with valid MSTs (check digit by construction) and legal representatives from the population."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from simulator import admin_units, identifiers
from simulator.population import EPOCH, Population, days
from simulator.rng import stream

TYPES = [
    ("cong_ty_tnhh", 0.55),
    ("cong_ty_co_phan", 0.2),
    ("cong_ty_tnhh_mtv", 0.15),
    ("doanh_nghiep_tu_nhan", 0.07),
    ("cong_ty_hop_danh", 0.03),
]
TYPE_PREFIX = {
    "cong_ty_tnhh": "Công ty TNHH",
    "cong_ty_co_phan": "Công ty Cổ phần",
    "cong_ty_tnhh_mtv": "Công ty TNHH Một thành viên",
    "doanh_nghiep_tu_nhan": "Doanh nghiệp tư nhân",
    "cong_ty_hop_danh": "Công ty Hợp danh",
}
TRADES = [
    "Thương mại",
    "Dịch vụ",
    "Xây dựng",
    "Đầu tư",
    "Sản xuất",
    "Vận tải",
    "Công nghệ",
    "Nông sản",
    "Thực phẩm",
    "Du lịch",
    "Kỹ thuật",
    "Xuất nhập khẩu",
    "May mặc",
    "Bất động sản",
    "Giáo dục",
]
BRANDS = [
    "An Phát",
    "Minh Long",
    "Hoàng Gia",
    "Thành Công",
    "Phú Thịnh",
    "Việt Tiến",
    "Hòa Bình",
    "Sao Mai",
    "Đại Dương",
    "Tân Phát",
    "Hưng Thịnh",
    "Bình Minh",
    "Trường Sơn",
    "Kim Long",
    "Thủy Tiên",
    "Đông Á",
    "Nam Việt",
    "Hồng Hà",
    "Phương Nam",
    "Quang Minh",
    "Thiên Ân",
    "Lộc Phát",
    "Toàn Cầu",
    "Hải Đăng",
]
INDUSTRIES = [
    "4100",
    "4290",
    "4659",
    "4663",
    "4690",
    "4711",
    "4933",
    "5510",
    "5610",
    "6201",
    "6810",
    "7020",
    "1410",
    "1071",
    "0118",
    "8559",
]
STATUSES = [
    ("dang_hoat_dong", 0.82),
    ("tam_ngung_kinh_doanh", 0.05),
    ("da_giai_the", 0.09),
    ("ngung_hoat_dong_chua_giai_the", 0.04),
]


def _pick(rng: np.random.Generator, table: list, n: int) -> pl.Series:
    if isinstance(table[0], tuple):
        w = np.array([x[1] for x in table], float)
        return pl.Series([x[0] for x in table]).gather(rng.choice(len(table), n, p=w / w.sum()))
    return pl.Series(table).gather(rng.integers(0, len(table), n))


def generate(n: int, pop: Population, seed: int) -> pl.DataFrame:
    """n enterprises; legal representatives are living adults drawn from the population."""
    rng = stream(seed, "enterprise")
    au = admin_units.load()
    ref = days(pop.start)
    persons = pop.persons
    adult = persons.filter(~pl.col("dead") & (pl.col("year") <= pop.start.year - 20))["pid"].to_numpy()
    rep = rng.choice(adult, size=n, replace=True)
    ward_i = rng.integers(0, au.wards.height, n)
    first2 = rng.choice([1, 2, 3, 4, 5, 6, 8], size=int(n * 1.2) + 16)
    mst = identifiers.mst(n, rng, salt=seed % 9_999_991, first2=first2)
    founded = ref - 30 - (rng.exponential(9.0, n) * 365).astype(np.int64)
    founded = np.maximum(founded, days(dt.date(1991, 1, 1)))
    types = _pick(rng, TYPES, n)
    df = pl.DataFrame(
        {
            "eid": np.arange(n, dtype=np.int64),
            "mst": mst,
            "type": types,
            "trade": _pick(rng, TRADES, n),
            "brand": _pick(rng, BRANDS, n),
            "founded": EPOCH + founded,
            "ward_i": ward_i.astype(np.int64),
            "rep_pid": rep.astype(np.int64),
            "status": _pick(rng, STATUSES, n),
            "capital": (rng.lognormal(21, 1.3, n) // 1_000_000 * 1_000_000).astype(np.int64),
            "industry": _pick(rng, INDUSTRIES, n),
            "phone": identifiers.phones(rng, n),
            "house_no": rng.integers(1, 500, n),
            "street": _pick(rng, ["Lê Lợi", "Trần Phú", "Nguyễn Trãi", "Hùng Vương", "Quang Trung", "Lý Thái Tổ"], n),
            "serial": rng.integers(1, 999, n),
        }
    )
    w = au.wards.with_row_index("ward_i").with_columns(pl.col("ward_i").cast(pl.Int64))
    df = df.join(
        w.select("ward_i", "ward_legacy", "district_legacy", "province_legacy", "commune_2025", "province_2025"),
        on="ward_i",
        how="left",
        maintain_order="left",
    )
    reps = persons.select(
        pl.col("pid").alias("rep_pid"),
        pl.col("full_name").alias("rep_name"),
        pl.col("cccd").alias("rep_cccd"),
        pl.col("cmnd").alias("rep_cmnd"),
    )
    df = df.join(reps, on="rep_pid", how="left", maintain_order="left")
    return df.with_columns(
        name=pl.concat_str(
            pl.col("type").replace_strict(TYPE_PREFIX, return_dtype=pl.Utf8),
            pl.col("trade"),
            pl.col("brand"),
            separator=" ",
        ).add(pl.when(pl.col("serial") % 3 == 0).then(pl.format(" {}", pl.col("serial"))).otherwise(pl.lit(""))),
        address=pl.format("Số {} đường {}", "house_no", "street"),
    )


def enterprise_id(eid: pl.Expr) -> pl.Expr:
    return pl.format("E{}", eid.cast(pl.Utf8).str.zfill(9))
