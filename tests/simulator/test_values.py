"""Validity of clean identifiers, names, phones and admin codes (checked against the ground truth)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import phonenumbers
import polars as pl
from stdnum.vn import mst

from tests.simulator.conftest import read_batch

SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "admin"
OLD_PROVINCES = set(
    [
        "01",
        "02",
        "04",
        "06",
        "08",
        "10",
        "11",
        "12",
        "14",
        "15",
        "17",
        "19",
        "20",
        "22",
        "24",
        "25",
        "26",
        "27",
        "30",
        "31",
        "33",
        "34",
        "35",
        "36",
        "37",
        "38",
        "40",
        "42",
        "44",
        "45",
        "46",
        "48",
        "49",
        "51",
        "52",
        "54",
        "56",
        "58",
        "60",
        "62",
        "64",
        "66",
        "67",
        "68",
        "70",
        "72",
        "74",
        "75",
        "77",
        "79",
        "80",
        "82",
        "83",
        "84",
        "86",
        "87",
        "89",
        "91",
        "92",
        "93",
        "94",
        "95",
        "96",
    ]
)


def test_admin_seeds():
    assert pl.read_csv(SEEDS / "admin_province_2025.csv").height == 34
    assert pl.read_csv(SEEDS / "admin_commune_2025.csv").height == 3321
    assert pl.read_csv(SEEDS / "admin_province_legacy.csv").height == 63
    m = pl.read_csv(SEEDS / "admin_ward_legacy_to_2025.csv", infer_schema=False)
    assert m.filter(pl.col("is_default") == "1")["legacy_ward_code"].n_unique() == m["legacy_ward_code"].n_unique()
    assert m.filter(pl.col("is_split") == "1")["legacy_ward_code"].n_unique() == 471


def test_cccd_structure(full_run):
    out, _ = full_run
    p = pl.read_parquet(out / "truth" / "person.parquet")
    assert p["cccd"].n_unique() == p.height
    assert p["cccd"].str.contains(r"^\d{12}$").all()
    prov = p["cccd"].str.slice(1, 2)
    assert set(prov.unique()) <= OLD_PROVINCES
    assert (p["cccd"].str.slice(0, 1) == "0").all()
    g = p["cccd"].str.slice(3, 1).cast(pl.Int32)
    yy = p["cccd"].str.slice(4, 2).cast(pl.Int32)
    year = 1900 + 100 * (g // 2) + yy
    assert (year == p["date_of_birth"].dt.year()).all()
    assert ((g % 2 == 1) == (p["sex"] == "F")).all()
    cmnd = p["cmnd"].drop_nulls()
    assert cmnd.str.contains(r"^[1-9]\d{8}$").all() and cmnd.n_unique() == cmnd.len()


def test_mst_check_digits(full_run):
    out, _ = full_run
    e = pl.read_parquet(out / "truth" / "enterprise.parquet")
    assert all(mst.is_valid(x) for x in e["mst"])
    assert e["mst"].n_unique() == e.height


def test_phones_valid(full_run):
    out, _ = full_run
    p = pl.read_parquet(out / "truth" / "person.parquet")["phone"].drop_nulls()
    sample = p.head(3000).to_list()
    assert all(phonenumbers.is_valid_number(phonenumbers.parse(x, "VN")) for x in sample)
    assert all(len(x) == 10 and x[0] == "0" for x in sample)


def test_names_nfc_and_surname_skew(full_run):
    out, _ = full_run
    p = pl.read_parquet(out / "truth" / "person.parquet")
    names = p["full_name"].to_list()
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    surname = p["full_name"].str.split(" ").list.first()
    share = surname.value_counts(normalize=True).sort("proportion", descending=True)
    top = dict(zip(share["full_name"], share["proportion"], strict=True))
    assert 0.33 < top["Nguyễn"] < 0.45 and 0.07 < top["Trần"] < 0.15
    middle = p.with_columns(m=pl.col("full_name").str.split(" ").list.get(1))
    assert middle.filter(pl.col("m") == "Thị")["sex"].eq("F").all()


def test_admin_codes_real(full_run):
    out, _ = full_run
    comm = set(pl.read_csv(SEEDS / "admin_commune_2025.csv", infer_schema=False)["commune_code"])
    ward = set(pl.read_csv(SEEDS / "admin_ward_legacy.csv", infer_schema=False)["ward_code"])
    dc = read_batch(out, "dc_population", "20251101-01")
    new = dc.filter(pl.col("ma_huyen_thuong_tru").is_null())["ma_xa_thuong_tru"]
    old = dc.filter(pl.col("ma_huyen_thuong_tru").is_not_null())["ma_xa_thuong_tru"]
    assert set(new) <= comm and set(old) <= ward


def test_family_links(full_run):
    out, _ = full_run
    p = pl.read_parquet(out / "truth" / "person.parquet")
    kids = p.filter(pl.col("mother_person_id").is_not_null()).join(
        p.select(
            pl.col("person_id").alias("mother_person_id"),
            pl.col("date_of_birth").alias("m_dob"),
            pl.col("sex").alias("m_sex"),
        ),
        on="mother_person_id",
    )
    assert (kids["m_sex"] == "F").all()
    gap = (kids["date_of_birth"] - kids["m_dob"]).dt.total_days() / 365.25
    assert gap.min() > 15


def test_plates_and_cards(full_run):
    out, _ = full_run
    xe = read_batch(out, "xe_vehicle", "20251101-01")
    plate = r"^\d{2}[A-Z]{1,2}-\d{3}\.\d{2}$|^\d{2}-[A-Z][A-Z0-9] \d{3}\.\d{2}$"
    assert xe["bien_so"].str.contains(plate).all()
    yb = read_batch(out, "yb_health_insurance", "20251101-01")
    assert yb["ma_the_bhyt"].str.contains(r"^[A-Z]{2}[1-5]\d{2}\d{10}$").all()
    xc = read_batch(out, "xc_passport", "20251101-01")
    assert xc["ho_ten_mrz"].map_elements(str.isascii, return_dtype=pl.Boolean).all()


def test_cccd_unique_including_newborns(delta_run):
    out, _ = delta_run
    p = pl.read_parquet(out / "truth" / "person.parquet")
    assert p.filter(pl.col("born_on_delta_day") > 0).height > 0
    assert p["cccd"].n_unique() == p.height


def test_several_msts_per_person(full_run):
    out, _ = full_run
    th = read_batch(out, "th_tax", "20251101-01").unique()
    truth = pl.read_parquet(out / "truth" / "record_truth.parquet").filter(pl.col("source") == "th_tax")
    per_person = truth.filter(pl.col("entity_type") == "person").group_by("true_id").len()
    assert per_person.filter(pl.col("len") > 1).height > 0
    org = th.filter(pl.col("loai_nnt") == "to_chuc")["mst"]
    assert org.str.contains(r"^\d{10}(-\d{3})?$").all()


def test_registration_dates_plausible(full_run):
    """No registration after the extract date or after the holder's death; licences only for adults."""
    import datetime as dt

    out, _ = full_run
    start = dt.date(2025, 11, 1)
    truth = pl.read_parquet(out / "truth" / "record_truth.parquet")
    persons = pl.read_parquet(out / "truth" / "person.parquet").select(
        pl.col("person_id").alias("true_id"), "date_of_birth", "date_of_death"
    )
    for source, col, min_age in [
        ("ct_residence", "ngay_dang_ky", 0),
        ("lx_driving_licence", "ngay_cap", 18),
        ("xc_passport", "ngay_cap", 0),
        ("yb_health_insurance", "gia_tri_tu", 0),
        ("dd_land", "ngay_cap_gcn", 20),
    ]:
        spec_key = {"ct_residence": ["so_dinh_danh", "loai_cu_tru", "ngay_dang_ky"]}.get(source)
        df = read_batch(out, source, "20251101-01").unique()
        from simulator import catalog

        keys = spec_key or list(catalog.get(source).natural_key)
        df = df.with_columns(record_key=pl.concat_str([pl.col(c).fill_null("") for c in keys], separator="|"))
        d = df.select("record_key", pl.col(col).str.to_date("%Y-%m-%d", strict=False).alias("d")).drop_nulls()
        j = d.join(truth.filter(pl.col("source") == source), on="record_key").join(persons, on="true_id")
        assert j.height > 0
        assert (j["d"] < start).all(), source
        assert j.filter(pl.col("date_of_death").is_not_null() & (pl.col("d") > pl.col("date_of_death"))).height == 0
        age = (j["d"] - j["date_of_birth"]).dt.total_days() / 365.25
        assert (age >= min_age - 0.01).all(), source
