"""Readiness of purpose-built citizens, one per procedure group, against hand-checked expectations.

A tiny warehouse holds only the core / staging rows these citizens need; the real dbt models
(service_readiness, service_readiness_defects, service_readiness_kpis, service_blocking_defects)
run on it with the seeds, as of 2025-11-01.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.services.dbt_runner import run_dbt, staging_mention_models

AS_OF = "2025-11-01"

# person_id, sex, birth_date, life_status, household_id, father_cccd
PERSONS = [
    ("BABY", "F", "2022-05-01", "living", "H0", "000000000001"),
    ("DEAD", "M", "1945-03-01", "deceased", "H9", None),
    ("BRIDE", "F", "2000-01-15", "living", "H2", None),
    ("DRIVER", "M", "1985-06-30", "living", "H3", None),
    ("OWNER", "M", "1975-02-02", "living", "H4", None),
    ("FOUNDER", "F", "1990-09-09", "living", "H5", None),
    ("JOBLESS", "M", "1995-04-04", "living", "H6", None),
    ("PUPIL", "M", "2015-08-20", "living", "H7", None),
    ("HEIR", "F", "1980-12-12", "living", "H1", None),
    ("DEAD2", "M", "1940-01-01", "deceased", "H1", None),
]

# person_id, source_code, record_key, link_rule, admin_code_was_legacy
LINKS = [
    ("BABY", "HT", "ht-baby-birth", "cccd", False),
    ("BABY", "CT", "ct-baby", "cccd", False),
    ("BABY", "YB", "yb-baby", "cccd", False),
    ("DEAD", "HT", "ht-dead-death", "cccd", False),
    ("DEAD", "CT", "ct-dead", "cccd", True),
    ("DEAD", "LX", "lx-dead", "cccd", False),
    ("BRIDE", "CT", "ct-bride", "cccd", False),
    ("DRIVER", "CT", "ct-driver", "cccd", False),
    ("DRIVER", "LX", "lx-driver", "cccd", False),
    ("OWNER", "CT", "ct-owner", "cccd", False),
    ("OWNER", "XE", "xe-owner", "cccd", False),
    ("OWNER", "TH", "th-owner", "cmnd", False),
    ("FOUNDER", "CT", "ct-founder", "cccd", False),
    ("FOUNDER", "DN", "dn-founder", "cccd", False),
    ("FOUNDER", "TH", "th-founder", "cccd", False),
    ("JOBLESS", "XH", "xh-jobless", "cccd", False),
    ("JOBLESS", "LD", "ld-jobless", "cccd", False),
    ("PUPIL", "CT", "ct-pupil", "cccd", False),
    ("PUPIL", "GD", "gd-pupil", "cccd", False),
    ("HEIR", "CT", "ct-heir", "cccd", False),
    ("DEAD2", "HT", "ht-dead2-death", "cccd", False),
    ("DEAD2", "DD", "dd-dead2", "cccd", False),
]

HT_EVENTS = {"ht-baby-birth": "birth", "ht-dead-death": "death", "ht-dead2-death": "death"}

ALL_GROUPS = {
    "birth_residence_health_card",
    "death_residence_funeral",
    "marriage_registration",
    "driving_licence_renewal",
    "vehicle_ownership_transfer",
    "business_start_up",
    "judicial_record_certificate",
    "unemployment_benefit",
    "school_enrolment",
    "land_inheritance",
}

# Hand-checked: (person, group) -> (mode, prefilled fields, blocking defects)
EXPECTED = {
    ("BABY", "birth_residence_health_card"): (
        "fully_online",
        "birth_record,health_insurance_card,identity,parents,permanent_residence",
        None,
    ),
    ("DEAD", "death_residence_funeral"): (
        "partly_online",
        "death_record,identity,permanent_residence",
        "old_ward_code:CT",
    ),
    ("BRIDE", "marriage_registration"): ("fully_online", "identity,permanent_residence", None),
    ("DRIVER", "driving_licence_renewal"): ("partly_online", "driving_licence,identity", "missing_link:YT"),
    ("OWNER", "vehicle_ownership_transfer"): (
        "partly_online",
        "identity,tax_registration,vehicle_registration",
        "cmnd_only:TH",
    ),
    ("FOUNDER", "business_start_up"): (
        "at_the_counter",
        "enterprise_registration,identity,tax_registration",
        "conflicting_birth_date:DN",
    ),
    ("BRIDE", "judicial_record_certificate"): ("fully_online", "identity,permanent_residence", None),
    ("JOBLESS", "unemployment_benefit"): ("fully_online", "identity,social_insurance,unemployment_claim", None),
    ("PUPIL", "school_enrolment"): ("fully_online", "identity,learner_record,permanent_residence", None),
    ("HEIR", "land_inheritance"): ("fully_online", "estate_death_record,estate_land_use_right,identity", None),
}

# Hand-checked: every group each citizen is eligible for.
ELIGIBLE = {
    "BABY": {"birth_residence_health_card"},
    "DEAD": {"death_residence_funeral"},
    "BRIDE": {"marriage_registration", "judicial_record_certificate"},
    "DRIVER": {"driving_licence_renewal", "marriage_registration", "judicial_record_certificate"},
    "OWNER": {"vehicle_ownership_transfer", "marriage_registration", "judicial_record_certificate"},
    "FOUNDER": {"business_start_up", "marriage_registration", "judicial_record_certificate"},
    "JOBLESS": {"unemployment_benefit", "marriage_registration", "judicial_record_certificate"},
    "PUPIL": {"school_enrolment"},
    "HEIR": {"land_inheritance", "marriage_registration", "judicial_record_certificate"},
    "DEAD2": {"death_residence_funeral"},
}


def build_warehouse(path: Path) -> None:
    con = duckdb.connect(str(path))
    for schema in ("core_audit", "staging"):
        con.execute(f"create schema {schema}")
    con.execute(
        "create table core_audit.person (person_id varchar, cccd varchar, sex varchar, birth_date date, "
        "life_status varchar, cccd_invalid_reason varchar, residence_commune_code varchar, "
        "residence_province_code varchar, father_cccd varchar, mother_cccd varchar, household_id varchar)"
    )
    con.executemany(
        "insert into core_audit.person values (?, ?, ?, cast(? as date), ?, null, '00004', '01', ?, null, ?)",
        [(p, f"0010{i:08d}", s, b, life, father, hh) for i, (p, s, b, life, hh, father) in enumerate(PERSONS)],
    )
    con.execute(
        "create table core_audit.person_source_link (person_id varchar, source_code varchar, record_key varchar, "
        "link_rule varchar, link_status varchar)"
    )
    con.executemany(
        "insert into core_audit.person_source_link values (?, ?, ?, ?, 'linked')", [row[:4] for row in LINKS]
    )
    for model in staging_mention_models():
        con.execute(
            f"create table staging.{model} (source_code varchar, record_key varchar, admin_code_was_legacy boolean)"
        )
    source_models = {m.split("_")[1].upper(): m for m in staging_mention_models()}
    for _, source, key, _, legacy in LINKS:
        con.execute(f"insert into staging.{source_models[source]} values (?, ?, ?)", [source, key, legacy])
    con.execute("alter table staging.stg_ht_civil_status__events add column event_type varchar")
    for key, event in HT_EVENTS.items():
        con.execute("update staging.stg_ht_civil_status__events set event_type = ? where record_key = ?", [event, key])
    con.execute(
        "create table core_audit.driving_licence as select * from (values ('DRIVER', 'active'), "
        "('DEAD', 'active')) as t(holder_person_id, status)"
    )
    con.execute("create table core_audit.vehicle as select 'OWNER' as owner_person_id")
    con.execute("create table core_audit.enterprise as select 'FOUNDER' as representative_person_id")
    con.execute("create table core_audit.land_parcel as select 'DEAD2' as owner_person_id")
    con.execute(
        "create table core_audit.person_attribute_conflicts as select 'FOUNDER' as person_id, "
        "'birth_date' as attribute, 'DN' as source_code, true as source_must_fix"
    )
    con.close()


@pytest.fixture(scope="module")
def readiness(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    tmp = tmp_path_factory.mktemp("services")
    warehouse = tmp / "warehouse.duckdb"
    build_warehouse(warehouse)
    run_dbt(
        tmp,
        warehouse,
        "build",
        "--resource-type",
        "seed",
        "--resource-type",
        "model",
        "--select",
        "procedure_groups",
        "procedure_data_items",
        "blocking_defects",
        "service_readiness_defects",
        "service_readiness",
        "service_readiness_kpis",
        "service_blocking_defects",
        "--vars",
        f"{{services_as_of: '{AS_OF}'}}",
    )
    con = duckdb.connect(str(warehouse), read_only=True)
    yield con
    con.close()


def test_every_citizen_is_assessed_for_every_group(readiness) -> None:
    rows = readiness.sql("select person_id, procedure_group from marts_audit.service_readiness").fetchall()
    assert len(rows) == len(PERSONS) * len(ALL_GROUPS)
    assert {g for _, g in rows} == ALL_GROUPS


@pytest.mark.parametrize(("person", "group"), sorted(EXPECTED))
def test_readiness_matches_hand_checked_expectation(readiness, person: str, group: str) -> None:
    row = readiness.sql(
        "select eligible, mode, prefilled_fields, blocking_defects from marts_audit.service_readiness "
        f"where person_id = '{person}' and procedure_group = '{group}'"
    ).fetchall()
    assert row, f"no readiness row for {person} / {group}"
    eligible, mode, prefilled, defects = row[0]
    assert eligible is True
    assert (mode, prefilled, defects) == EXPECTED[(person, group)]


def test_the_ten_groups_each_have_a_hand_checked_citizen() -> None:
    assert {group for _, group in EXPECTED} == ALL_GROUPS


@pytest.mark.parametrize("person", sorted(ELIGIBLE))
def test_eligible_groups_match_hand_checked_expectation(readiness, person: str) -> None:
    groups = readiness.sql(
        f"select procedure_group from marts_audit.service_readiness where person_id = '{person}' and eligible"
    ).fetchall()
    assert {g for (g,) in groups} == ELIGIBLE[person]


def test_a_dead_licence_holder_is_blocked_as_deceased_for_the_licence_source(readiness) -> None:
    row = readiness.sql(
        "select applicable, eligible, mode, blocking_defects from marts_audit.service_readiness "
        "where person_id = 'DEAD' and procedure_group = 'driving_licence_renewal'"
    ).fetchall()
    assert row == [(True, False, "not_eligible", "deceased:LX,missing_link:YT")]


def test_kpis_and_top_defects(readiness) -> None:
    eligible, online, share = readiness.sql(
        "select eligible_services, fully_online, share_fully_online_pct from marts_audit.service_readiness_kpis "
        "where scope = 'national' and procedure_group = 'all'"
    ).fetchall()[0]
    eligible_expected = sum(len(groups) for groups in ELIGIBLE.values())
    assert eligible == eligible_expected
    # Partly online / counter among the eligible: DEAD death, DRIVER licence, OWNER vehicle, FOUNDER business,
    # DEAD2 death (no residence record), JOBLESS marriage + judicial (no residence record).
    assert online == eligible_expected - 7
    assert share == round(100.0 * online / eligible, 2)
    defects = readiness.sql(
        "select defect_code, source_must_fix, services_blocked from marts_audit.service_blocking_defects "
        "where scope = 'national' order by rank_in_area"
    ).fetchall()
    assert defects[0] == ("missing_link", "CT", 3)
    assert ("deceased", "LX", 1) in defects and ("cmnd_only", "TH", 1) in defects
