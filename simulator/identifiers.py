"""Vietnamese identifiers, generated vectorised and valid by construction.

CCCD `PPP G YY NNNNNN`: PPP = '0' + pre-2025 birth-province code, G = 2*(century offset) + (1 if female),
YY = last two digits of the birth year. Serial numbers are unique within (province, G, YY) because they are an
affine permutation of the rank inside that group. MST check digit: weights (31,29,23,19,17,13,7,5,3), mod 11.
"""

from __future__ import annotations

import numpy as np
import polars as pl

MST_WEIGHTS = np.array([31, 29, 23, 19, 17, 13, 7, 5, 3], dtype=np.int64)

# Mobile prefixes in service since the 2018 renumbering (Viettel 03x/086/096-98, Vinaphone 08x/091/094,
# Mobifone 07x/089/090/093, Vietnamobile 052/056/058/092, Gmobile 059).
MOBILE_PREFIXES = [
    "032",
    "033",
    "034",
    "035",
    "036",
    "037",
    "038",
    "039",
    "086",
    "096",
    "097",
    "098",
    "081",
    "082",
    "083",
    "084",
    "085",
    "088",
    "091",
    "094",
    "070",
    "076",
    "077",
    "078",
    "079",
    "090",
    "093",
    "056",
    "058",
    "092",
    "059",
]
# New 3-digit prefix -> pre-2018 4-digit prefix (11-digit numbers), for the "stale phone" defect.
STALE_PREFIX = {
    "032": "0162",
    "033": "0163",
    "034": "0164",
    "035": "0165",
    "036": "0166",
    "037": "0167",
    "038": "0168",
    "039": "0169",
    "070": "0120",
    "079": "0121",
    "077": "0122",
    "076": "0126",
    "078": "0128",
    "083": "0123",
    "084": "0124",
    "085": "0125",
    "081": "0127",
    "082": "0129",
    "056": "0186",
    "058": "0188",
    "059": "0199",
}


def cccd(
    birth_province: np.ndarray, year: np.ndarray, female: np.ndarray, salt: int, rank_offset: int = 0
) -> pl.Series:
    """12-digit CCCD numbers, unique for the given persons.

    birth_province: int array of pre-2025 province codes (1..96); year: birth years; female: bool array.
    rank_offset: start of the rank range; babies born in the delta window use 500,000+ so that the affine
    serial permutation can never hit a serial of the initial population (whose ranks stay far below that).
    """
    n = len(year)
    g = 2 * ((year - 1900) // 100) + female.astype(np.int64)
    yy = year % 100
    group = birth_province.astype(np.int64) * 1000 + g * 100 + yy
    order = np.argsort(group, kind="stable")
    sorted_g = group[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_g)) + 1]
    rank_sorted = np.arange(n) - np.repeat(starts, np.diff(np.r_[starts, n]))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = rank_sorted + rank_offset
    serial = (rank * 7919 + (group * 104729 + salt) % 1_000_000) % 1_000_000
    num = birth_province.astype(np.int64) * 10**9 + g * 10**8 + yy * 10**6 + serial
    return pl.Series(num).cast(pl.Utf8).str.zfill(12)


def cmnd(idx: np.ndarray, salt: int) -> pl.Series:
    """9-digit old ID numbers (first digit non-zero), unique for distinct idx (affine permutation)."""
    a = 337_897  # coprime with 9e8
    num = 100_000_000 + (idx.astype(np.int64) * a + salt) % 900_000_000
    return pl.Series(num).cast(pl.Utf8)


def mst_check_digit(prefix9: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Check digit for 9-digit prefixes; second array marks prefixes that are never issued (r == 0)."""
    digits = (prefix9[:, None] // (10 ** np.arange(8, -1, -1))) % 10
    r = (digits * MST_WEIGHTS).sum(axis=1) % 11
    return (10 - r) % 10, r == 0


def mst(n: int, rng: np.random.Generator, salt: int, first2: np.ndarray | None = None) -> pl.Series:
    """n unique valid 10-digit MSTs (digits 3-9 never all zero, r != 0)."""
    m = int(n * 1.2) + 16
    idx = np.arange(m, dtype=np.int64)
    body = 1 + (idx * 7_919 + salt) % 9_999_999  # digits 3-9, never 0000000
    head = first2 if first2 is not None and len(first2) >= m else rng.choice([1, 2, 3, 4, 5, 8], size=m)
    head = head[:m]
    prefix = head.astype(np.int64) * 10**7 + body
    check, bad = mst_check_digit(prefix)
    ok = ~bad
    # the same (head, body) may repeat when heads differ; body is unique by construction so prefix is unique
    full = (prefix * 10 + check)[ok][:n]
    if len(full) < n:
        raise RuntimeError("not enough valid MST prefixes generated")
    return pl.Series(full).cast(pl.Utf8).str.zfill(10)


def phones(rng: np.random.Generator, n: int) -> pl.Series:
    """Clean mobile numbers, '0' + 9 digits."""
    pre = pl.Series(MOBILE_PREFIXES).gather(rng.integers(0, len(MOBILE_PREFIXES), n))
    rest = pl.Series(rng.integers(0, 10_000_000, n)).cast(pl.Utf8).str.zfill(7)
    return pl.DataFrame({"p": pre, "r": rest}).select(pl.concat_str("p", "r"))["p"]


def digits(rng: np.random.Generator, n: int, width: int, low: int = 0) -> pl.Series:
    """Random zero-padded digit strings of a fixed width."""
    hi = 10**width
    return pl.Series(rng.integers(max(low, 0), hi, n, dtype=np.int64)).cast(pl.Utf8).str.zfill(width)


def unique_digits(n: int, width: int, salt: int, first_nonzero: bool = True) -> pl.Series:
    """n distinct digit strings of a fixed width (affine permutation; a = 7_919_003 is coprime with 9·10^k)."""
    lo = 10 ** (width - 1) if first_nonzero else 0
    span = 10**width - lo
    num = lo + (np.arange(n, dtype=np.int64) * 7_919_003 + salt) % span
    return pl.Series(num).cast(pl.Utf8).str.zfill(width)
