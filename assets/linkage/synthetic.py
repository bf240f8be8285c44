"""Synthetic person lists with known duplicates, for the linkage tests and benchmark.

Splink's bundled datasets download from the internet; these are generated here instead.
Vietnamese names follow DOMAIN.md (surname first, Nguyễn ≈ 38 %, Văn/Thị middle names),
with a share of Western names. Noise is applied with vectorised Polars expressions.
"""

from __future__ import annotations

import numpy as np
import polars as pl

SURNAMES = {
    "Nguyễn": 38,
    "Trần": 11,
    "Lê": 9.5,
    "Phạm": 7,
    "Hoàng": 3,
    "Huỳnh": 2,
    "Phan": 4.5,
    "Vũ": 2,
    "Võ": 2,
    "Đặng": 2.1,
    "Bùi": 2,
    "Đỗ": 1.4,
    "Hồ": 1.3,
    "Ngô": 1.3,
    "Dương": 1,
    "Lý": 0.5,
    "Đinh": 0.8,
    "Trương": 0.8,
    "Lâm": 0.6,
    "Mai": 0.6,
    "Tô": 0.4,
    "Hà": 0.6,
    "Cao": 0.5,
    "Lương": 0.5,
    "Quách": 0.2,
    "Tạ": 0.3,
    "Chu": 0.3,
    "Kiều": 0.2,
    "Thái": 0.3,
    "Triệu": 0.3,
}
MIDDLE_M = {
    "Văn": 45,
    "Đức": 8,
    "Minh": 8,
    "Quốc": 6,
    "Hữu": 6,
    "Thanh": 6,
    "Công": 5,
    "Ngọc": 4,
    "Xuân": 4,
    "Đình": 4,
    "Tuấn": 2,
    "Hoàng": 2,
}
MIDDLE_F = {
    "Thị": 55,
    "Ngọc": 8,
    "Thu": 6,
    "Thanh": 6,
    "Minh": 5,
    "Kim": 5,
    "Thùy": 4,
    "Hồng": 4,
    "Phương": 3,
    "Bảo": 2,
    "Mai": 2,
}
GIVEN_M = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Đức",
    "Hải",
    "Hiếu",
    "Hòa",
    "Hùng",
    "Huy",
    "Khang",
    "Khánh",
    "Kiên",
    "Long",
    "Lâm",
    "Mạnh",
    "Minh",
    "Nam",
    "Nghĩa",
    "Phát",
    "Phong",
    "Phúc",
    "Quân",
    "Quang",
    "Sơn",
    "Tài",
    "Tâm",
    "Thắng",
    "Thành",
    "Thịnh",
    "Toàn",
    "Trung",
    "Tùng",
    "Tuấn",
    "Việt",
    "Vinh",
    "Vũ",
    "Hoàng",
    "Hưng",
    "Lộc",
    "Bảo",
    "Duy",
    "Hậu",
    "Nhân",
    "Thái",
    "Tiến",
    "Trí",
]
GIVEN_F = [
    "Anh",
    "Châu",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hiền",
    "Hoa",
    "Hòa",
    "Hồng",
    "Hương",
    "Huyền",
    "Lan",
    "Liên",
    "Linh",
    "Loan",
    "Mai",
    "My",
    "Nga",
    "Ngân",
    "Ngọc",
    "Nhung",
    "Oanh",
    "Phương",
    "Quỳnh",
    "Thảo",
    "Thanh",
    "Thu",
    "Thủy",
    "Trang",
    "Trâm",
    "Tuyết",
    "Vân",
    "Vy",
    "Xuân",
    "Yến",
    "Diệp",
    "Khánh",
    "Nhi",
    "Thư",
    "Uyên",
    "Ánh",
    "Đào",
    "Hậu",
]
WEST_M = [
    "John",
    "James",
    "Michael",
    "David",
    "Robert",
    "William",
    "Thomas",
    "Daniel",
    "Peter",
    "Paul",
    "Mark",
    "Andrew",
    "Jean",
    "Pierre",
    "Hans",
    "Luca",
    "Carlos",
    "José",
    "Ivan",
    "Olivier",
]
WEST_F = [
    "Mary",
    "Anna",
    "Sarah",
    "Emma",
    "Laura",
    "Julia",
    "Sophie",
    "Claire",
    "Maria",
    "Elena",
    "Olga",
    "Chloé",
    "Inès",
    "Lucía",
    "Hannah",
    "Grace",
    "Alice",
    "Marie",
    "Eva",
    "Zoë",
]
WEST_S = [
    "Smith",
    "Johnson",
    "Brown",
    "Williams",
    "Miller",
    "Davis",
    "Wilson",
    "Taylor",
    "Martin",
    "Dubois",
    "Müller",
    "Schmidt",
    "García",
    "Rossi",
    "Ivanov",
    "O'Brien",
    "Novak",
    "Kowalski",
    "Jensen",
    "Nielsen",
    "Lefèvre",
    "Moreau",
    "Fischer",
    "Weber",
    "López",
    "Silva",
    "Costa",
    "Clarke",
]


