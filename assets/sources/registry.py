"""Every source the platform ingests, by name: the 16 national and specialised databases.

Columns are declared compactly as ``"name:type ..."`` (type defaults to ``string``); their
descriptions come from :mod:`assets.sources.columns`, so a column shared by many sources is
described once. Required = natural key + the control columns every extract carries.
``tests/ingestion/test_specs_match_simulator.py`` checks these specs against the simulator's
catalogue (names, order, types, formats, encodings, delimiters, natural keys).
"""

from __future__ import annotations

from assets.sources.columns import describe
from assets.sources.spec import OPERATION_COLUMN, UPDATED_AT_COLUMN, Column, SourceSpec

DAILY_SLA_HOURS = 36
WEEKLY_SLA_HOURS = 8 * 24
GROUPS = ("identity", "civil", "economic", "sectoral")
# Person sources must carry a name for almost every row; staging measures the rest.
_NAMED = {"ho_ten": 0.95}


def _columns(declaration: str, natural_key: tuple[str, ...]) -> tuple[Column, ...]:
    cols = []
    for token in declaration.split():
        name, _, logical = token.partition(":")
        cols.append(Column(name, logical or "string", required=name in natural_key, description=describe(name)))  # type: ignore[arg-type]
    cols.append(Column(UPDATED_AT_COLUMN, "timestamp", required=True, description=describe(UPDATED_AT_COLUMN)))
    cols.append(Column(OPERATION_COLUMN, "code", required=True, description=describe(OPERATION_COLUMN)))
    return tuple(cols)


def _source(
    name: str,
    code: str,
    name_vi: str,
    name_en: str,
    owner: str,
    fmt: str,
    encoding: str,
    delimiter: str | None,
    cadence: str,
    columns: str,
    natural_key: tuple[str, ...],
    identifiers: tuple[str, ...],
    group: str,
    lag_days: int = 0,
    min_filled_share: dict[str, float] | None = None,
) -> SourceSpec:
    base = DAILY_SLA_HOURS if cadence == "daily" else WEEKLY_SLA_HOURS
    return SourceSpec(
        name=name,
        code=code,
        name_vi=name_vi,
        name_en=name_en,
        owner=owner,
        format=fmt,  # type: ignore[arg-type]
        encoding=encoding,
        delimiter=delimiter,
        columns=_columns(columns, natural_key),
        natural_key=natural_key,
        identifiers=identifiers,
        freshness_sla_hours=base + 24 * lag_days,
        cadence=cadence,  # type: ignore[arg-type]
        lag_days=lag_days,
        group=group,
        min_filled_share=dict(min_filled_share or {}),
    )


