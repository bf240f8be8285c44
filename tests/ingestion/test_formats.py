"""Every wire format: exact counts that land, quarantine and reject, per failure mode.

Files are rendered by the simulator's own writer (the real wire format), then damaged.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import polars as pl
import pytest

from assets.ingestion import lake
from assets.ingestion.audit import audit_staged_batch
from assets.ingestion.batch import stage_batch
from assets.ingestion.errors import BatchRejectedError
from assets.sources import SOURCES, get_source
from tests.ingestion.format_helpers import good_rows, render, write_files

CT = get_source("ct_residence")  # jsonl
XE = get_source("xe_vehicle")  # jsonl, int column
DN = get_source("dn_enterprise")  # xml
TH = get_source("th_tax")  # parquet
HT = get_source("ht_civil_status")  # csv ; cp1258
XH = get_source("xh_social_insurance")  # csv ; utf-8 BOM
DD = get_source("dd_land")  # csv , utf-8 BOM
BATCH = "20251101-01"
CONTRACTS = Path(__file__).resolve().parents[2] / "contracts" / "raw"


def _stage(spec, landing: Path, lake_root: Path, parts):
    return stage_batch(spec, write_files(landing, spec, BATCH, parts), lake_root)


def _quarantine(staged) -> pl.DataFrame:
    staged.publish()
    return pl.read_parquet(staged.quarantine_final).sort("_file", "_line_number")


def _raw(staged) -> pl.DataFrame:
    return pl.read_parquet(staged.raw_final)


@pytest.mark.parametrize("name", list(SOURCES))
def test_every_source_round_trips_two_parts(name: str, landing: Path, lake_root: Path) -> None:
    spec = SOURCES[name]
    first, second = good_rows(spec, 4), good_rows(spec, 3, start=4)
    staged = _stage(spec, landing, lake_root, [(render(first, spec), 4), (render(second, spec), 3)])
    assert (staged.rows_in_manifest, staged.rows_landed, staged.rows_quarantined) == (7, 7, 0)
    audit = audit_staged_batch(staged, CONTRACTS / f"{name}.yml")
    assert audit.passed, audit.contract.describe()
    staged.publish()
    raw = _raw(staged).sort("_file", "_row_number")
    assert raw.select(spec.column_names).equals(pl.concat([first, second]))  # text, escapes and accents intact
    assert raw["_row_number"].to_list() == [1, 2, 3, 4, 1, 2, 3]


# --- JSON Lines ---------------------------------------------------------------------------------


def _jsonl_lines(spec, n: int) -> list[str]:
    return render(good_rows(spec, n), spec).decode().splitlines()


def test_jsonl_broken_lines_are_quarantined_with_rule_and_line(landing: Path, lake_root: Path) -> None:
    lines = _jsonl_lines(CT, 5)
    key_as_number = json.loads(lines[0]) | {"so_dinh_danh": 1090012345}
    nested = json.loads(lines[0]) | {"dia_chi": {"so_nha": 1}}
    no_key = {k: v for k, v in json.loads(lines[0]).items() if k != "so_dinh_danh"}
    broken = [
        '{"so_dinh_danh": "0010',  # line 6: malformed
        "[1, 2, 3]",  # line 7: not an object
        json.dumps(key_as_number),  # line 8: a text column arrived as a number
        json.dumps(nested),  # line 9: an object as a value
        json.dumps(no_key),  # line 10: required key absent
        "",  # blank line: not a record
    ]
    data = ("\n".join(lines + broken) + "\n").encode() + b'{"so_dinh_danh": "\xff\xfe"}\n'  # line 12
    staged = _stage(CT, landing, lake_root, [(data, 11)])
    assert (staged.rows_in_manifest, staged.rows_landed, staged.rows_quarantined) == (11, 5, 6)
    assert staged.quarantine_by_rule == {
        "encoding": 1,
        "malformed_json": 1,
        "not_an_object": 1,
        "required:so_dinh_danh": 1,
        "type_drift": 2,
    }
    q = _quarantine(staged)
    assert q["_line_number"].to_list() == [6, 7, 8, 9, 10, 12]
    assert q.row(0, named=True)["raw_line"] == broken[0]
    assert q.filter(pl.col("_line_number") == 8)["reason"][0] == "so_dinh_danh arrived as JSON ubigint"
    assert q.filter(pl.col("_line_number") == 9)["reason"][0] == "dia_chi arrived as JSON object"


def test_jsonl_integer_column_accepts_a_json_number(landing: Path, lake_root: Path) -> None:
    line = json.loads(_jsonl_lines(XE, 1)[0]) | {"nam_san_xuat": 2019}
    staged = _stage(XE, landing, lake_root, [((json.dumps(line) + "\n").encode(), 1)])
    assert (staged.rows_landed, staged.rows_quarantined) == (1, 0)
    staged.publish()
    assert _raw(staged)["nam_san_xuat"].to_list() == ["2019"]


def test_jsonl_schema_drift(landing: Path, lake_root: Path) -> None:
    rows = [json.loads(x) for x in _jsonl_lines(CT, 3)]
    added = [r | {"ghi_chu": "x"} if i == 1 else r for i, r in enumerate(rows)]  # only in the second object
    renamed = [{("ho_va_ten" if k == "ho_ten" else k): v for k, v in r.items()} for r in added]
    data = ("\n".join(json.dumps(r, ensure_ascii=False) for r in renamed) + "\n").encode()
    staged = _stage(CT, landing, lake_root, [(data, 3)])
    assert (staged.rows_landed, staged.rows_quarantined) == (3, 0)
    assert staged.added_columns == ("ho_va_ten", "ghi_chu")
    assert staged.missing_optional_columns == ("ho_ten",)
    staged.publish()
    assert _raw(staged).sort("_row_number")["ghi_chu"].to_list() == [None, "x", None]

    no_key = "\n".join(json.dumps({k: v for k, v in r.items() if k != "ngay_dang_ky"}) for r in rows) + "\n"
    with pytest.raises(BatchRejectedError) as info:
        stage_batch(CT, write_files(landing, CT, "20251102-01", [(no_key.encode(), 3)]), lake_root)
    assert info.value.rule == "missing_required_column"


# --- XML ----------------------------------------------------------------------------------------


def _xml(spec, n: int) -> tuple[str, list[str], str]:
    text = render(good_rows(spec, n), spec).decode()
    lines = text.splitlines()
    return "\n".join(lines[:2]), lines[2:-1], lines[-1]


def test_xml_broken_records_are_quarantined(landing: Path, lake_root: Path) -> None:
    head, records, tail = _xml(DN, 5)
    bad = [
        records[0].replace("</ten_doanh_nghiep>", "</ten_dn>"),  # line 8: mismatched close tag
        records[0].replace("&amp;", "&"),  # line 9: undefined entity
        records[0].replace("<record>", "<record><loai_hinh>x</loai_hinh>"),  # line 10: repeated element
        records[0].replace("</record>", ""),  # line 11: unclosed record
        records[0].replace("<ma_so_doanh_nghiep>ma_so_doanh_nghiep-00000</ma_so_doanh_nghiep>", ""),  # 12: no key
    ]
    data = ("\n".join([head, *records, *bad, tail]) + "\n").encode()
    staged = _stage(DN, landing, lake_root, [(data, 10)])
    assert (staged.rows_in_manifest, staged.rows_landed, staged.rows_quarantined) == (10, 5, 5)
    assert staged.quarantine_by_rule == {"required:ma_so_doanh_nghiep": 1, "xml_malformed": 4}
    q = _quarantine(staged)
    assert q["_line_number"].to_list() == [8, 9, 10, 11, 12]
    assert q["raw_line"].to_list() == bad
    assert q["reason"][0] == "element <ten_doanh_nghiep> closed by </ten_dn>"


def test_xml_multi_line_records_and_drift(landing: Path, lake_root: Path) -> None:
    head, records, tail = _xml(DN, 2)
    pretty = records[0].replace("><", ">\n  <").replace("<ten_doanh_nghiep>", "<ten_moi>x</ten_moi><ten_doanh_nghiep>")
    data = ("\n".join([head, pretty, records[1], tail]) + "\n").encode()
    staged = _stage(DN, landing, lake_root, [(data, 2)])
    assert (staged.rows_landed, staged.rows_quarantined) == (2, 0)
    assert staged.added_columns == ("ten_moi",)
    staged.publish()
    raw = _raw(staged).sort("_row_number")
    assert raw["ten_moi"].to_list() == ["x", None]
    assert raw["von_dieu_le"].to_list() == ["42", "42"]


@pytest.mark.parametrize(
    ("damage", "rule"),
    [
        (lambda text: text.replace("</records>", ""), "file_malformed"),  # cut before the root closes
        (lambda text: "not xml at all\n" + text, "file_malformed"),
        (
            lambda text: text.replace("<ma_so_doanh_nghiep>", "<ma_dn>").replace("</ma_so_doanh_nghiep>", "</ma_dn>"),
            "missing_required_column",
        ),
    ],
)
def test_xml_document_faults_reject_the_batch(landing: Path, lake_root: Path, damage, rule: str) -> None:
    data = damage(render(good_rows(DN, 3), DN).decode()).encode()
    with pytest.raises(BatchRejectedError) as info:
        _stage(DN, landing, lake_root, [(data, 3)])
    assert info.value.rule == rule


# --- Parquet ------------------------------------------------------------------------------------


def test_parquet_type_drift_is_cast_to_text_and_bad_required_values_quarantined(landing: Path, lake_root: Path) -> None:
    df = good_rows(TH, 4).with_columns(
        pl.Series("mst", [1001, 1002, None, 1004], pl.Int64),  # key arrives as a number, one missing
        pl.Series("ngay_sinh", ["2001-02-03"] * 4).str.to_date(),  # a date column arrives typed
        pl.Series("ngay_cap_nhat", ["2025-11-01T08:00:00"] * 3 + ["hôm qua"]),  # unparseable required value
    )
    staged = _stage(TH, landing, lake_root, [(render(df, TH), 4)])
    assert (staged.rows_landed, staged.rows_quarantined) == (2, 2)
    assert staged.type_drift == {"mst": "Int64", "ngay_sinh": "Date"}
    assert staged.quarantine_by_rule == {"required:mst": 1, "type:ngay_cap_nhat": 1}
    q = _quarantine(staged)
    assert q["_line_number"].to_list() == [3, 4]
    assert json.loads(q["raw_line"][0])["mst"] is None and json.loads(q["raw_line"][1])["mst"] == "1004"
    raw = _raw(staged).sort("_row_number")
    assert raw["mst"].to_list() == ["1001", "1002"] and raw["ngay_sinh"].to_list() == ["2001-02-03"] * 2


def test_parquet_schema_drift_and_unreadable_file(landing: Path, lake_root: Path) -> None:
    df = good_rows(TH, 2).rename({"dia_chi": "dia_chi_moi"})
    staged = _stage(TH, landing, lake_root, [(render(df, TH), 2)])
    assert staged.added_columns == ("dia_chi_moi",) and staged.missing_optional_columns == ("dia_chi",)
    with pytest.raises(BatchRejectedError) as info:
        stage_batch(TH, write_files(landing, TH, "20251102-01", [(render(df.drop("mst"), TH), 2)]), lake_root)
    assert info.value.rule == "missing_required_column"
    with pytest.raises(BatchRejectedError) as info:
        stage_batch(TH, write_files(landing, TH, "20251103-01", [(b"PAR1 this is not parquet PAR1", 2)]), lake_root)
    assert info.value.rule == "file_unreadable"


# --- CSV dialects from the real writer ----------------------------------------------------------


def test_cp1258_semicolon_source_quarantines_undefined_bytes(landing: Path, lake_root: Path) -> None:
    data = render(good_rows(HT, 4), HT)
    assert "Nguyễn".encode() not in data and b";" in data  # legacy code page, `;` dialect
    lines = data.split(b"\n")
    lines[2] = lines[2].replace(b"Nguy", b"Nguy\x81", 1)  # 0x81 is undefined in cp1258
    staged = _stage(HT, landing, lake_root, [(b"\n".join(lines), 4)])
    assert (staged.rows_landed, staged.rows_quarantined) == (3, 1)
    assert staged.quarantine_by_rule == {"encoding": 1}
    assert _quarantine(staged)["_line_number"].to_list() == [3]
    assert _raw(staged)["ho_ten"][0].startswith("Nguyễn Thị Ánh")  # recomposed to NFC


def test_clean_csv_fast_path_still_quarantines_rule_breakers_with_their_exact_line(
    landing: Path, lake_root: Path
) -> None:
    lx = get_source("lx_driving_licence")
    data = render(good_rows(lx, 4).with_columns(pl.Series("thao_tac", ["I", "I", "X", "I"])), lx)
    assert b'"' not in data  # no quotes: the part is parsed in one go
    staged = _stage(lx, landing, lake_root, [(data, 4)])
    assert (staged.rows_landed, staged.rows_quarantined) == (3, 1)
    assert staged.quarantine_by_rule == {"valid_operation": 1}
    q = _quarantine(staged)
    assert q["_line_number"].to_list() == [4]
    assert q["raw_line"][0] == data.decode().splitlines()[3]


@pytest.mark.parametrize("spec", [XH, DD], ids=["semicolon-bom", "comma-bom"])
def test_bom_dialects_with_a_short_row(spec, landing: Path, lake_root: Path) -> None:
    data = render(good_rows(spec, 3), spec)
    assert data.startswith(b"\xef\xbb\xbf")
    data += f"x{spec.delimiter}y\n".encode()
    staged = _stage(spec, landing, lake_root, [(data, 4)])
    assert (staged.rows_landed, staged.rows_quarantined) == (3, 1)
    assert staged.quarantine_by_rule == {"column_count": 1}
    assert _quarantine(staged)["_line_number"].to_list() == [5]


# --- every format: empty deltas and batch-level rejection ---------------------------------------

FORMAT_SOURCES = {"csv": "dc_population", "jsonl": "ct_residence", "parquet": "th_tax", "xml": "dn_enterprise"}


@pytest.mark.parametrize("fmt", list(FORMAT_SOURCES))
def test_empty_delta_lands_nothing_and_passes(fmt: str, landing: Path, lake_root: Path) -> None:
    spec = get_source(FORMAT_SOURCES[fmt])
    staged = _stage(spec, landing, lake_root, [(render(good_rows(spec, 0), spec), 0)])
    assert (staged.rows_in_manifest, staged.rows_landed, staged.rows_quarantined) == (0, 0, 0)
    audit = audit_staged_batch(staged, CONTRACTS / f"{spec.name}.yml")
    assert audit.passed


def _edit_manifest(batch: Path, **changes) -> None:
    path = batch / "_manifest.json"
    path.write_text(json.dumps(json.loads(path.read_text()) | changes))


def _part(batch: Path) -> Path:
    return next(batch.glob("part-*"))


REJECTIONS = {
    "manifest_missing": lambda b: (b / "_manifest.json").unlink(),
    "manifest_malformed": lambda b: (b / "_manifest.json").write_text('{"source": '),
    "unknown_schema_version": lambda b: _edit_manifest(b, schema_version=2),
    "format_mismatch": lambda b: _edit_manifest(b, format="csv" if _part(b).suffix != ".csv" else "xml"),
    "file_empty": lambda b: _part(b).write_bytes(b""),
    "file_truncated": lambda b: _part(b).write_bytes(_part(b).read_bytes()[:-7]),
    "checksum_mismatch": lambda b: _part(b).write_bytes(_part(b).read_bytes()[:-1] + b"\x00"),
}


@pytest.mark.parametrize("rule", list(REJECTIONS))
@pytest.mark.parametrize("fmt", list(FORMAT_SOURCES))
def test_batch_faults_reject_every_format(fmt: str, rule: str, landing: Path, lake_root: Path) -> None:
    spec = get_source(FORMAT_SOURCES[fmt])
    batch = write_files(landing, spec, BATCH, [(render(good_rows(spec, 3), spec), 3)])
    REJECTIONS[rule](batch)
    with pytest.raises(BatchRejectedError) as info:
        stage_batch(spec, batch, lake_root)
    assert info.value.rule == rule
    assert not list(lake_root.glob("raw/**/*.parquet"))  # nothing staged is left behind
    target = lake.reject_batch(batch, lake_root.parent / "rejected", spec.name, info.value.rule, info.value.detail)
    assert json.loads((target / "_rejection.json").read_text())["rule"] == rule and not batch.exists()


# --- streamed parts: a plan that fails as it runs is read again the careful way -----------------


def test_unquoted_csv_with_invalid_utf8_falls_back_and_quarantines_only_that_line(
    landing: Path, lake_root: Path
) -> None:
    lx = get_source("lx_driving_licence")
    data = render(good_rows(lx, 5), lx)
    assert b'"' not in data  # passes the byte checks: the bad byte only shows when Polars parses
    lines = data.split(b"\n")
    lines[3] = lines[3].replace(b",", b",\xff", 1)  # line 4: not UTF-8
    staged = _stage(lx, landing, lake_root, [(b"\n".join(lines), 5)])
    assert (staged.rows_landed, staged.rows_quarantined) == (4, 1)
    assert staged.quarantine_by_rule == {"encoding": 1}
    assert _quarantine(staged)["_line_number"].to_list() == [4]
    assert _raw(staged).sort("_row_number")["_row_number"].to_list() == [1, 2, 4, 5]


def test_unquoted_csv_long_and_short_row_that_balance_the_delimiter_count(landing: Path, lake_root: Path) -> None:
    lx = get_source("lx_driving_licence")
    lines = render(good_rows(lx, 5), lx).split(b"\n")
    lines[2] = lines[2] + b",extra"  # line 3: one field too many ...
    lines[4] = lines[4].rsplit(b",", 1)[0]  # ... line 5: one too few; the byte count balances
    staged = _stage(lx, landing, lake_root, [(b"\n".join(lines), 5)])
    assert (staged.rows_landed, staged.rows_quarantined) == (3, 2)
    assert staged.quarantine_by_rule == {"column_count": 2}
    assert _quarantine(staged)["_line_number"].to_list() == [3, 5]


def test_parquet_with_a_readable_footer_but_corrupt_pages_rejects_the_batch(landing: Path, lake_root: Path) -> None:
    data = bytearray(render(good_rows(TH, 50), TH))
    middle = len(data) // 2
    data[middle - 64 : middle + 64] = bytes(128)  # data pages zeroed; the footer is intact
    assert pl.read_parquet_schema(io.BytesIO(bytes(data)))  # the footer still reads
    with pytest.raises(BatchRejectedError) as info:
        _stage(TH, landing, lake_root, [(bytes(data), 50)])
    assert info.value.rule == "file_unreadable"
    assert not list((lake_root / lake.RAW).rglob("*.parquet"))  # nothing visible


def test_xml_records_only_a_parse_can_fault_are_read_again_record_by_record(landing: Path, lake_root: Path) -> None:
    head, records, tail = _xml(DN, 3)
    first, second = "<ma_so_doanh_nghiep>", "<ten_doanh_nghiep>"
    assert first in records[0] and second in records[0]
    key = records[0][records[0].index(first) : records[0].index("</ma_so_doanh_nghiep>") + 21]
    name = records[0][records[0].index(second) : records[0].index("</ten_doanh_nghiep>") + 19]
    odd = [
        records[0].replace(key + name, name + key),  # line 6: valid XML, another element order: lands
        records[0].replace(name, name + name),  # line 7: repeated element
        records[0].replace("</ten_doanh_nghiep>", "<b>x</b></ten_doanh_nghiep>"),  # line 8: markup in a text
    ]
    assert key + name in records[0]  # the two elements are neighbours
    data = ("\n".join([head, *records, *odd, tail]) + "\n").encode()
    assert b"/>" not in data and b"&amp;" in data  # nothing the byte checks catch (defined entities only)
    staged = _stage(DN, landing, lake_root, [(data, 6)])
    assert (staged.rows_landed, staged.rows_quarantined) == (4, 2)
    assert staged.quarantine_by_rule == {"xml_malformed": 2}
    assert _quarantine(staged)["_line_number"].to_list() == [7, 8]
    raw = _raw(staged).sort("_row_number")
    assert raw["_row_number"].to_list() == [1, 2, 3, 4]
    assert raw.row(3, named=True)["ma_so_doanh_nghiep"] == raw.row(0, named=True)["ma_so_doanh_nghiep"]


@pytest.mark.parametrize("spec", [DN, get_source("ld_labour")], ids=["dn", "ld"])
def test_xml_regular_layout_with_omitted_and_empty_elements_round_trips(spec, landing: Path, lake_root: Path) -> None:
    rows = good_rows(spec, 4)
    optional = [c for c in spec.column_names if c not in spec.required_columns]
    first, last = optional[0], optional[-1]
    rows = rows.with_columns(
        pl.Series(first, [None, "x", None, "y"]),  # omitted by the writer when null
        pl.Series(last, ["z", None, None, "w"]),
    )
    data = render(rows, spec)
    assert f"<{first}>".encode() in data and data.count(f"<{first}>".encode()) == 2
    data = data.replace(f"<{last}>w</{last}>".encode(), f"<{last}></{last}>".encode())  # written empty
    staged = _stage(spec, landing, lake_root, [(data, 4)])
    assert (staged.rows_landed, staged.rows_quarantined) == (4, 0)
    staged.publish()
    raw = _raw(staged).sort("_row_number")
    assert raw[first].to_list() == [None, "x", None, "y"]
    assert raw[last].to_list() == ["z", None, None, None]  # an empty element is null too
    expected = rows.with_columns(pl.Series(last, ["z", None, None, None]))
    assert raw.select(spec.column_names).equals(expected.select(spec.column_names))


def test_xml_with_a_byte_order_mark_reads_like_without(landing: Path, lake_root: Path) -> None:
    data = render(good_rows(DN, 3), DN)
    plain = _raw(_published(_stage(DN, landing, lake_root, [(data, 3)])))
    bom = _stage(DN, landing / "bom", lake_root / "bom", [(b"\xef\xbb\xbf" + data, 3)])
    assert (bom.rows_landed, bom.rows_quarantined) == (3, 0)
    with_bom = _raw(_published(bom))
    assert with_bom.drop("_ingested_at", "_row_hash").equals(plain.drop("_ingested_at", "_row_hash"))
    assert with_bom["_row_hash"].to_list() == plain["_row_hash"].to_list()


def _published(staged):
    staged.publish()
    return staged
