"""Export Vietnamese administrative-unit reference tables as dbt seeds.

Why a build-time script: `vietnamadminunits` pulls GPL dependencies (Unidecode) and a geocoder, so the
runtime (simulator, platform) must never import it. We read its bundled SQLite database and converter JSON
once, convert by table joins (no per-address calls), and commit small CSVs under
``dbt_project/seeds/admin/`` that the simulator and dbt both read.

Usage: ``.venv/bin/python scripts/export_admin_units.py [--out dbt_project/seeds/admin]``
"""

from __future__ import annotations

import argparse
import csv
import json
import sqlite3
from importlib import metadata
from pathlib import Path

import vietnamadminunits

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "dbt_project" / "seeds" / "admin"
PKG_DIR = Path(vietnamadminunits.__file__).parent


def _rows(conn: sqlite3.Connection, sql: str) -> list[tuple]:
    return list(conn.execute(sql).fetchall())


def _write(path: Path, header: list[str], rows: list[tuple]) -> int:
    """Write a UTF-8 CSV with LF line endings, sorted rows: deterministic bytes for git."""
    rows = sorted(rows, key=lambda r: tuple("" if v is None else str(v) for v in r))
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow(["" if v is None else v for v in r])
    return len(rows)


def export(out: Path) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(PKG_DIR / "data" / "dataset.db")
    conv = json.loads((PKG_DIR / "data" / "converter_2025.json").read_text(encoding="utf-8"))
    counts: dict[str, int] = {}

    # --- 2025 units -------------------------------------------------------------------------------
    prov25 = _rows(
        conn,
        "SELECT DISTINCT provinceCode, province, provinceShort, provinceKey FROM admin_units",
    )
    counts["admin_province_2025.csv"] = _write(
        out / "admin_province_2025.csv",
        ["province_code", "province_name", "province_short_name", "province_key"],
        prov25,
    )
    comm25 = _rows(
        conn,
        "SELECT wardCode, ward, wardShort, wardType, provinceCode, wardKey, wardLat, wardLon, wardAreaKm2 "
        "FROM admin_units",
    )
    counts["admin_commune_2025.csv"] = _write(
        out / "admin_commune_2025.csv",
        [
            "commune_code",
            "commune_name",
            "commune_short_name",
            "commune_type",
            "province_code",
            "commune_key",
            "lat",
            "lon",
            "area_km2",
        ],
        comm25,
    )

    # --- legacy units (63 / 696 / 10,035 wards) ---------------------------------------------------
    province_key_to_2025 = {k: code for code, _n, _s, k in prov25}
    legacy_prov_to_new_key = {old: new for new, olds in conv["DICT_PROVINCE"].items() for old in olds}
    provl = _rows(conn, "SELECT DISTINCT provinceCode, province, provinceShort, provinceKey FROM admin_units_legacy")
    counts["admin_province_legacy.csv"] = _write(
        out / "admin_province_legacy.csv",
        ["province_code", "province_name", "province_short_name", "province_key", "province_code_2025"],
        [(*r, province_key_to_2025[legacy_prov_to_new_key[r[3]]]) for r in provl],
    )
    distl = _rows(
        conn,
        "SELECT DISTINCT districtCode, district, districtShort, districtType, provinceCode, districtKey "
        "FROM admin_units_legacy",
    )
    counts["admin_district_legacy.csv"] = _write(
        out / "admin_district_legacy.csv",
        [
            "district_code",
            "district_name",
            "district_short_name",
            "district_type",
            "province_code",
            "district_key",
        ],
        distl,
    )
    wardl = _rows(
        conn,
        "SELECT wardCode, ward, wardShort, wardType, districtCode, provinceCode, provinceKey, districtKey, "
        "wardKey FROM admin_units_legacy WHERE wardCode IS NOT NULL",
    )
    counts["admin_ward_legacy.csv"] = _write(
        out / "admin_ward_legacy.csv",
        ["ward_code", "ward_name", "ward_short_name", "ward_type", "district_code", "province_code"],
        [r[:6] for r in wardl],
    )

    # --- legacy ward -> 2025 commune, by join on the package's composite keys -----------------------
    new_ward_code = {
        (pk, wk): code
        for code, _n, _s, _t, _p, wk, *_rest in comm25
        for pk in [next(k for c, _a, _b, k in prov25 if c == _p)]
    }
    undivided: dict[str, tuple[str, str]] = {}
    for new_pk, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wk, old_keys in wards.items():
            for ok in old_keys:
                undivided[ok] = (new_pk, new_wk)
    mapping: list[tuple] = []
    for wcode, _w, _ws, _wt, dcode, pcode, pk, dk, wk in wardl:
        old_key = f"{pk}_{dk}_{wk}"
        new_pk = legacy_prov_to_new_key[pk]
        if old_key in undivided:
            npk, nwk = undivided[old_key]
            mapping.append((wcode, dcode, pcode, new_ward_code[(npk, nwk)], province_key_to_2025[npk], 1, 0, 1.0))
            continue
        cands = conv["DICT_PROVINCE_WARD_DIVIDED"].get(new_pk, {}).get(old_key, [])
        if not cands:
            continue
        total = sum(float(c["newWardAreaKm2"] or 0) for c in cands) or float(len(cands))
        for c in cands:
            share = (float(c["newWardAreaKm2"] or 0) / total) if total else 1.0 / len(cands)
            mapping.append(
                (
                    wcode,
                    dcode,
                    pcode,
                    new_ward_code[(new_pk, c["newWardKey"])],
                    province_key_to_2025[new_pk],
                    int(bool(c["isDefaultNewWard"])),
                    1,
                    round(share, 3),
                )
            )
    counts["admin_ward_legacy_to_2025.csv"] = _write(
        out / "admin_ward_legacy_to_2025.csv",
        [
            "legacy_ward_code",
            "legacy_district_code",
            "legacy_province_code",
            "commune_code_2025",
            "province_code_2025",
            "is_default",
            "is_split",
            "confidence",
        ],
        mapping,
    )
    _write_provenance(out, counts)
    return counts


def _write_provenance(out: Path, counts: dict[str, int]) -> None:
    version = metadata.version("vietnamadminunits")
    lines = [
        "# Administrative-unit seeds: provenance",
        "",
        f"Source: PyPI package `vietnamadminunits` version {version} (MIT), its bundled",
        "`data/dataset.db` (tables `admin_units`, `admin_units_legacy`) and `data/converter_2025.json`.",
        "Generated by `scripts/export_admin_units.py` (build-time only; the runtime never imports the package).",
        "",
        "| file | rows |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in sorted(counts.items())],
        "",
        "Notes:",
        "- Legacy ward mapping: unsplit wards map 1:1 (`is_split=0`, `confidence=1.0`). A split ward has one row",
        "  per candidate 2025 commune; `is_default=1` marks the package's default, `confidence` is the candidate's",
        "  share of the candidates' total area (a proxy, flag split wards for review).",
        "- Five legacy island districts without wards (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo) have no",
        "  ward rows; they appear only in `admin_district_legacy.csv`.",
        "- Legacy ward codes are unique except where the package repeats a code; 10,035 distinct legacy wards.",
    ]
    (out / "PROVENANCE.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    for name, n in export(args.out).items():
        print(f"{name}: {n}")


if __name__ == "__main__":
    main()
