"""Every source the platform ingests, by name."""

from __future__ import annotations

from assets.sources.spec import OPERATION_COLUMN, UPDATED_AT_COLUMN, Column, SourceSpec


def _control_columns() -> tuple[Column, ...]:
    return (
        Column(UPDATED_AT_COLUMN, "timestamp", required=True, description="Last update in the source system"),
        Column(OPERATION_COLUMN, "code", required=True, description="I insert, U update, D delete"),
    )


DC_POPULATION = SourceSpec(
    name="dc_population",
    code="DC",
    name_vi="Cơ sở dữ liệu quốc gia về dân cư",
    name_en="National population database",
    owner="MPS",
    format="csv",
    delimiter=",",
    natural_key=("so_dinh_danh",),
    identifiers=("so_dinh_danh", "so_cmnd_cu", "so_dinh_danh_cha", "so_dinh_danh_me"),
    freshness_sla_hours=36,
    columns=(
        Column("so_dinh_danh", "string", required=True, description="Personal identification number (CCCD, 12 digits)"),
        Column("so_cmnd_cu", description="Old 9-digit identity card number (CMND)"),
        Column("ho_ten", description="Full name, surname first"),
        Column("ngay_sinh", "date", description="Date of birth"),
        Column("gioi_tinh", "code", description="Sex: Nam / Nữ"),
        Column("ma_tinh_khai_sinh", "code", description="Pre-2025 province code of birth registration"),
        Column("ma_tinh_thuong_tru", "code", description="Province of permanent residence"),
        Column("ma_huyen_thuong_tru", "code", description="District (legacy codes only; abolished 2025)"),
        Column("ma_xa_thuong_tru", "code", description="Commune/ward of permanent residence"),
        Column("dia_chi_chi_tiet", description="Street address"),
        Column("so_dien_thoai", description="Phone number"),
        Column("ma_ho_gia_dinh", description="Household id"),
        Column("quan_he_chu_ho", "code", description="Relation to head of household"),
        Column("so_dinh_danh_cha", description="Father's CCCD"),
        Column("ho_ten_cha", description="Father's full name"),
        Column("so_dinh_danh_me", description="Mother's CCCD"),
        Column("ho_ten_me", description="Mother's full name"),
        Column("tinh_trang", "code", description="Life status: con_song / da_mat"),
        Column("ngay_mat", "date", description="Date of death"),
        *_control_columns(),
    ),
    min_filled_share={"ho_ten": 0.98, "ngay_sinh": 0.98, "gioi_tinh": 0.98},
)

SOURCES: dict[str, SourceSpec] = {spec.name: spec for spec in (DC_POPULATION,)}


def get_source(name: str) -> SourceSpec:
    try:
        return SOURCES[name]
    except KeyError:
        raise KeyError(f"unknown source {name!r}; known: {', '.join(sorted(SOURCES))}") from None
