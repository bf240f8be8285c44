"""Every published product is k-anonymous, carries no identifier, and honours consent withdrawals."""

from __future__ import annotations

import json
import re

import duckdb
import polars as pl
import pytest

from assets.exchange.consent import append_consent_event
from assets.exchange.publish import (
    AnonymisationError,
    load_specs,
    publish_product,
    read_catalog,
)

PRODUCTS = ("population_by_ward_age_sex", "enterprises_by_sector_province", "vehicle_fleet_by_province_type")


def product_frame(world, product: str) -> tuple[pl.DataFrame, dict]:
    entry = read_catalog(world.exchange_root)[product]
    path = world.exchange_root / product / entry["version"] / "data.parquet"
    return pl.read_parquet(path), entry


def test_every_product_is_published_with_contract_and_catalog(world) -> None:
    catalog = read_catalog(world.exchange_root)
    assert set(catalog) == set(PRODUCTS)
    for product, entry in catalog.items():
        folder = world.exchange_root / product / entry["version"]
        assert sorted(p.name for p in folder.iterdir()) == ["catalog.json", "contract.yml", "data.parquet"]
        assert json.loads((folder / "catalog.json").read_text()) == entry
        for field in ("classification", "legal_basis", "purposes_allowed", "anonymisation", "retention_days"):
            assert entry[field], f"{product}: catalog entry lacks {field}"
        assert entry["anonymisation"]["k"] >= 10


@pytest.mark.parametrize("product", PRODUCTS)
def test_k_anonymity_holds(world, product: str) -> None:
    frame, entry = product_frame(world, product)
    k = entry["anonymisation"]["k"]
    quasi = entry["anonymisation"]["quasi_identifiers"]
    counts = frame.get_column(entry["anonymisation"]["count_column"])
    assert frame.height > 0
    assert counts.min() >= k >= 10
    assert not frame.select(quasi).is_duplicated().any(), "one row per quasi-identifier combination"


def test_small_cells_are_generalised_or_suppressed(world) -> None:
    frame, _ = product_frame(world, "population_by_ward_age_sex")
    # Province 79's 15 persons spread over 5 wards become one generalised residual; province 99's 3 vanish.
    assert frame.filter(pl.col("province_code") == "79").get_column("commune_code").unique().to_list() == ["other"]
    assert frame.filter(pl.col("province_code") == "99").height == 0


@pytest.mark.parametrize("product", PRODUCTS)
def test_no_cccd_phone_or_name_appears(world, product: str) -> None:
    frame, _ = product_frame(world, product)
    con = duckdb.connect(str(world.warehouse), read_only=True)
    secrets = set()
    for column in ("cccd", "cmnd", "phone", "full_name", "person_id"):
        secrets |= {v for (v,) in con.sql(f"select {column} from core_audit.person").fetchall()}
    for column in ("mst", "enterprise_name", "enterprise_id"):
        secrets |= {v for (v,) in con.sql(f"select {column} from core_audit.enterprise").fetchall()}
    for column in ("vin", "plate", "vehicle_id"):
        secrets |= {v for (v,) in con.sql(f"select {column} from core_audit.vehicle").fetchall()}
    con.close()
    assert not [c for c in frame.columns if re.search(r"cccd|cmnd|phone|name|person_id|^mst$|^vin$|^plate$", c)]
    values = {str(v) for column in frame.columns for v in frame.get_column(column).to_list()}
    assert not values & secrets
    assert not [v for v in values if re.fullmatch(r"\+?\d{9,13}", v)], "a value shaped like an identifier"


def test_an_unsafe_product_is_never_written(world, tmp_path) -> None:
    con = duckdb.connect(str(world.warehouse), read_only=True)
    spec = next(s for s in load_specs(con) if s.product == "enterprises_by_sector_province")
    con.close()
    small = pl.DataFrame({"province_code": ["01"], "sector": ["42"], "enterprises": [3], "generalised": [False]})
    with_id = small.with_columns(enterprises=pl.lit(50), mst=pl.lit("0100109106"))
    for frame in (small, with_id):
        with pytest.raises(AnonymisationError):
            publish_product(frame, spec, tmp_path, "contract")
    assert list(tmp_path.iterdir()) == []


def test_a_withdrawal_takes_effect_at_the_next_build(world) -> None:
    before_population, before_entry = product_frame(world, "population_by_ward_age_sex")
    before_vehicles, _ = product_frame(world, "vehicle_fleet_by_province_type")
    # P0 (cccd 001000000000) lives in a big cell and owns vehicle V0.
    append_consent_event(world.data_dir, "001000000000", "all")
    # Nothing changes until the next build.
    unchanged, entry = product_frame(world, "population_by_ward_age_sex")
    assert entry["version"] == before_entry["version"] and unchanged.equals(before_population)

    world.build()
    after_population, after_entry = product_frame(world, "population_by_ward_age_sex")
    after_vehicles, _ = product_frame(world, "vehicle_fleet_by_province_type")
    assert after_entry["version"] != before_entry["version"]
    assert after_population["persons"].sum() == before_population["persons"].sum() - 1
    assert after_vehicles["owners"].sum() == before_vehicles["owners"].sum() - 1
    # The old version stays on disk (consumers can audit what they received), the catalog points to the new one.
    assert (world.exchange_root / "population_by_ward_age_sex" / before_entry["version"]).is_dir()
    # Enterprises are not personal data: unaffected, same version (content hash unchanged).
    assert read_catalog(world.exchange_root)["enterprises_by_sector_province"]["rows"] > 0
