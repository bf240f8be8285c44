"""A small warehouse with synthetic persons, enterprises and vehicles; the real exchange models and
publisher run on it. Persons carry CCCD, phone and name so the tests can prove none leaks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from assets.exchange.consent import build_consent_register
from assets.exchange.publish import load_specs, publish_product
from orchestration.environment import CONTRACTS_DIR
from tests.services.dbt_runner import run_dbt

EXCHANGE_MODELS = (
    "exchange_products",
    "exchange_population_by_ward_age_sex",
    "exchange_enterprises_by_sector_province",
    "exchange_vehicle_fleet_by_province_type",
)


def build_warehouse(path: Path) -> None:
    """1,000 persons in big cells, 15 spread thinly (generalised), 3 alone in a province (suppressed)."""
    con = duckdb.connect(str(path))
    con.execute("create schema core_audit")
    con.execute(
        """
        create table core_audit.person as
        select
            'P' || i as person_id,
            '0010' || lpad(cast(i as varchar), 8, '0') as cccd,
            lpad(cast(100000000 + i as varchar), 9, '0') as cmnd,
            'Nguyễn Thị Mẫu ' || i as full_name,
            '09' || lpad(cast(i as varchar), 8, '0') as phone,
            case when i < 1000 then '01' when i < 1015 then '79' else '99' end as residence_province_code,
            case
                when i < 1000 then case i % 3 when 0 then '00004' when 1 then '00007' else '00010' end
                when i < 1015 then '2673' || cast(i % 5 as varchar)
                else '99999'
            end as residence_commune_code,
            case when i % 2 = 0 or i >= 1000 then date '1982-03-01' else date '2003-07-01' end
                + cast(i % 300 as integer) as birth_date,
            case when (i // 2) % 2 = 0 and i < 1000 then 'M' else 'F' end as sex,
            'living' as life_status
        from range(1018) as t(i)
        """
    )
    con.execute(
        """
        create table core_audit.enterprise as
        select
            'E' || i as enterprise_id,
            lpad(cast(i as varchar), 10, '0') as mst,
            'Công ty TNHH Mẫu ' || i as enterprise_name,
            'active' as status,
            case when i < 290 then '01' else '79' end as province_code,
            case when i < 200 then '4290' when i < 280 then '1071' else '8559' end as industry_code
        from range(300) as t(i)
        """
    )
    con.execute(
        """
        create table core_audit.vehicle as
        select
            'V' || i as vehicle_id,
            'VIN' || i as vin,
            '29A-' || lpad(cast(i as varchar), 5, '0') as plate,
            case when i % 4 = 0 then 'car' else 'motorbike' end as vehicle_type,
            'individual' as owner_type,
            'P' || i as owner_person_id,
            cast(null as varchar) as owner_enterprise_id,
            'active' as status,
            '01' as province_code
        from range(400) as t(i)
        """
    )
    con.close()


@dataclass
class ExchangeWorld:
    tmp: Path
    warehouse: Path
    data_dir: Path

    @property
    def exchange_root(self) -> Path:
        return self.data_dir / "exchange"

    def build(self) -> dict[str, object]:
        """What a pipeline build does for the exchange: consent register, exchange marts, publish."""
        con = duckdb.connect(str(self.warehouse))
        build_consent_register(con, self.data_dir, person_table="core_audit.person")
        con.close()
        run_dbt(
            self.tmp,
            self.warehouse,
            "build",
            "--resource-type",
            "seed",
            "--resource-type",
            "model",
            "--select",
            *EXCHANGE_MODELS,
        )
        con = duckdb.connect(str(self.warehouse), read_only=True)
        published = {}
        for spec in load_specs(con):
            frame = con.sql(f"select * from marts_audit.{spec.model}").pl()
            contract = (CONTRACTS_DIR / "exchange" / f"{spec.product}.yml").read_text(encoding="utf-8")
            published[spec.product] = publish_product(frame, spec, self.exchange_root, contract)
        con.close()
        return published


@pytest.fixture(scope="session")
def world(tmp_path_factory) -> ExchangeWorld:
    tmp = tmp_path_factory.mktemp("exchange")
    warehouse = tmp / "warehouse.duckdb"
    build_warehouse(warehouse)
    world = ExchangeWorld(tmp=tmp, warehouse=warehouse, data_dir=tmp / "data")
    world.build()
    return world
