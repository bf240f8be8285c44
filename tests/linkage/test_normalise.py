"""Standardisation: match keys, dates, sex, phones, ids, and refusal of bad input."""

from __future__ import annotations

import unicodedata

import polars as pl
import pytest

from assets.linkage.normalise import prepare, validate


def _std(**cols: list) -> pl.DataFrame:
    n = len(next(iter(cols.values())))
    return prepare(pl.DataFrame({"record_id": [str(i) for i in range(n)], **cols}), "t.csv")[0]


def test_name_key_handles_vietnamese_forms() -> None:
    names = [
        "Nguyễn Văn Ðức",  # U+00D0 lookalike
        "NGUYỄN  VĂN ĐỨC",
        unicodedata.normalize("NFD", "Nguyễn Văn Đức"),
        "Nguyen Van Duc",
        "Đức Nguyễn Văn",  # Western order
    ]
    out = _std(full_name=names)
    assert out["name_key"].to_list()[:4] == ["nguyen van duc"] * 4
    assert out["name_sorted"].unique().to_list() == ["duc nguyen van"]


def test_western_names_and_given_family_split() -> None:
    df = pl.DataFrame(
        {"record_id": ["a", "b"], "given_name": ["Chloé", "Seán"], "family_name": ["O'Brien-Smith", "Müller"]}
    )
    out, feats = prepare(df, "w.csv")
    assert feats == ["name"]
    assert out["name_key"].to_list() == ["obrien smith chloe", "muller sean"]


def test_birth_date_iso_compact_and_year_only() -> None:
    out = _std(birth_date=["1990-05-17", "19900517", "1990", "17/05/1990", None])
    assert out["birth_date_str"].to_list() == ["19900517", "19900517", None, None, None]
    assert out["birth_year"].to_list() == [1990, 1990, 1990, None, None]


def test_sex_phone_id() -> None:
    out = _std(
        sex=["Nam", "Nữ", "female", "1", "0", "?"],
        phone=["+84 912.345.678", "0912345678", "84912345678", "12", None, "0912 345 679"],
        id_number=["0012-3456 7890", "abc123", " ", None, "x", "001234567890"],
    )
    assert out["sex"].to_list() == ["M", "F", "F", "M", "F", None]
    assert out["phone"].to_list()[:5] == ["912345678", "912345678", "912345678", None, None]
    assert out["id_number"].to_list() == ["001234567890", "ABC123", None, None, "X", "001234567890"]


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (pl.DataFrame({"id": ["1"], "full_name": ["A"]}), "b.csv: column record_id is missing"),
        (
            pl.DataFrame({"record_id": ["A17", "A17", "B2", "B2", "C"], "full_name": list("abcde")}),
            "b.csv: 2 duplicate record_id values, e.g. 'A17'",
        ),
        (pl.DataFrame({"record_id": ["1", ""], "full_name": ["a", "b"]}), "b.csv: 1 rows have an empty record_id"),
        (
            pl.DataFrame({"record_id": ["1"], "given_name": ["An"], "colour": ["red"]}),
            "b.csv: no usable matching column (need at least one of full_name, given_name+family_name, "
            "birth_date, sex, address, postcode, phone, id_number)",
        ),
    ],
)
def test_bad_input_refused(frame: pl.DataFrame, message: str) -> None:
    with pytest.raises(ValueError) as err:
        validate(frame, "b.csv")
    assert str(err.value) == message