_SPECS = (
    _source(
        "dc_population",
        "DC",
        "Cơ sở dữ liệu quốc gia về dân cư",
        "National population database",
        "MPS",
        "csv",
        "utf-8",
        ",",
        "daily",
        "so_dinh_danh so_cmnd_cu ho_ten ngay_sinh:date gioi_tinh:code ma_tinh_khai_sinh:code "
        "ma_tinh_thuong_tru:code ma_huyen_thuong_tru:code ma_xa_thuong_tru:code dia_chi_chi_tiet "
        "so_dien_thoai ma_ho_gia_dinh quan_he_chu_ho so_dinh_danh_cha ho_ten_cha so_dinh_danh_me "
        "ho_ten_me tinh_trang:code ngay_mat:date",
        ("so_dinh_danh",),
        ("so_dinh_danh", "so_cmnd_cu", "so_dinh_danh_cha", "so_dinh_danh_me"),
        "identity",
        min_filled_share={"ho_ten": 0.98, "ngay_sinh": 0.98, "gioi_tinh": 0.98},
    ),
    _source(
        "ht_civil_status",
        "HT",
        "Cơ sở dữ liệu hộ tịch điện tử",
        "Civil status registry (births, deaths, marriages)",
        "MOJ",
        "csv",
        "cp1258",
        ";",
        "daily",
        "loai_su_kien:code ma_xa_dang_ky:code so_dang_ky quyen_so ngay_dang_ky:date ho_ten gioi_tinh:code "
        "ngay_sinh:date so_dinh_danh ngay_su_kien:date ho_ten_cha ho_ten_me ho_ten_vo_chong "
        "so_dinh_danh_vo_chong ma_tinh_dang_ky:code ma_huyen_dang_ky:code",
        ("loai_su_kien", "ma_xa_dang_ky", "so_dang_ky"),
        ("so_dinh_danh", "so_dinh_danh_vo_chong"),
        "civil",
        min_filled_share=_NAMED,
    ),
    _source(
        "ct_residence",
        "CT",
        "Cơ sở dữ liệu về cư trú",
        "Residence registry",
        "MPS",
        "jsonl",
        "utf-8",
        None,
        "daily",
        "so_dinh_danh ma_ho_gia_dinh loai_cu_tru:code ngay_dang_ky:date ngay_het_han:date ma_tinh:code "
        "ma_huyen:code ma_xa:code dia_chi ho_ten ngay_sinh:date gioi_tinh:code quan_he_chu_ho trang_thai:code",
        ("so_dinh_danh", "loai_cu_tru", "ngay_dang_ky"),
        ("so_dinh_danh", "ma_ho_gia_dinh"),
        "identity",
        min_filled_share=_NAMED,
    ),
    _source(
        "dn_enterprise",
        "DN",
        "Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp",
        "Enterprise registration",
        "MOF",
        "xml",
        "utf-8",
        None,
        "daily",
        "ma_so_doanh_nghiep ten_doanh_nghiep loai_hinh:code ngay_thanh_lap:date ma_tinh:code ma_huyen:code "
        "ma_xa:code dia_chi_tru_so nguoi_dai_dien so_giay_to_dai_dien loai_giay_to:code so_dien_thoai "
        "von_dieu_le:int nganh_nghe_chinh:code trang_thai:code",
        ("ma_so_doanh_nghiep",),
        ("ma_so_doanh_nghiep", "so_giay_to_dai_dien"),
        "economic",
    ),
    _source(
        "th_tax",
        "TH",
        "Cơ sở dữ liệu đăng ký thuế",
        "Tax registration",
        "MOF (GDT)",
        "parquet",
        "utf-8",
        None,
        "daily",
        "mst loai_nnt:code ten_nguoi_nop_thue so_dinh_danh ngay_sinh:date ma_tinh:code ma_xa:code dia_chi "
        "ma_co_quan_thue:code ngay_cap_mst:date trang_thai_mst:code",
        ("mst",),
        ("mst", "so_dinh_danh"),
        "economic",
    ),
    _source(
        "xh_social_insurance",
        "XH",
        "Cơ sở dữ liệu quốc gia về bảo hiểm (BHXH)",
        "Social insurance",
        "VSS",
        "csv",
        "utf-8-sig",
        ";",
        "daily",
        "ma_so_bhxh so_dinh_danh ho_ten ngay_sinh:date gioi_tinh:code ma_don_vi ten_don_vi "
        "muc_luong_dong:int ngay_tham_gia:date trang_thai:code ma_tinh:code ma_xa:code",
        ("ma_so_bhxh",),
        ("ma_so_bhxh", "so_dinh_danh", "ma_don_vi"),
        "economic",
        lag_days=2,
        min_filled_share=_NAMED,
    ),
    _source(
        "yb_health_insurance",
        "YB",
        "Cơ sở dữ liệu thẻ bảo hiểm y tế",
        "Health-insurance cards",
        "VSS",
        "parquet",
        "utf-8",
        None,
        "daily",
        "ma_the_bhyt ma_so_bhxh so_dinh_danh ho_ten ngay_sinh:date gioi_tinh:code ma_noi_dkkcb:code "
        "gia_tri_tu:date gia_tri_den:date ma_tinh:code ma_xa:code trang_thai:code",
        ("ma_the_bhyt",),
        ("ma_the_bhyt", "ma_so_bhxh", "so_dinh_danh"),
        "sectoral",
        min_filled_share=_NAMED,
    ),
    _source(
        "dd_land",
        "DD",
        "Cơ sở dữ liệu quốc gia về đất đai",
        "Land parcels",
        "MAE",
        "csv",
        "utf-8-sig",
        ",",
        "weekly",
        "ma_tinh:code ma_huyen:code ma_xa:code so_to_ban_do so_thua dien_tich:decimal muc_dich_su_dung:code "
        "ho_ten_chu_su_dung so_giay_to_chu loai_giay_to:code ngay_sinh_chu:date dia_chi_thua_dat "
        "so_giay_chung_nhan ngay_cap_gcn:date",
        ("ma_xa", "so_to_ban_do", "so_thua"),
        ("so_giay_to_chu",),
        "sectoral",
    ),
    _source(
        "xe_vehicle",
        "XE",
        "Cơ sở dữ liệu đăng ký phương tiện",
        "Vehicle registration",
        "MPS",
        "jsonl",
        "utf-8",
        None,
        "daily",
        "so_khung bien_so loai_xe:code nhan_hieu mau_son nam_san_xuat:int chu_xe loai_chu_xe:code "
        "so_dinh_danh_chu_xe dia_chi_chu_xe ma_tinh:code ma_xa:code ngay_dang_ky:date trang_thai:code",
        ("so_khung", "bien_so"),
        ("so_dinh_danh_chu_xe", "bien_so"),
        "sectoral",
    ),
    _source(
        "lx_driving_licence",
        "LX",
        "Cơ sở dữ liệu giấy phép lái xe",
        "Driving licences",
        "MPS",
        "csv",
        "utf-8",
        ",",
        "daily",
        "so_gplx so_dinh_danh ho_ten ngay_sinh:date gioi_tinh:code hang_gplx:code ngay_cap:date "
        "ngay_het_han:date noi_cap:code trang_thai:code",
        ("so_gplx",),
        ("so_dinh_danh",),
        "sectoral",
        min_filled_share=_NAMED,
    ),
    _source(
        "gd_education",
        "GD",
        "Cơ sở dữ liệu ngành giáo dục",
        "Education (learners)",
        "MOET",
        "parquet",
        "utf-8",
        None,
        "weekly",
        "ma_hoc_sinh so_dinh_danh ho_ten ngay_sinh:date gioi_tinh:code ma_truong:code cap_hoc:code lop "
        "nam_hoc ma_tinh:code ma_xa:code ho_ten_phu_huynh so_dien_thoai_phu_huynh trang_thai:code",
        ("ma_hoc_sinh",),
        ("so_dinh_danh",),
        "sectoral",
        min_filled_share=_NAMED,
    ),
    _source(
        "yt_health",
        "YT",
        "Cơ sở dữ liệu tiêm chủng",
        "Health (vaccinations)",
        "MOH",
        "jsonl",
        "utf-8",
        None,
        "daily",
        "ma_vac_xin:code mui_so:int ngay_tiem:date so_dinh_danh ma_so_bhxh ho_ten ngay_sinh:date "
        "gioi_tinh:code so_dien_thoai ma_co_so_tiem:code ma_tinh:code ma_xa:code",
        ("ma_vac_xin", "mui_so", "ngay_tiem", "so_dinh_danh"),
        ("so_dinh_danh", "ma_so_bhxh", "so_dien_thoai"),
        "sectoral",
    ),
    _source(
        "as_social_protection",
        "AS",
        "Cơ sở dữ liệu an sinh xã hội",
        "Social protection & merit beneficiaries",
        "MOHA",
        "csv",
        "cp1258",
        ";",
        "weekly",
        "ma_doi_tuong so_dinh_danh ho_ten ngay_sinh:date gioi_tinh:code loai_doi_tuong:code "
        "muc_tro_cap:int ngay_huong:date ma_tinh:code ma_xa:code dia_chi trang_thai:code",
        ("ma_doi_tuong",),
        ("so_dinh_danh",),
        "sectoral",
        min_filled_share=_NAMED,
    ),
    _source(
        "ld_labour",
        "LD",
        "Cơ sở dữ liệu lao động và bảo hiểm thất nghiệp",
        "Labour & unemployment benefit",
        "MOHA",
        "xml",
        "utf-8",
        None,
        "weekly",
        "ma_ho_so so_dinh_danh ma_so_bhxh ho_ten ngay_sinh:date gioi_tinh:code ma_don_vi_cu "
        "ngay_nghi_viec:date ngay_nop_ho_so:date muc_huong:int so_thang_huong:int trang_thai:code "
        "ma_tinh:code ma_xa:code so_dien_thoai",
        ("ma_ho_so",),
        ("so_dinh_danh", "ma_so_bhxh", "ma_don_vi_cu"),
        "economic",
        min_filled_share=_NAMED,
    ),
    _source(
        "ll_judicial_records",
        "LL",
        "Cơ sở dữ liệu lý lịch tư pháp",
        "Judicial records",
        "MOJ",
        "csv",
        "utf-8-sig",
        ";",
        "weekly",
        "ma_ly_lich so_dinh_danh ho_ten ngay_sinh:date gioi_tinh:code noi_sinh:code ho_ten_cha ho_ten_me "
        "toi_danh ngay_tuyen_an:date muc_an tinh_trang_xoa_an:code",
        ("ma_ly_lich",),
        ("so_dinh_danh",),
        "civil",
        min_filled_share=_NAMED,
    ),
    _source(
        "xc_passport",
        "XC",
        "Cơ sở dữ liệu xuất nhập cảnh",
        "Passports / immigration",
        "MPS",
        "parquet",
        "utf-8",
        None,
        "weekly",
        "so_ho_chieu so_dinh_danh ho_ten ho_ten_mrz ngay_sinh:date gioi_tinh:code noi_sinh:code "
        "ngay_cap:date ngay_het_han:date co_quan_cap:code trang_thai:code",
        ("so_ho_chieu",),
        ("so_ho_chieu", "so_dinh_danh"),
        "identity",
        min_filled_share=_NAMED,
    ),
)

SOURCES: dict[str, SourceSpec] = {spec.name: spec for spec in _SPECS}


def get_source(name: str) -> SourceSpec:
    try:
        return SOURCES[name]
    except KeyError:
        raise KeyError(f"unknown source {name!r}; known: {', '.join(sorted(SOURCES))}") from None


def sources_in_group(group: str) -> list[str]:
    if group not in GROUPS:
        raise ValueError(f"unknown group {group!r}; known: {', '.join(GROUPS)}")
    return [name for name, spec in SOURCES.items() if spec.group == group]