def _pick(rng: np.random.Generator, options: dict[str, float] | list[str], n: int) -> np.ndarray:
    if isinstance(options, dict):
        keys = list(options)
        w = np.array(list(options.values()), dtype=float)
        return rng.choice(np.array(keys, dtype=object), size=n, p=w / w.sum())
    return rng.choice(np.array(options, dtype=object), size=n)


def population(n: int, seed: int = 1, western_share: float = 0.05) -> pl.DataFrame:
    """Distinct persons: person_id, family/given/full name, birth date, sex, phone, postcode, id."""
    rng = np.random.default_rng(seed)
    male = rng.random(n) < 0.5
    west = rng.random(n) < western_share
    sur = np.where(west, _pick(rng, WEST_S, n), _pick(rng, SURNAMES, n))
    mid = np.where(male, _pick(rng, MIDDLE_M, n), _pick(rng, MIDDLE_F, n))
    mid2 = np.where(rng.random(n) < 0.15, np.where(male, _pick(rng, MIDDLE_M, n), _pick(rng, MIDDLE_F, n)), "")
    giv_vn = np.where(male, _pick(rng, GIVEN_M, n), _pick(rng, GIVEN_F, n))
    giv_w = np.where(male, _pick(rng, WEST_M, n), _pick(rng, WEST_F, n))
    given = np.where(west, giv_w, np.char.strip((mid + " " + mid2).astype(str)).astype(object) + " " + giv_vn)
    days = rng.integers(-10957, 18262, n)  # 1940-01-01 .. 2019-12-31
    df = pl.DataFrame(
        {
            "person_id": np.arange(n, dtype=np.int64),
            "family_name": sur.astype(str),
            "given_name": pl.Series(given.astype(str)).str.replace_all(r"\s+", " ").to_numpy(),
            "western": west,
            "birth_date": pl.Series(days, dtype=pl.Int32).cast(pl.Date),
            "sex": np.where(male, "M", "F"),
            "phone": np.char.add("09", rng.integers(0, 10**8, n).astype(str).astype("U8")),
            "postcode": rng.integers(10000, 13321, n).astype(str),
            "id_number": rng.integers(10**11, 10**12, n).astype(str),
        }
    )
    df = df.with_columns(pl.col("phone").str.pad_end(10, "7"))
    full = (
        pl.when(pl.col("western"))
        .then(pl.concat_str(["given_name", "family_name"], separator=" "))
        .otherwise(pl.concat_str(["family_name", "given_name"], separator=" "))
    )
    return df.with_columns(full_name=full)


def _strip_marks(e: pl.Expr) -> pl.Expr:
    return e.str.replace_all("Đ", "D").str.replace_all("đ", "d").str.normalize("NFD").str.replace_all(r"\p{M}", "")


