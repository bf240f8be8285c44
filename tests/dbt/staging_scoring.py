"""Score the staging layer against the simulator's defect ledger and ground truth.

For every staging-level defect the ledger records (source, record_key, field, clean value, dirty value), look up
the staging row of that record and decide: *repaired* (the staging value equals the clean value), *flagged*
(a reason / review / precision flag says the value is not trustworthy), or *missed*. For every value without a
ledger entry, check the staging value equals the source value (no clean value altered).

Cross-source defects (dob_conflict, sex_conflict) and status defects (stale_status, deceased_active) belong to
the integration/core layers and are reported as out of scope.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

OUT_OF_SCOPE = {"dob_conflict", "sex_conflict", "stale_status", "deceased_active"}
# Defects staging cannot repair from the record alone (the true value is not in it): they must be flagged.
UNREPAIRABLE = {
    "upper_org_name",
    "no_diacritics",
    "date_year_only",
    "date_zero_dm",
    "date_default_0101",
    "cmnd_for_cccd",
    "mst_typo",
}

MODELS = {
    "dc_population": "stg_dc_population__persons",
    "ht_civil_status": "stg_ht_civil_status__events",
    "ct_residence": "stg_ct_residence__registrations",
    "dn_enterprise": "stg_dn_enterprise__enterprises",
    "th_tax": "stg_th_tax__taxpayers",
    "xh_social_insurance": "stg_xh_social_insurance__participants",
    "yb_health_insurance": "stg_yb_health_insurance__cards",
    "dd_land": "stg_dd_land__parcels",
    "xe_vehicle": "stg_xe_vehicle__vehicles",
    "lx_driving_licence": "stg_lx_driving_licence__licences",
    "gd_education": "stg_gd_education__learners",
    "yt_health": "stg_yt_health__vaccinations",
    "as_social_protection": "stg_as_social_protection__beneficiaries",
    "ld_labour": "stg_ld_labour__unemployment_claims",
    "ll_judicial_records": "stg_ll_judicial_records__records",
    "xc_passport": "stg_xc_passport__passports",
}

# kind -> (staging value expression, clean value expression, flag expression); s = staging row, l = ledger/raw value
KINDS = {
    "name": ("s.{col}", "nfc_normalize({v})", "s.full_name_is_unaccented"),
    "org_or_person_name": (
        "coalesce(s.full_name, s.enterprise_name)",
        "nfc_normalize({v})",
        "s.full_name_is_unaccented or s.enterprise_name_all_caps",
    ),
    "rep_name": ("s.rep_full_name", "nfc_normalize({v})", "false"),
    "parent_name": ("s.{col}", "nfc_normalize({v})", "false"),
    "owner_name": ("s.full_name", "nfc_normalize(split_part({v}, ', ', 1))", "s.full_name_is_unaccented"),
    "birth_date": ("cast(s.birth_date as varchar)", "{v}", "s.birth_date_precision = 'year'"),
    "date": ("cast(s.{col} as varchar)", "{v}", "false"),
    "phone": ("s.phone", "{v}", "s.phone_invalid_reason is not null"),
    "cccd": ("s.cccd", "{v}", "s.cccd_invalid_reason is not null"),
    "rep_cccd": ("s.rep_cccd", "{v}", "s.rep_cccd_invalid_reason is not null"),
    "mst": ("s.mst", "{v}", "s.mst_invalid_reason is not null"),
    "commune": ("s.commune_code", "{v}", "s.admin_needs_review"),
    "province": ("s.province_code", "{v}", "s.admin_needs_review"),
    # districts were abolished: a legacy district is repaired when the record is re-expressed in 2025 units
    "district": ("case when s.admin_code_was_legacy then 'converted' end", "'converted'", "s.admin_needs_review"),
}

FIELDS: dict[tuple[str, str], tuple[str, str | None]] = {}
for _src in MODELS:
    FIELDS[(_src, "ho_ten")] = ("name", "full_name")
    FIELDS[(_src, "ngay_sinh")] = ("birth_date", None)
    FIELDS[(_src, "so_dinh_danh")] = ("cccd", None)
    FIELDS[(_src, "ma_xa")] = ("commune", None)
    FIELDS[(_src, "ma_tinh")] = ("province", None)
    FIELDS[(_src, "ma_huyen")] = ("district", None)
    FIELDS[(_src, "so_dien_thoai")] = ("phone", None)
    FIELDS[(_src, "ho_ten_cha")] = ("parent_name", "father_name")
    FIELDS[(_src, "ho_ten_me")] = ("parent_name", "mother_name")
FIELDS.update(
    {
        ("dc_population", "ma_xa_thuong_tru"): ("commune", None),
        ("dc_population", "ma_tinh_thuong_tru"): ("province", None),
        ("dc_population", "ma_huyen_thuong_tru"): ("district", None),
        ("ht_civil_status", "ma_xa_dang_ky"): ("commune", None),
        ("ht_civil_status", "ma_tinh_dang_ky"): ("province", None),
        ("ht_civil_status", "ma_huyen_dang_ky"): ("district", None),
        ("ht_civil_status", "ho_ten_vo_chong"): ("parent_name", "spouse_name"),
        ("ht_civil_status", "ngay_dang_ky"): ("date", "registration_date"),
        ("dn_enterprise", "nguoi_dai_dien"): ("rep_name", None),
        ("dn_enterprise", "so_giay_to_dai_dien"): ("rep_cccd", None),
        ("th_tax", "ten_nguoi_nop_thue"): ("org_or_person_name", None),
        ("xh_social_insurance", "ma_don_vi"): ("mst", None),
        ("xh_social_insurance", "ngay_tham_gia"): ("date", "join_date"),
        ("dd_land", "ho_ten_chu_su_dung"): ("owner_name", None),
        ("dd_land", "ngay_sinh_chu"): ("birth_date", None),
        ("dd_land", "so_giay_to_chu"): ("cccd", None),
        ("dd_land", "ngay_cap_gcn"): ("date", "certificate_date"),
        ("xe_vehicle", "chu_xe"): ("org_or_person_name", None),
        ("xe_vehicle", "so_dinh_danh_chu_xe"): ("mst", None),
        ("gd_education", "so_dien_thoai_phu_huynh"): ("phone", None),
        ("ld_labour", "ma_don_vi_cu"): ("mst", None),
        ("ll_judicial_records", "ngay_tuyen_an"): ("date", "verdict_date"),
    }
)
# XE: a person owner's id field is a CCCD, an organisation's an MST; the ledger's mst_typo only hits MSTs.


@dataclass
class Row:
    defect_type: str
    count: int
    repaired: int
    flagged: int
    missed: int
    repairable: bool

    @property
    def repaired_pct(self) -> float:
        return 100.0 * self.repaired / self.count if self.count else 100.0

    @property
    def flagged_pct(self) -> float:
        return 100.0 * self.flagged / self.count if self.count else 100.0


def _exprs(kind: str, col: str | None, v: str) -> tuple[str, str, str]:
    s, c, f = KINDS[kind]
    return s.format(col=col), c.format(v=v), f


def score(con: duckdb.DuckDBPyConnection, truth_dir: Path) -> dict:
    """Per defect type: repaired / flagged / missed; plus per-field checks that clean values are unchanged."""
    con.sql(f"create or replace temp view ledger as select * from read_parquet('{truth_dir / 'defects.parquet'}')")
    # the latest ledger entry per record and field (a delta re-sends the dirty value it already holds)
    con.sql("""
        create or replace temp table ledger_latest as
        select * from ledger
        qualify row_number() over (partition by source, record_key, field order by batch_id desc) = 1
    """)
    per_row: list[str] = []
    clean_checks: list[dict] = []
    sources_present = {
        r[0]
        for r in con.sql("select table_name from information_schema.tables where table_schema = 'staging'").fetchall()
    }
    raw_present = {
        r[0] for r in con.sql("select table_name from information_schema.tables where table_schema = 'raw'").fetchall()
    }
    for (src, field), (kind, col) in FIELDS.items():
        model = MODELS[src]
        if model not in sources_present or src not in raw_present:
            continue
        raw_cols = {r[0] for r in con.sql(f"describe raw.{src}").fetchall()}
        stg_cols = {r[0] for r in con.sql(f"describe staging.{model}").fetchall()}
        if field not in raw_cols or (col and col not in stg_cols):
            continue
        s_dirty, c_clean, flag = _exprs(kind, col, "l.clean_value")
        if kind == "org_or_person_name" and "enterprise_name" not in stg_cols:
            continue
        # organisation names in capitals cannot be re-cased by rule (TNHH, brand names): flag-only
        dtype = (
            (
                "case when l.defect_type = 'upper' and s.enterprise_name is not null then 'upper_org_name' "
                "else l.defect_type end"
            )
            if kind == "org_or_person_name"
            else "l.defect_type"
        )
        # defects: the kept raw version must still hold the dirty value
        per_row.append(f"""
            select {dtype} as defect_type, l.source, l.field,
                   coalesce({s_dirty} = {c_clean}, {s_dirty} is null and l.clean_value is null) as repaired,
                   coalesce({flag}, false) as flagged
            from ledger_latest l
            join staging.{model} s on s.record_key = l.record_key
            join raw.{src} r on r._batch_id = s.source_batch_id and r._row_hash = s.source_row_hash
            where l.source = '{src}' and l.field = '{field}'
              and l.defect_type not in ({", ".join(f"'{d}'" for d in OUT_OF_SCOPE)})
              and r.{field} is not distinct from l.dirty_value
        """)
        # clean values: no ledger entry for this record and field -> staging equals the source value
        s_val, raw_as_clean, _ = _exprs(kind, col, f"r.{field}")
        if kind == "district":
            s_val, raw_as_clean = "s.district_code_legacy", f"r.{field}"
        is_xe_owner = (src, field) == ("xe_vehicle", "so_dinh_danh_chu_xe")
        xe_filter = "and s.owner_type = 'organisation'" if is_xe_owner else ""
        q = f"""
            select count(*) as n,
                   count(*) filter (where not coalesce({s_val} = {raw_as_clean}, false)) as altered
            from staging.{model} s
            join raw.{src} r on r._batch_id = s.source_batch_id and r._row_hash = s.source_row_hash
            where r.{field} is not null {xe_filter}
              and not exists (select 1 from ledger l where l.source = '{src}' and l.field = '{field}'
                                                       and l.record_key = s.record_key)
        """
        n, altered = con.sql(q).fetchall()[0]
        examples: list = []
        if altered:
            sample = f"""
                select s.record_key, {s_val} as staged, {raw_as_clean} as source
                from staging.{model} s
                join raw.{src} r on r._batch_id = s.source_batch_id and r._row_hash = s.source_row_hash
                where r.{field} is not null {xe_filter} and not coalesce({s_val} = {raw_as_clean}, false)
                limit 3
            """
            examples = con.sql(sample).fetchall()
        clean_checks.append(
            {
                "source": src,
                "field": field,
                "clean_values": n,
                "altered": altered,
                "examples": [list(map(str, e)) for e in examples],
            }
        )
    con.sql("create or replace temp table scored as " + " union all ".join(per_row))
    # duplicates: every duplicated record key appears exactly once in staging
    dup_parts = []
    for src, model in MODELS.items():
        if model in sources_present:
            dup_parts.append(f"""
                select 'duplicate' as defect_type, l.source, l.field,
                       (select count(*) from staging.{model} s where s.record_key = l.record_key) <= 1 as repaired,
                       false as flagged
                from ledger_latest l where l.source = '{src}' and l.defect_type = 'duplicate'
            """)
    con.sql("insert into scored " + " union all ".join(dup_parts))
    rows = [
        Row(d, n, rep, flg, n - ok, d not in UNREPAIRABLE)
        for d, n, rep, flg, ok in con.sql("""
            select defect_type, count(*), count(*) filter (where repaired),
                   count(*) filter (where flagged), count(*) filter (where repaired or flagged)
            from scored group by 1 order by 1
        """).fetchall()
    ]
    by_source = con.sql("""
        select source, defect_type, count(*) n, count(*) filter (where repaired) repaired,
               count(*) filter (where flagged and not repaired) flagged_only,
               count(*) filter (where not repaired and not flagged) missed
        from scored group by all having count(*) filter (where not repaired and not flagged) > 0 order by missed desc
    """).fetchall()
    out_of_scope = con.sql(f"""select defect_type, count(*) from ledger_latest
                              where defect_type in ({", ".join(f"'{d}'" for d in OUT_OF_SCOPE)}) group by 1
                              order by 1""").fetchall()
    return {
        "defects": [
            {**asdict(r), "repaired_pct": round(r.repaired_pct, 2), "flagged_pct": round(r.flagged_pct, 2)}
            for r in rows
        ],
        "misses_by_source": [list(x) for x in by_source],
        "clean_values": clean_checks,
        "clean_values_altered": sum(c["altered"] for c in clean_checks),
        "clean_values_checked": sum(c["clean_values"] for c in clean_checks),
        "out_of_scope": {d: n for d, n in out_of_scope},
    }


def table(result: dict) -> str:
    head = f"{'defect type':<20} {'count':>7} {'repaired %':>11} {'flagged %':>10} {'repaired|flagged %':>19}  target"
    lines = [head]
    for r in result["defects"]:
        target = "repair >= 99 %" if r["repairable"] else "flag 100 %"
        lines.append(
            f"{r['defect_type']:<20} {r['count']:>7} {r['repaired_pct']:>11.2f} {r['flagged_pct']:>10.2f} "
            f"{100.0 * (r['count'] - r['missed']) / max(r['count'], 1):>19.2f}  {target}"
        )
    lines.append(f"clean values checked: {result['clean_values_checked']}, altered: {result['clean_values_altered']}")
    lines.append(f"out of scope (integration/core): {result['out_of_scope']}")
    return "\n".join(lines)


def write(result: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, default=str))
