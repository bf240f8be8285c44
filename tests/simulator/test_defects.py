"""Defect injection: rates near their settings, ledger consistent with the landed data."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from simulator import catalog
from simulator.defects import Rule, inject
from simulator.engine import source_module
from tests.simulator.conftest import read_batch


def test_rates_within_tolerance_on_synthetic_frame():
    n = 40_000
    df = pl.DataFrame(
        {
            "_row": np.arange(n, dtype=np.uint32),
            "ho_ten": ["Nguyễn Thị Hòa"] * n,
            "ngay_sinh": ["1990-05-17"] * n,
            "so_dien_thoai": ["0912345678"] * n,
        }
    )
    rules = [
        Rule("ho_ten", "upper", 0.30),
        Rule("ho_ten", "nfd", 0.04),
        Rule("ho_ten", "old_tone", 0.05),
        Rule("ngay_sinh", "date_dmy", 0.15),
        Rule("ngay_sinh", "date_year_only", 0.05),
        Rule("so_dien_thoai", "phone_plus84", 0.05),
        Rule("so_dien_thoai", "phone_dots", 0.05),
    ]
    dirty, ledger, dups = inject(df, rules, np.random.default_rng(1), None, 0.0, 0.02)
    counts = dict(ledger.group_by("defect_type").len().iter_rows())
    for r in rules:
        assert counts[r.kind] / n == pytest.approx(r.rate, rel=0.1), r
    assert len(dups) / n == pytest.approx(0.02, rel=0.15)
    assert set(dirty.filter(pl.col("ngay_sinh").str.contains("/"))["ngay_sinh"]) == {"17/05/1990"}
    assert "NGUYỄN THỊ HÒA" in set(dirty["ho_ten"]) and "Nguyễn Thị Hoà" in set(dirty["ho_ten"])
    assert "+84912345678" in set(dirty["so_dien_thoai"]) and "091.234.5678" in set(dirty["so_dien_thoai"])


def test_ledger_matches_landed_values(full_run):
    out, _ = full_run
    ledger = pl.read_parquet(out / "truth" / "defects.parquet")
    assert set(ledger.columns) >= {"source", "record_key", "field", "defect_type", "clean_value", "dirty_value"}
    for name in ("dd_land", "ht_civil_status", "yt_health", "dn_enterprise"):
        spec = catalog.get(name)
        df = (
            read_batch(out, name, "20251101-01")
            .unique(maintain_order=True)
            .with_columns(record_key=pl.concat_str([pl.col(c).fill_null("") for c in spec.natural_key], separator="|"))
        )
        lg = ledger.filter((pl.col("source") == name) & (pl.col("field") != "*"))
        assert lg.height > 0
        for field in lg["field"].unique():
            sub = lg.filter(pl.col("field") == field).join(
                df.select("record_key", pl.col(field).alias("landed")), on="record_key", how="inner"
            )
            assert sub.height > 0
            # cp1258 files carry decomposed tone marks: compare in NFC
            nfc = sub.select(pl.col("landed").str.normalize("NFC"), pl.col("dirty_value").str.normalize("NFC"))
            assert (nfc["landed"] == nfc["dirty_value"]).all(), (name, field)
            assert (sub["clean_value"] != sub["dirty_value"]).all()


def test_observed_source_rates(full_run):
    out, summary = full_run
    ledger = pl.read_parquet(out / "truth" / "defects.parquet")
    rows = summary.rows_by_source()
    # unconditional rules: observed share of records close to the configured rate
    for name, field, kind in [
        ("ht_civil_status", "ho_ten", "upper"),
        ("dd_land", "ho_ten_chu_su_dung", "upper"),
        ("yt_health", "ho_ten", "no_diacritics"),
        ("xh_social_insurance", "ngay_sinh", "date_dmy"),
    ]:
        rate = next(r.rate for r in source_module(name).RULES if r.field == field and r.kind == kind)
        got = (
            ledger.filter(
                (pl.col("source") == name) & (pl.col("defect_type") == kind) & (pl.col("field") == field)
            ).height
            / rows[name]
        )
        assert got == pytest.approx(rate, rel=0.25), (name, kind, got)
    dup = ledger.filter(pl.col("defect_type") == "duplicate").group_by("source").len()
    for src, k in dup.iter_rows():
        assert 0.0 < k / rows[src] < 0.035
    # DD: CMND where the CCCD belongs for a large part of owners (DOMAIN: ≈ 30 %)
    dd = ledger.filter((pl.col("source") == "dd_land") & (pl.col("defect_type") == "cmnd_for_cccd")).height
    assert 0.15 < dd / rows["dd_land"] < 0.4
    # deceased still active: 0.5-1 % of CT/YB/LX/XE/AS records
    for src in ("ct_residence", "yb_health_insurance", "as_social_protection"):
        k = ledger.filter((pl.col("source") == src) & (pl.col("defect_type") == "deceased_active")).height
        assert 0.001 < k / rows[src] < 0.03, src


def test_legacy_codes_only_before_reform(full_run):
    out, _ = full_run
    ledger = pl.read_parquet(out / "truth" / "defects.parquet").filter(pl.col("defect_type") == "legacy_admin")
    assert ledger.height > 0
    ht = read_batch(out, "ht_civil_status", "20251101-01").unique()
    legacy = ht.filter(pl.col("ma_huyen_dang_ky").is_not_null())
    assert legacy.height > 0
    import datetime as dt

    iso = legacy["ngay_dang_ky"].str.to_date("%Y-%m-%d", strict=False)
    dmy = legacy["ngay_dang_ky"].str.to_date("%d/%m/%Y", strict=False)
    reg = iso.fill_null(dmy).drop_nulls()
    assert reg.len() > 0 and (reg < dt.date(2025, 7, 1)).all()


def test_defect_multiplier_zero_is_clean(tmp_path):
    from simulator import simulate

    simulate(tmp_path, scale=0.0002, seed=3, sources=["dc_population", "ll_judicial_records"], defect_multiplier=0.0)
    assert pl.read_parquet(tmp_path / "truth" / "defects.parquet").height == 0
