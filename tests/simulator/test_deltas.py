"""Delta semantics: cadences, operations, updates hit the right record, deaths propagate in order."""

from __future__ import annotations

import json

import polars as pl

from simulator import catalog
from tests.simulator.conftest import DAYS, read_source


def test_batches_and_cadence(delta_run):
    out, summary = delta_run
    by_src: dict[str, list[str]] = {}
    for b in summary.batches:
        by_src.setdefault(b.source, []).append(b.batch_id)
    for name, spec in catalog.SOURCES.items():
        ids = by_src[name]
        assert ids == sorted(ids)
        expected = 1 + (DAYS if spec.cadence == "daily" else DAYS // 7)
        assert len(ids) == expected, name
        kinds = [json.loads((out / "landing" / name / i / "_manifest.json").read_text())["kind"] for i in ids]
        assert kinds[0] == "full" and set(kinds[1:]) <= {"delta"}


def test_delta_operations_and_truth(delta_run):
    out, _ = delta_run
    truth = pl.read_parquet(out / "truth" / "record_truth.parquet")
    for name in ("dc_population", "ct_residence", "yb_health_insurance", "ll_judicial_records"):
        spec = catalog.get(name)
        df = read_source(out, name).filter(pl.col("_batch") != "20251101-01")
        assert set(df["thao_tac"].unique()) == {"I", "U", "D"}, name
        dels = df.filter(pl.col("thao_tac") == "D")
        assert dels.select(spec.natural_key).null_count().sum_horizontal().item() == 0
        keys = df.select(
            pl.concat_str([pl.col(c).fill_null("") for c in spec.natural_key], separator="|").alias("record_key"),
            pl.col("_batch").alias("batch_id"),
        )
        t = truth.filter(pl.col("source") == name).select("record_key", "batch_id")
        assert keys.join(t, on=["record_key", "batch_id"], how="anti").height == 0, name


def test_update_changes_the_right_record(delta_run):
    out, _ = delta_run
    dc = read_source(out, "dc_population")
    full = dc.filter(pl.col("_batch") == "20251101-01").unique(subset="so_dinh_danh", keep="first")
    upd = dc.filter(pl.col("thao_tac") == "U")
    assert upd.height > 0
    joined = upd.join(full, on="so_dinh_danh", how="inner", suffix="_old")
    assert joined.height == upd.height  # every update refers to an existing record
    changed_cols = ["so_dien_thoai", "tinh_trang", "ma_xa_thuong_tru"]
    diff = pl.any_horizontal([pl.col(c).ne_missing(pl.col(f"{c}_old")) for c in changed_cols])
    assert joined.filter(diff).height / joined.height > 0.9
    # unchanged identity fields
    assert (joined["ngay_sinh"] == joined["ngay_sinh_old"]).all()


def test_death_reaches_civil_status_before_residence_and_benefits(delta_run):
    out, _ = delta_run
    persons = pl.read_parquet(out / "truth" / "person.parquet").filter(pl.col("dies_on_delta_day") > 0)
    assert persons.height > 0
    ht = read_source(out, "ht_civil_status").filter(pl.col("loai_su_kien") == "khai_tu")
    dc = read_source(out, "dc_population").filter((pl.col("thao_tac") == "U") & (pl.col("tinh_trang") == "da_mat"))
    ct = read_source(out, "ct_residence").filter(
        (pl.col("thao_tac") == "U") & (pl.col("trang_thai") == "da_xoa_dang_ky")
    )
    first = {}
    for label, df in (("ht", ht), ("dc", dc), ("ct", ct)):
        first[label] = (
            df.filter(pl.col("_batch") != "20251101-01")
            .group_by("so_dinh_danh")
            .agg(pl.col("_batch").min().alias(label))
        )
    both = (
        persons.select(pl.col("cccd").alias("so_dinh_danh"))
        .join(first["ht"], on="so_dinh_danh")
        .join(first["ct"], on="so_dinh_danh")
    )
    assert both.height > 0
    assert (both["ht"] < both["ct"]).all()
    dcj = (
        persons.select(pl.col("cccd").alias("so_dinh_danh"))
        .join(first["ht"], on="so_dinh_danh")
        .join(first["dc"], on="so_dinh_danh")
    )
    assert dcj.height > 0 and (dcj["ht"] <= dcj["dc"]).all()


def test_births_appear_in_dc_and_ht(delta_run):
    out, _ = delta_run
    born = pl.read_parquet(out / "truth" / "person.parquet").filter(pl.col("born_on_delta_day") > 0)
    assert born.height > 0
    dc = read_source(out, "dc_population").filter(pl.col("thao_tac") == "I")
    assert born["cccd"].is_in(dc["so_dinh_danh"].implode()).all()


def test_birth_reaches_residence_and_health_card_later(delta_run):
    out, _ = delta_run
    born = pl.read_parquet(out / "truth" / "person.parquet").filter(pl.col("born_on_delta_day").is_between(1, DAYS - 7))
    assert born.height > 0
    ct = read_source(out, "ct_residence").filter(pl.col("thao_tac") == "I")
    yb = read_source(out, "yb_health_insurance").filter(pl.col("thao_tac") == "I")
    dc = read_source(out, "dc_population").filter(pl.col("thao_tac") == "I")
    ids = born["cccd"].implode()
    dc_first = dc.filter(pl.col("so_dinh_danh").is_in(ids)).group_by("so_dinh_danh").agg(pl.col("_batch").min())
    for later in (ct, yb):
        got = (
            later.filter(pl.col("so_dinh_danh").is_in(ids))
            .group_by("so_dinh_danh")
            .agg(pl.col("_batch").min().alias("later"))
        )
        j = dc_first.join(got, on="so_dinh_danh")
        assert j.height > 0 and (j["_batch"] < j["later"]).all()
    assert yb.filter(pl.col("so_dinh_danh").is_in(ids))["ma_the_bhyt"].str.starts_with("TE").all()
