"""Landing contract: layout, manifests, formats, columns, proportions, truth coverage."""

from __future__ import annotations

import hashlib
import json
import unicodedata

import polars as pl
import pytest

from simulator import catalog
from tests.simulator.conftest import SCALE, read_batch

DC_COLUMNS = [
    "so_dinh_danh",
    "so_cmnd_cu",
    "ho_ten",
    "ngay_sinh",
    "gioi_tinh",
    "ma_tinh_khai_sinh",
    "ma_tinh_thuong_tru",
    "ma_huyen_thuong_tru",
    "ma_xa_thuong_tru",
    "dia_chi_chi_tiet",
    "so_dien_thoai",
    "ma_ho_gia_dinh",
    "quan_he_chu_ho",
    "so_dinh_danh_cha",
    "ho_ten_cha",
    "so_dinh_danh_me",
    "ho_ten_me",
    "tinh_trang",
    "ngay_mat",
    "ngay_cap_nhat",
    "thao_tac",
]


def test_catalog_shape():
    assert len(catalog.SOURCES) == 16
    assert catalog.get("dc_population").column_names == DC_COLUMNS
    formats = {s.format for s in catalog.SOURCES.values()}
    assert formats == {"csv", "jsonl", "parquet", "xml"}
    encodings = {(s.encoding, s.delimiter) for s in catalog.SOURCES.values() if s.format == "csv"}
    assert ("cp1258", ";") in encodings and ("utf-8-sig", ",") in encodings and ("utf-8", ",") in encodings
    for s in catalog.SOURCES.values():
        assert s.column_names[-2:] == ["ngay_cap_nhat", "thao_tac"]
        assert set(s.natural_key) <= set(s.column_names)
        assert all(c.isascii() and c == c.lower() for c in s.column_names)


def test_manifests_and_files(full_run):
    out, summary = full_run
    assert len(summary.batches) == 16
    for b in summary.batches:
        bdir = out / "landing" / b.source / b.batch_id
        m = json.loads((bdir / "_manifest.json").read_text())
        spec = catalog.get(b.source)
        assert m["kind"] == "full" and m["schema_version"] == 1
        assert m["extract_time"].endswith("+07:00")
        assert (m["format"], m["encoding"]) == (spec.format, spec.encoding)
        assert m["delimiter"] == (spec.delimiter if spec.format == "csv" else None)
        assert m["row_count"] == sum(f["rows"] for f in m["files"]) == b.rows
        for f in m["files"]:
            data = (bdir / f["name"]).read_bytes()
            assert len(data) == f["bytes"] and hashlib.sha256(data).hexdigest() == f["sha256"]
        df = read_batch(out, b.source, b.batch_id)
        assert df.columns == spec.column_names and df.height == m["row_count"]
        assert set(df["thao_tac"].unique()) == {"I"}
        if spec.encoding == "utf-8-sig":
            assert (bdir / m["files"][0]["name"]).read_bytes()[:3] == b"\xef\xbb\xbf"
        if spec.encoding == "utf-8" and spec.format == "csv":
            assert (bdir / m["files"][0]["name"]).read_bytes()[:3] != b"\xef\xbb\xbf"


def test_cp1258_round_trip(full_run):
    out, _ = full_run
    df = read_batch(out, "as_social_protection", "20251101-01")
    names = df["ho_ten"].to_list()
    restored = [unicodedata.normalize("NFC", n) for n in names]
    assert any(ch in "".join(restored) for ch in "ễệọớ")  # tone letters survive the legacy code page


def test_source_proportions(full_run):
    _, summary = full_run
    rows = summary.rows_by_source()
    total = sum(rows.values())
    assert abs(total - 157e6 * SCALE) / (157e6 * SCALE) < 0.05
    for name, spec in catalog.SOURCES.items():
        assert rows[name] / total == pytest.approx(spec.share, rel=0.08, abs=0.002), name


def test_every_record_has_truth(full_run):
    out, _ = full_run
    truth = pl.read_parquet(out / "truth" / "record_truth.parquet")
    persons = pl.read_parquet(out / "truth" / "person.parquet")
    ents = pl.read_parquet(out / "truth" / "enterprise.parquet")
    assert truth["true_id"].null_count() == 0
    ids = set(persons["person_id"]) | set(ents["enterprise_id"])
    assert set(truth["true_id"].unique()) <= ids
    for name, spec in catalog.SOURCES.items():
        df = read_batch(out, name, "20251101-01")
        keys = df.select(pl.concat_str([pl.col(c).fill_null("") for c in spec.natural_key], separator="|"))
        t = truth.filter(pl.col("source") == name)
        assert set(keys.to_series()) == set(t["record_key"]), name
        assert t["record_key"].n_unique() == t.height, name  # natural keys unique apart from exact duplicates


def test_dc_contract_values(full_run):
    out, _ = full_run
    dc = read_batch(out, "dc_population", "20251101-01")
    assert set(dc["gioi_tinh"].unique()) <= {"Nam", "Nữ"}
    assert set(dc["tinh_trang"].unique()) <= {"con_song", "da_mat"}
    assert dc["ngay_sinh"].str.contains(r"^\d{4}-\d{2}-\d{2}$").all()
    dead = dc.filter(pl.col("tinh_trang") == "da_mat")
    assert dead.height > 0 and dead["ngay_mat"].null_count() == 0
    legacy = dc.filter(pl.col("ma_huyen_thuong_tru").is_not_null())
    assert 0 < legacy.height < dc.height * 0.2
    assert dc.is_duplicated().sum() / dc.height < 0.02
