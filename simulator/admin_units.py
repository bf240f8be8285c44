"""Administrative-unit reference data, read from the committed dbt seeds.

Why seeds and not `vietnamadminunits`: the package drags GPL and geocoding dependencies; the export script
(`scripts/export_admin_units.py`) converts it once, and both the simulator and dbt read the same CSVs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl

SEED_DIR = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "admin"


@dataclass(frozen=True)
class AdminUnits:
    """Legacy wards joined to their default 2025 commune: one row per legacy ward (10,035)."""

    wards: pl.DataFrame  # ward_legacy, district_legacy, province_legacy, commune_2025, province_2025, ...
    provinces_legacy: pl.DataFrame
    communes_2025: pl.DataFrame


@lru_cache(maxsize=2)
def load(seed_dir: Path = SEED_DIR) -> AdminUnits:
    s = {"schema_overrides": None, "infer_schema": False}
    ward = pl.read_csv(seed_dir / "admin_ward_legacy.csv", **s)
    mapping = pl.read_csv(seed_dir / "admin_ward_legacy_to_2025.csv", **s).filter(pl.col("is_default") == "1")
    comm = pl.read_csv(seed_dir / "admin_commune_2025.csv", **s)
    prov_l = pl.read_csv(seed_dir / "admin_province_legacy.csv", **s)
    wards = (
        ward.join(
            mapping.select(pl.col("legacy_ward_code").alias("ward_code"), "commune_code_2025", "province_code_2025"),
            on="ward_code",
            how="inner",
        )
        .join(
            comm.select(
                pl.col("commune_code").alias("commune_code_2025"),
                pl.col("commune_name").alias("commune_name_2025"),
                pl.col("commune_type").alias("commune_type_2025"),
            ),
            on="commune_code_2025",
            how="left",
        )
        .unique(subset="ward_code", keep="first", maintain_order=True)
        .sort("ward_code")
        .rename(
            {
                "ward_code": "ward_legacy",
                "district_code": "district_legacy",
                "province_code": "province_legacy",
                "commune_code_2025": "commune_2025",
                "province_code_2025": "province_2025",
            }
        )
    )
    return AdminUnits(wards=wards, provinces_legacy=prov_l.sort("province_code"), communes_2025=comm)
