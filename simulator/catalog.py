"""The source catalogue: what each simulated national database looks like on the wire.

Why a catalogue in code: the platform keeps its own ingestion spec and a test compares it with this one, so
column names, order, logical types, formats and natural keys have exactly one definition on the simulator side.
All values land as strings; `type` is the *logical* type the platform should parse them to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TOTAL_RECORDS_AT_SCALE_1 = 157_000_000


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # string | date | datetime | int | decimal | code


@dataclass(frozen=True)
class SourceSpec:
    name: str
    code: str
    name_vi: str
    name_en: str
    owner: str
    format: str  # csv | jsonl | parquet | xml
    encoding: str  # utf-8 | utf-8-sig | cp1258
    delimiter: str | None
    cadence: str  # daily | weekly
    lag_days: int  # data delivered this many days after the events (the habitually late source > 0)
    share: float  # share of the 157 M records
    columns: tuple[Column, ...]
    natural_key: tuple[str, ...]
    identifiers: tuple[str, ...]
    entity_type: str = "person"  # person | enterprise | mixed
    notes: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def rows_at(self, scale: float) -> int:
        return max(1, round(TOTAL_RECORDS_AT_SCALE_1 * scale * self.share))

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "code": self.code,
            "name_vi": self.name_vi,
            "name_en": self.name_en,
            "owner": self.owner,
            "format": self.format,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "cadence": self.cadence,
            "lag_days": self.lag_days,
            "share": self.share,
            "columns": [{"name": c.name, "type": c.type} for c in self.columns],
            "natural_key": list(self.natural_key),
            "identifiers": list(self.identifiers),
            "entity_type": self.entity_type,
        }


def _cols(spec: str) -> tuple[Column, ...]:
    """'name:type name:type ...' -> columns; every source ends with ngay_cap_nhat, thao_tac."""
    out = []
    for tok in spec.split():
        n, _, t = tok.partition(":")
        out.append(Column(n, t or "string"))
    out += [Column("ngay_cap_nhat", "datetime"), Column("thao_tac", "code")]
    return tuple(out)


SOURCES: dict[str, SourceSpec] = {}


def _add(s: SourceSpec) -> None:
    SOURCES[s.name] = s


_add(
    SourceSpec(
        "dc_population",
        "DC",
        "Cơ sở dữ liệu quốc gia về dân cư",
        "National population database",
        "MPS",
        "csv",
        "utf-8",
        ",",
        "daily",
        0,
        0.14,
        _cols(
            "so_dinh_danh so_cmnd_cu ho_ten ngay_sinh:date gioi_tinh:code ma_tinh_khai_sinh:code "
            "ma_tinh_thuong_tru:code ma_huyen_thuong_tru:code ma_xa_thuong_tru:code dia_chi_chi_tiet "
            "so_dien_thoai ma_ho_gia_dinh quan_he_chu_ho so_dinh_danh_cha ho_ten_cha so_dinh_danh_me "
            "ho_ten_me tinh_trang:code ngay_mat:date"
        ),
        ("so_dinh_danh",),
        ("cccd", "cmnd", "parent_cccd"),
    )
)
_add(
    SourceSpec(
        "ht_civil_status",
        "HT",
        "Cơ sở dữ liệu hộ tịch điện tử",
        "Civil status registry (births, deaths, marriages)",
        "MOJ",
        "csv",
        "cp1258",
        ";",
        "daily",
        0,
        0.09,
        _cols(
            "loai_su_kien:code ma_xa_dang_ky:code so_dang_ky quyen_so ngay_dang_ky:date ho_ten gioi_tinh:code "
            "ngay_sinh:date so_dinh_danh ngay_su_kien:date ho_ten_cha ho_ten_me ho_ten_vo_chong "
            "so_dinh_danh_vo_chong ma_tinh_dang_ky:code ma_huyen_dang_ky:code"
        ),
        ("loai_su_kien", "ma_xa_dang_ky", "so_dang_ky"),
        ("cccd",),
        notes="event subject is the child (khai_sinh), the deceased (khai_tu) or the husband (ket_hon)",
    )
)
_add(
    SourceSpec(
        "ct_residence",
        "CT",
        "Cơ sở dữ liệu về cư trú",
        "Residence registry",
        "MPS",
        "jsonl",
        "utf-8",
        None,
        "daily",
        0,
        0.09,
        _cols(
            "so_dinh_danh ma_ho_gia_dinh loai_cu_tru:code ngay_dang_ky:date ngay_het_han:date ma_tinh:code "
            "ma_huyen:code ma_xa:code dia_chi ho_ten ngay_sinh:date gioi_tinh:code quan_he_chu_ho "
            "trang_thai:code"
        ),
        ("so_dinh_danh", "loai_cu_tru", "ngay_dang_ky"),
        ("cccd", "household_id"),
    )
)
_add(
    SourceSpec(
        "dn_enterprise",
        "DN",
        "Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp",
        "Enterprise registration",
        "MOF",
        "xml",
        "utf-8",
        None,
        "daily",
        0,
        0.015,
        _cols(
            "ma_so_doanh_nghiep ten_doanh_nghiep loai_hinh:code ngay_thanh_lap:date ma_tinh:code ma_huyen:code "
            "ma_xa:code dia_chi_tru_so nguoi_dai_dien so_giay_to_dai_dien loai_giay_to:code so_dien_thoai "
            "von_dieu_le:int nganh_nghe_chinh:code trang_thai:code"
        ),
        ("ma_so_doanh_nghiep",),
        ("mst", "cccd", "cmnd"),
        entity_type="enterprise",
    )
)
_add(
    SourceSpec(
        "th_tax",
        "TH",
        "Cơ sở dữ liệu đăng ký thuế",
        "Tax registration",
        "MOF (GDT)",
        "parquet",
        "utf-8",
        None,
        "daily",
        0,
        0.07,
        _cols(
            "mst loai_nnt:code ten_nguoi_nop_thue so_dinh_danh ngay_sinh:date ma_tinh:code ma_xa:code dia_chi "
            "ma_co_quan_thue:code ngay_cap_mst:date trang_thai_mst:code"
        ),
        ("mst",),
        ("mst", "cccd", "cmnd"),
        entity_type="mixed",
    )
)
_add(
    SourceSpec(
        "xh_social_insurance",
        "XH",
        "Cơ sở dữ liệu quốc gia về bảo hiểm (BHXH)",
        "Social insurance",
        "VSS",
        "csv",
        "utf-8-sig",
        ";",
        "daily",
        2,
        0.08,
        _cols(
            "ma_so_bhxh so_dinh_danh ho_ten ngay_sinh:date gioi_tinh:code ma_don_vi ten_don_vi "
            "muc_luong_dong:int ngay_tham_gia:date trang_thai:code ma_tinh:code ma_xa:code"
        ),
        ("ma_so_bhxh",),
        ("bhxh", "cccd", "mst"),
        notes="habitually late: each batch carries events up to 2 days before its extract date",
    )
)
_add(
    SourceSpec(
        "yb_health_insurance",
        "YB",
        "Cơ sở dữ liệu thẻ bảo hiểm y tế",
        "Health-insurance cards",
        "VSS",
        "parquet",
        "utf-8",
        None,
        "daily",
        0,
        0.09,
        _cols(
            "ma_the_bhyt ma_so_bhxh so_dinh_danh ho_ten ngay_sinh:date gioi_tinh:code ma_noi_dkkcb:code "
            "gia_tri_tu:date gia_tri_den:date ma_tinh:code ma_xa:code trang_thai:code"
        ),
        ("ma_the_bhyt",),
        ("health_card", "bhxh", "cccd"),
    )
)
_add(
    SourceSpec(
        "dd_land",
        "DD",
        "Cơ sở dữ liệu quốc gia về đất đai",
        "Land parcels",
        "MAE",
        "csv",
        "utf-8-sig",
        ",",
        "weekly",
        0,
        0.10,
        _cols(
            "ma_tinh:code ma_huyen:code ma_xa:code so_to_ban_do so_thua dien_tich:decimal muc_dich_su_dung:code "
            "ho_ten_chu_su_dung so_giay_to_chu loai_giay_to:code ngay_sinh_chu:date dia_chi_thua_dat "
            "so_giay_chung_nhan ngay_cap_gcn:date"
        ),
        ("ma_xa", "so_to_ban_do", "so_thua"),
        ("cccd", "cmnd"),
    )
)
_add(
    SourceSpec(
        "xe_vehicle",
        "XE",
        "Cơ sở dữ liệu đăng ký phương tiện",
        "Vehicle registration",
        "MPS",
        "jsonl",
        "utf-8",
        None,
        "daily",
        0,
        0.07,
        _cols(
            "so_khung bien_so loai_xe:code nhan_hieu mau_son nam_san_xuat:int chu_xe loai_chu_xe:code "
            "so_dinh_danh_chu_xe dia_chi_chu_xe ma_tinh:code ma_xa:code ngay_dang_ky:date trang_thai:code"
        ),
        ("so_khung", "bien_so"),
        ("cccd", "mst", "plate"),
        entity_type="mixed",
    )
)
_add(
    SourceSpec(
        "lx_driving_licence",
        "LX",
        "Cơ sở dữ liệu giấy phép lái xe",
        "Driving licences",
        "MPS",
        "csv",
        "utf-8",
        ",",
        "daily",
        0,
        0.05,
        _cols(
            "so_gplx so_dinh_danh ho_ten ngay_sinh:date gioi_tinh:code hang_gplx:code ngay_cap:date "
            "ngay_het_han:date noi_cap:code trang_thai:code"
        ),
        ("so_gplx",),
        ("cccd",),
    )
)
_add(
    SourceSpec(
        "gd_education",
        "GD",
        "Cơ sở dữ liệu ngành giáo dục",
        "Education (learners)",
        "MOET",
        "parquet",
        "utf-8",
        None,
        "weekly",
        0,
        0.07,
        _cols(
            "ma_hoc_sinh so_dinh_danh ho_ten ngay_sinh:date gioi_tinh:code ma_truong:code cap_hoc:code lop "
            "nam_hoc ma_tinh:code ma_xa:code ho_ten_phu_huynh so_dien_thoai_phu_huynh trang_thai:code"
        ),
        ("ma_hoc_sinh",),
        ("cccd",),
    )
)
_add(
    SourceSpec(
        "yt_health",
        "YT",
        "Cơ sở dữ liệu tiêm chủng",
        "Health (vaccinations)",
        "MOH",
        "jsonl",
        "utf-8",
        None,
        "daily",
        0,
        0.07,
        _cols(
            "ma_vac_xin:code mui_so:int ngay_tiem:date so_dinh_danh ma_so_bhxh ho_ten ngay_sinh:date "
            "gioi_tinh:code so_dien_thoai ma_co_so_tiem:code ma_tinh:code ma_xa:code"
        ),
        ("ma_vac_xin", "mui_so", "ngay_tiem", "so_dinh_danh"),
        ("cccd", "bhxh", "phone"),
    )
)
_add(
    SourceSpec(
        "as_social_protection",
        "AS",
        "Cơ sở dữ liệu an sinh xã hội",
        "Social protection & merit beneficiaries",
        "MOHA",
        "csv",
        "cp1258",
        ";",
        "weekly",
        0,
        0.015,
        _cols(
            "ma_doi_tuong so_dinh_danh ho_ten ngay_sinh:date gioi_tinh:code loai_doi_tuong:code "
            "muc_tro_cap:int ngay_huong:date ma_tinh:code ma_xa:code dia_chi trang_thai:code"
        ),
        ("ma_doi_tuong",),
        ("cccd",),
    )
)
_add(
    SourceSpec(
        "ld_labour",
        "LD",
        "Cơ sở dữ liệu lao động và bảo hiểm thất nghiệp",
        "Labour & unemployment benefit",
        "MOHA",
        "xml",
        "utf-8",
        None,
        "weekly",
        0,
        0.02,
        _cols(
            "ma_ho_so so_dinh_danh ma_so_bhxh ho_ten ngay_sinh:date gioi_tinh:code ma_don_vi_cu "
            "ngay_nghi_viec:date ngay_nop_ho_so:date muc_huong:int so_thang_huong:int trang_thai:code "
            "ma_tinh:code ma_xa:code so_dien_thoai"
        ),
        ("ma_ho_so",),
        ("cccd", "bhxh", "mst"),
    )
)
_add(
    SourceSpec(
        "ll_judicial_records",
        "LL",
        "Cơ sở dữ liệu lý lịch tư pháp",
        "Judicial records",
        "MOJ",
        "csv",
        "utf-8-sig",
        ";",
        "weekly",
        0,
        0.01,
        _cols(
            "ma_ly_lich so_dinh_danh ho_ten ngay_sinh:date gioi_tinh:code noi_sinh:code ho_ten_cha ho_ten_me "
            "toi_danh ngay_tuyen_an:date muc_an tinh_trang_xoa_an:code"
        ),
        ("ma_ly_lich",),
        ("cccd", "cmnd"),
    )
)
_add(
    SourceSpec(
        "xc_passport",
        "XC",
        "Cơ sở dữ liệu xuất nhập cảnh",
        "Passports / immigration",
        "MPS",
        "parquet",
        "utf-8",
        None,
        "weekly",
        0,
        0.02,
        _cols(
            "so_ho_chieu so_dinh_danh ho_ten ho_ten_mrz ngay_sinh:date gioi_tinh:code noi_sinh:code "
            "ngay_cap:date ngay_het_han:date co_quan_cap:code trang_thai:code"
        ),
        ("so_ho_chieu",),
        ("cccd",),
    )
)

SOURCE_NAMES: tuple[str, ...] = tuple(SOURCES)
assert abs(sum(s.share for s in SOURCES.values()) - 1.0) < 1e-9


def get(name: str) -> SourceSpec:
    try:
        return SOURCES[name]
    except KeyError:
        raise ValueError(f"unknown source {name!r}; known: {', '.join(SOURCE_NAMES)}") from None
