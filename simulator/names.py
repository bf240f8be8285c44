"""Vietnamese personal names: surname + middle + given, NFC, weighted surnames.

Why our own generator: Faker's vi_VN has ten uniform surnames in Western order. Real surnames are heavily
skewed (Nguyễn ≈ 38 %). Clean names use the *new* tone placement (Hòa, Thủy); the defect injector produces the
old placement. Generation is vectorised: we draw indices and gather from small string tables with Polars.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import polars as pl

# (surname, weight %) — DOMAIN.md skew; the tail shares the remainder.
SURNAMES: list[tuple[str, float]] = [
    ("Nguyễn", 38.0),
    ("Trần", 11.0),
    ("Lê", 9.5),
    ("Phạm", 7.0),
    ("Hoàng", 2.6),
    ("Huỳnh", 2.4),
    ("Phan", 4.5),
    ("Vũ", 2.1),
    ("Võ", 1.9),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    ("Đinh", 0.7),
    ("Đào", 0.6),
    ("Lương", 0.5),
    ("Trương", 0.6),
    ("Mai", 0.5),
    ("Cao", 0.4),
    ("Lâm", 0.4),
    ("Hà", 0.5),
    ("Tạ", 0.3),
    ("Tô", 0.3),
    ("Trịnh", 0.5),
    ("Đoàn", 0.5),
    ("Chu", 0.2),
    ("Thái", 0.2),
    ("Kiều", 0.2),
    ("Lưu", 0.3),
    ("Quách", 0.2),
    ("Triệu", 0.2),
    ("Văn", 0.2),
    ("Lại", 0.2),
    ("Khúc", 0.1),
    ("Thân", 0.1),
    ("Âu", 0.1),
    ("Mạc", 0.1),
    ("Hứa", 0.1),
    ("Ông", 0.1),
    ("Giang", 0.1),
    ("Nông", 0.3),
    ("Lò", 0.2),
    ("Ninh", 0.1),
]
MIDDLE_MALE: list[tuple[str, float]] = [
    ("Văn", 30),
    ("Đức", 8),
    ("Minh", 8),
    ("Quang", 6),
    ("Hữu", 6),
    ("Công", 5),
    ("Thành", 4),
    ("Xuân", 3),
    ("Ngọc", 3),
    ("Thanh", 4),
    ("Hoàng", 3),
    ("Anh", 3),
    ("Gia", 3),
    ("Tuấn", 2),
    ("Trọng", 3),
    ("Đình", 4),
    ("Bá", 2),
    ("Quốc", 4),
    ("Mạnh", 2),
    ("Việt", 2),
    ("Duy", 2),
    ("Tiến", 2),
]
MIDDLE_FEMALE: list[tuple[str, float]] = [
    ("Thị", 40),
    ("Ngọc", 7),
    ("Thu", 5),
    ("Thanh", 5),
    ("Kim", 4),
    ("Minh", 4),
    ("Phương", 3),
    ("Bảo", 3),
    ("Hồng", 4),
    ("Mai", 2),
    ("Diệu", 2),
    ("Thùy", 3),
    ("Khánh", 3),
    ("Hoài", 2),
    ("Quỳnh", 2),
    ("Ánh", 2),
    ("Thúy", 2),
    ("Hải", 2),
    ("Tuyết", 1),
    ("Lan", 1),
]
GIVEN_MALE: list[str] = [
    "Anh",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Đức",
    "Hải",
    "Hiếu",
    "Hùng",
    "Huy",
    "Hưng",
    "Khánh",
    "Khoa",
    "Kiên",
    "Long",
    "Lâm",
    "Minh",
    "Nam",
    "Nghĩa",
    "Phong",
    "Phúc",
    "Quân",
    "Quang",
    "Sơn",
    "Tài",
    "Thắng",
    "Thành",
    "Thịnh",
    "Toàn",
    "Trung",
    "Tuấn",
    "Tùng",
    "Việt",
    "Vinh",
    "Vũ",
    "Hòa",
    "Thụy",
    "Khải",
    "Lộc",
    "Duy",
    "Đông",
    "Hoàng",
    "Bảo",
    "Hậu",
    "Tiến",
    "Thuận",
    "Trí",
    "Tú",
    "Hiển",
    "Đăng",
    "Lợi",
    "Tâm",
]
GIVEN_FEMALE: list[str] = [
    "An",
    "Anh",
    "Ánh",
    "Châu",
    "Chi",
    "Dung",
    "Duyên",
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
    "Tâm",
    "Thảo",
    "Thủy",
    "Thúy",
    "Trang",
    "Trâm",
    "Tuyết",
    "Uyên",
    "Vân",
    "Vy",
    "Yến",
    "Xuân",
    "Nhàn",
    "Đào",
    "Diệp",
    "Thoa",
    "Khuê",
    "Thùy",
    "Loan",
    "Hoài",
    "Nhi",
]

STREETS: list[str] = [
    "Lê Lợi",
    "Trần Hưng Đạo",
    "Nguyễn Trãi",
    "Hai Bà Trưng",
    "Lý Thường Kiệt",
    "Quang Trung",
    "Lê Duẩn",
    "Nguyễn Huệ",
    "Phan Đình Phùng",
    "Hùng Vương",
    "Trần Phú",
    "Điện Biên Phủ",
    "Võ Thị Sáu",
    "Nguyễn Du",
    "Lạc Long Quân",
    "Bà Triệu",
    "Lê Thánh Tông",
    "Ngô Quyền",
    "Đinh Tiên Hoàng",
    "Cách Mạng Tháng Tám",
    "Nguyễn Văn Cừ",
    "Phạm Văn Đồng",
    "Tôn Đức Thắng",
    "Hoàng Hoa Thám",
    "Chu Văn An",
    "Yên Bái",
]


def _nfc(items: list[str]) -> list[str]:
    return [unicodedata.normalize("NFC", s) for s in items]


def _pick(rng: np.random.Generator, table: list[tuple[str, float]] | list[str], n: int) -> pl.Series:
    """Draw n names from a (weighted) table, gathered as a Polars string Series (no Python row loop)."""
    if table and isinstance(table[0], tuple):
        words = _nfc([w for w, _ in table])  # type: ignore[misc]
        p = np.array([float(w) for _, w in table])  # type: ignore[misc]
        idx = rng.choice(len(words), size=n, p=p / p.sum())
    else:
        words = _nfc(list(table))  # type: ignore[arg-type]
        idx = rng.integers(0, len(words), size=n)
    return pl.Series(words, dtype=pl.Utf8).gather(idx)


def surnames(rng: np.random.Generator, n: int) -> pl.Series:
    return _pick(rng, SURNAMES, n)


def middles_and_given(rng: np.random.Generator, female: np.ndarray) -> tuple[pl.Series, pl.Series]:
    """Middle and given names by sex (female: boolean array)."""
    n = len(female)
    m_mid, f_mid = _pick(rng, MIDDLE_MALE, n), _pick(rng, MIDDLE_FEMALE, n)
    m_giv, f_giv = _pick(rng, GIVEN_MALE, n), _pick(rng, GIVEN_FEMALE, n)
    fem = pl.Series(female)
    df = pl.DataFrame({"f": fem, "mm": m_mid, "fm": f_mid, "mg": m_giv, "fg": f_giv})
    out = df.select(
        mid=pl.when("f").then("fm").otherwise("mm"),
        giv=pl.when("f").then("fg").otherwise("mg"),
    )
    return out["mid"], out["giv"]


def streets(rng: np.random.Generator, n: int) -> pl.Series:
    return _pick(rng, STREETS, n)
