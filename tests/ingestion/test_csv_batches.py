"""CSV ingestion: exact counts that land, quarantine and reject, per failure mode."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from landing_helpers import DC_HEADER, dc_line, write_batch

from assets.ingestion import lake
from assets.ingestion.batch import LINEAGE_COLUMNS, stage_batch
from assets.ingestion.errors import BatchRejectedError
from assets.ingestion.manifest import is_batch_complete
from assets.sources import get_source

DC = get_source("dc_population")


def _ids(n: int, start: int = 0) -> list[str]:
    return [f"0010900{i:05d}" for i in range(start, start + n)]


def test_clean_batch_lands_every_row_with_lineage(landing: Path, lake_root: Path) -> None:
    batch = write_batch(landing, DC.name, "20251101-00", DC_HEADER, [dc_line(c) for c in _ids(10)])
    staged = stage_batch(DC, batch, lake_root)
    assert (staged.rows_landed, staged.rows_quarantined) == (10, 0)
    staged.publish()
    raw = pl.read_parquet(lake.raw_glob(lake_root, DC.name))
    assert raw.height == 10
    assert set(LINEAGE_COLUMNS) <= set(raw.columns)
    assert raw["_row_number"].to_list() == list(range(1, 11))
    assert raw["_row_hash"].n_unique() == 10
    assert raw["dia_chi_chi_tiet"][0] == "Số 1, phố Huế"  # quoted delimiter kept inside the field
    assert raw["so_cmnd_cu"].null_count() == 10  # empty field -> null


def test_broken_rows_are_quarantined_with_line_and_rule(landing: Path, lake_root: Path) -> None:
    lines = [dc_line(c) for c in _ids(6)] + [
        "too,few,fields",
        dc_line("", name="Không Có Số"),
        dc_line("001090099999", op="X"),
        dc_line("001090088888", updated="hôm qua"),
    ]
    batch = write_batch(landing, DC.name, "20251101-00", DC_HEADER, lines)
    staged = stage_batch(DC, batch, lake_root)
    assert (staged.rows_in_manifest, staged.rows_landed, staged.rows_quarantined) == (10, 6, 4)
    assert staged.reconciles
    assert staged.quarantine_by_rule == {
        "column_count": 1,
        "required:so_dinh_danh": 1,
        "type:ngay_cap_nhat": 1,
        "valid_operation": 1,
    }
    staged.publish()
    quarantine = pl.read_parquet(lake.partition_dir(lake_root, lake.QUARANTINE, DC.name, "20251101-00"))
    broken = quarantine.filter(pl.col("rule") == "column_count").row(0, named=True)
    assert broken["_line_number"] == 8  # header is line 1
    assert broken["raw_line"] == "too,few,fields"
    assert broken["_file"] == "part-00000.csv"
    assert "3 fields" in broken["reason"]


def test_invalid_bytes_quarantine_only_that_row(landing: Path, lake_root: Path) -> None:
    batch = write_batch(landing, DC.name, "20251101-00", DC_HEADER, [dc_line(c) for c in _ids(3)])
    part = batch / "part-00000.csv"
    data = part.read_bytes().replace("Nguyễn".encode(), b"Nguy\xff\xfen", 1)
    part.write_bytes(data)
    _rewrite_manifest_checksum(batch)
    staged = stage_batch(DC, batch, lake_root)
    assert (staged.rows_landed, staged.rows_quarantined) == (2, 1)
    assert staged.quarantine_by_rule == {"encoding": 1}


def test_semicolon_with_bom_dialect(landing: Path, lake_root: Path) -> None:
    header = DC_HEADER.replace(",", ";")
    lines = [
        dc_line(c, name="Lê Thị Hoa").replace(",", ";").replace('"Số 1; phố Huế"', "Số 1 phố Huế") for c in _ids(4)
    ]
    batch = write_batch(landing, DC.name, "20251101-00", header, lines, delimiter=";", encoding="utf-8-sig")
    assert (batch / "part-00000.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    staged = stage_batch(DC, batch, lake_root)
    assert (staged.rows_landed, staged.rows_quarantined) == (4, 0)
    staged.publish()
    raw = pl.read_parquet(lake.raw_glob(lake_root, DC.name))
    assert raw["so_dinh_danh"][0] == _ids(1)[0]  # BOM stripped from the first header name
    assert raw["ho_ten"][0] == "Lê Thị Hoa"


def test_legacy_cp1258_encoding_is_decoded(landing: Path, lake_root: Path) -> None:
    lines = [dc_line(c, name="Lê Văn Hoa") for c in _ids(3)]
    batch = write_batch(
        landing,
        DC.name,
        "20251101-00",
        DC_HEADER,
        [ln.replace("Số 1, phố Huế", "So 1, pho Hue") for ln in lines],
        encoding="cp1258",
    )
    assert "Lê Văn Hoa".encode("cp1258") in (batch / "part-00000.csv").read_bytes()
    staged = stage_batch(DC, batch, lake_root)
    assert (staged.rows_landed, staged.rows_quarantined) == (3, 0)
    staged.publish()
    assert pl.read_parquet(lake.raw_glob(lake_root, DC.name))["ho_ten"].to_list() == ["Lê Văn Hoa"] * 3


def test_added_column_is_kept_and_reported(landing: Path, lake_root: Path) -> None:
    header = DC_HEADER + ",ghi_chu"
    batch = write_batch(landing, DC.name, "20251101-00", header, [dc_line(c) + ",note" for c in _ids(3)])
    staged = stage_batch(DC, batch, lake_root)
    assert staged.added_columns == ("ghi_chu",)
    staged.publish()
    assert pl.read_parquet(lake.raw_glob(lake_root, DC.name))["ghi_chu"].to_list() == ["note"] * 3


@pytest.mark.parametrize(
    ("mutate", "rule"),
    [
        (lambda b: (b / "_manifest.json").unlink(), "manifest_missing"),
        (lambda b: (b / "_manifest.json").write_text("{not json"), "manifest_malformed"),
        (lambda b: _edit_manifest(b, schema_version=99), "unknown_schema_version"),
        (lambda b: _edit_manifest(b, source="xx_other"), "manifest_source_mismatch"),
        (lambda b: (b / "part-00000.csv").write_bytes(b""), "file_empty"),
        (lambda b: _truncate(b / "part-00000.csv"), "file_truncated"),
        (lambda b: _flip_byte(b / "part-00000.csv"), "checksum_mismatch"),
        (lambda b: (b / "part-00000.csv").unlink(), "file_missing"),
    ],
)
def test_batch_level_faults_reject_the_batch(landing: Path, lake_root: Path, mutate, rule: str) -> None:
    batch = write_batch(landing, DC.name, "20251101-00", DC_HEADER, [dc_line(c) for c in _ids(3)])
    mutate(batch)
    with pytest.raises(BatchRejectedError) as info:
        stage_batch(DC, batch, lake_root)
    assert info.value.rule == rule
    assert not list((lake_root / "raw").glob("**/*.parquet")) if (lake_root / "raw").exists() else True


def test_missing_required_column_rejects_renamed_optional_is_missing_plus_added(landing: Path, lake_root: Path) -> None:
    no_key = write_batch(
        landing,
        DC.name,
        "20251101-00",
        DC_HEADER.replace("so_dinh_danh,", "so_ddcn,", 1),
        [dc_line(c) for c in _ids(2)],
    )
    with pytest.raises(BatchRejectedError) as info:
        stage_batch(DC, no_key, lake_root)
    assert info.value.rule == "missing_required_column"

    renamed = write_batch(
        landing, DC.name, "20251101-01", DC_HEADER.replace(",ho_ten,", ",ho_va_ten,"), [dc_line(c) for c in _ids(2)]
    )
    staged = stage_batch(DC, renamed, lake_root)
    assert staged.added_columns == ("ho_va_ten",)
    assert staged.missing_optional_columns == ("ho_ten",)


def test_republishing_a_batch_replaces_it(landing: Path, lake_root: Path) -> None:
    batch = write_batch(landing, DC.name, "20251101-00", DC_HEADER, [dc_line(c) for c in _ids(5)])
    for _ in range(2):
        stage_batch(DC, batch, lake_root).publish()
    assert pl.read_parquet(lake.raw_glob(lake_root, DC.name)).height == 5
    leftovers = [p.name for p in (lake_root / "raw" / DC.name).iterdir() if not p.name.startswith("batch_id=")]
    assert leftovers == []


def test_discarded_stage_leaves_nothing_visible(landing: Path, lake_root: Path) -> None:
    batch = write_batch(landing, DC.name, "20251101-00", DC_HEADER, [dc_line(c) for c in _ids(5)])
    stage_batch(DC, batch, lake_root).discard()
    assert list((lake_root / "raw" / DC.name).iterdir()) == []


def test_completeness_for_the_sensor(landing: Path) -> None:
    complete = write_batch(landing, DC.name, "20251101-00", DC_HEADER, [dc_line(c) for c in _ids(2)])
    assert is_batch_complete(complete)
    no_manifest = write_batch(landing, DC.name, "20251102-00", DC_HEADER, [dc_line(c) for c in _ids(2)], manifest=False)
    assert not is_batch_complete(no_manifest)
    still_copying = write_batch(landing, DC.name, "20251103-00", DC_HEADER, [dc_line(c) for c in _ids(2)])
    _truncate(still_copying / "part-00000.csv")
    assert not is_batch_complete(still_copying)


def _edit_manifest(batch: Path, **changes) -> None:
    path = batch / "_manifest.json"
    manifest = json.loads(path.read_text())
    manifest.update(changes)
    path.write_text(json.dumps(manifest))


def _rewrite_manifest_checksum(batch: Path) -> None:
    import hashlib

    path = batch / "_manifest.json"
    manifest = json.loads(path.read_text())
    data = (batch / "part-00000.csv").read_bytes()
    manifest["files"][0].update(bytes=len(data), sha256=hashlib.sha256(data).hexdigest())
    path.write_text(json.dumps(manifest))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-20])


def _flip_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-5] = ord("9") if data[-5] != ord("9") else ord("8")
    path.write_bytes(bytes(data))


def test_quoted_part_is_streamed_and_a_rule_breaker_keeps_its_quoted_line(landing: Path, lake_root: Path) -> None:
    lines = [dc_line(c) for c in _ids(4)] + [dc_line("001090099999", op="X")]
    assert all('"' in line for line in lines)  # every line quotes the address (it holds the delimiter)
    batch = write_batch(landing, DC.name, "20251101-00", DC_HEADER, lines)
    staged = stage_batch(DC, batch, lake_root)
    assert (staged.rows_landed, staged.rows_quarantined) == (4, 1)
    assert staged.quarantine_by_rule == {"valid_operation": 1}
    staged.publish()
    quarantine = pl.read_parquet(lake.partition_dir(lake_root, lake.QUARANTINE, DC.name, "20251101-00"))
    assert quarantine["raw_line"].to_list() == [lines[4]]  # quotes and all
    assert quarantine["_line_number"].to_list() == [6]
    raw = pl.read_parquet(lake.raw_glob(lake_root, DC.name))
    assert raw["dia_chi_chi_tiet"].to_list() == ["Số 1, phố Huế"] * 4


def test_row_hash_is_the_reference_xxh3_128_of_the_values_joined_by_unit_separator(
    landing: Path, lake_root: Path
) -> None:
    """The definition of ``_row_hash`` pinned against the reference implementation (upgrades must keep it)."""
    import xxhash

    lines = [dc_line(c) for c in _ids(5)]
    batch = write_batch(landing, DC.name, "20251101-00", DC_HEADER, lines)
    staged = stage_batch(DC, batch, lake_root)
    staged.publish()
    raw = pl.read_parquet(lake.raw_glob(lake_root, DC.name)).sort("_row_number")
    assert raw["so_cmnd_cu"].null_count() == 5  # nulls take part (as chr(0))
    expected = [
        xxhash.xxh3_128_hexdigest(chr(31).join(chr(0) if v is None else v for v in row).encode())
        for row in raw.select(DC.column_names).iter_rows()
    ]
    assert raw["_row_hash"].to_list() == expected
    assert all(len(h) == 32 for h in expected)
    assert staged.summary()["row_hash"].startswith("xxh3-128")  # the ledger says what the hash is