def noisy_copy(df: pl.DataFrame, seed: int = 2, level: float = 1.0) -> pl.DataFrame:
    """Re-keyed copies with realistic defects: case, diacritics, typos, order, formats, missing values."""
    rng = np.random.default_rng(seed)
    n = df.height

    def flag(p: float) -> pl.Series:
        return pl.Series(rng.random(n) < p * level)

    name = pl.col("full_name")
    out = df.with_columns(
        _u=pl.Series(rng.random(n)),
        _ch=pl.Series(rng.choice(list("aeiounhtgc"), n)),
        _f_swap=flag(0.10),
        _f_drop=flag(0.05),
        _f_strip=flag(0.30),
        _f_upper=flag(0.25),
        _f_typo=flag(0.20),
        _f_iso=pl.Series(rng.random(n) < 0.5),
        _f_dtypo=flag(0.05),
        _f_dswap=flag(0.03),
        _f_dnull=flag(0.03),
        _f_jan1=flag(0.03),
        _sexfmt=pl.Series(rng.integers(0, 4, n)),
        _f_sexnull=flag(0.05),
        _f_phnull=flag(0.25),
        _f_phfmt=pl.Series(rng.random(n) < 0.5),
        _f_pcmove=flag(0.10),
        _f_idnull=pl.Series(rng.random(n) < 0.6),
        _dig=pl.Series(rng.integers(0, 10, n).astype(str)),
    )
    # name: drop a middle token, move the first token last (Western order), strip marks, upper, typo
    name = pl.when(pl.col("_f_drop")).then(name.str.replace(r"^(\S+) \S+ (\S+ .*|\S+)$", "$1 $2")).otherwise(name)
    name = pl.when(pl.col("_f_swap")).then(name.str.replace(r"^(\S+) (.*)$", "$2 $1")).otherwise(name)
    name = pl.when(pl.col("_f_strip")).then(_strip_marks(name)).otherwise(name)
    name = pl.when(pl.col("_f_upper")).then(name.str.to_uppercase()).otherwise(name)
    out = out.with_columns(full_name=name)
    pos = (pl.col("_u") * (pl.col("full_name").str.len_chars() - 1)).floor().cast(pl.Int64) + 1
    typo = pl.concat_str([pl.col("full_name").str.slice(0, pos), pl.col("_ch"), pl.col("full_name").str.slice(pos + 1)])
    out = out.with_columns(full_name=pl.when(pl.col("_f_typo")).then(typo).otherwise(pl.col("full_name")))
    # birth date: format, one-digit typo, day/month swap, defaulted 01-01, missing
    d = pl.col("birth_date")
    d = pl.when(pl.col("_f_jan1")).then(pl.date(d.dt.year(), 1, 1)).otherwise(d)
    s = d.dt.strftime("%Y%m%d")
    s = (
        pl.when(pl.col("_f_dswap") & (d.dt.day() <= 12))
        .then(pl.concat_str([d.dt.strftime("%Y"), d.dt.strftime("%d"), d.dt.strftime("%m")]))
        .otherwise(s)
    )
    s = pl.when(pl.col("_f_dtypo")).then(pl.concat_str([s.str.slice(0, 7), pl.col("_dig")])).otherwise(s)
    s = (
        pl.when(pl.col("_f_iso"))
        .then(pl.concat_str([s.str.slice(0, 4), s.str.slice(4, 2), s.str.slice(6, 2)], separator="-"))
        .otherwise(s)
    )
    out = out.with_columns(birth_date=pl.when(pl.col("_f_dnull")).then(None).otherwise(s))
    sex = pl.col("sex")
    fmt = pl.col("_sexfmt")
    sex = (
        pl.when(fmt == 1)
        .then(pl.when(sex == "M").then(pl.lit("Nam")).otherwise(pl.lit("Nữ")))
        .when(fmt == 2)
        .then(pl.when(sex == "M").then(pl.lit("male")).otherwise(pl.lit("female")))
        .when(fmt == 3)
        .then(pl.when(sex == "M").then(pl.lit("1")).otherwise(pl.lit("0")))
        .otherwise(sex)
    )
    phone = (
        pl.when(pl.col("_f_phfmt"))
        .then(
            pl.concat_str([pl.lit("+84 "), pl.col("phone").str.slice(1, 3), pl.lit("."), pl.col("phone").str.slice(4)])
        )
        .otherwise(pl.col("phone"))
    )
    out = out.with_columns(
        sex=pl.when(pl.col("_f_sexnull")).then(None).otherwise(sex),
        phone=pl.when(pl.col("_f_phnull")).then(None).otherwise(phone),
        postcode=pl.when(pl.col("_f_pcmove")).then(pl.lit("19999")).otherwise(pl.col("postcode")),
        id_number=pl.when(pl.col("_f_idnull")).then(None).otherwise(pl.col("id_number")),
    )
    return out.drop(pl.selectors.starts_with("_"))


def with_duplicates(n: int, dup_rate: float = 0.1, seed: int = 1) -> pl.DataFrame:
    """A list of ``n`` persons plus noisy duplicates of ``dup_rate`` of them, shuffled, with record_id."""
    pop = population(n, seed)
    pop = pop.with_columns(birth_date=pl.col("birth_date").dt.strftime("%Y-%m-%d"))
    rng = np.random.default_rng(seed + 1)
    dup_src = pop.filter(pl.Series(rng.random(n) < dup_rate))
    dups = noisy_copy(dup_src.with_columns(birth_date=pl.col("birth_date").str.to_date()), seed + 2)
    allrec = pl.concat([pop, dups], how="vertical_relaxed").drop("western")
    allrec = allrec.sample(fraction=1.0, shuffle=True, seed=seed)
    return allrec.with_columns(record_id=pl.format("R{}", pl.int_range(pl.len())))


def true_pairs(df: pl.DataFrame, left: str = "record_id_l", right: str = "record_id_r") -> pl.DataFrame:
    """All within-list pairs sharing a person_id, as (record_id_l < record_id_r)."""
    a = df.select("record_id", "person_id")
    p = a.join(a, on="person_id", suffix="_r").filter(pl.col("record_id") < pl.col("record_id_r"))
    return p.select(pl.col("record_id").alias(left), pl.col("record_id_r").alias(right))
