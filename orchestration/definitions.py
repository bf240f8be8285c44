"""The Dagster code location: assets, gates, jobs, schedules and sensors of the platform."""

from __future__ import annotations

import sys
from pathlib import Path

from dagster import Definitions, ScheduleDefinition
from dagster_dbt import DbtCliResource

from orchestration.automation import automation_sensor
from orchestration.dbt_assets import DBT_PROJECT, build_dbt_assets
from orchestration.environment import resolve_settings
from orchestration.exchange_assets import EXCHANGE_ASSETS
from orchestration.freshness import CHECK_FRESHNESS_JOB, FRESHNESS_CHECKS
from orchestration.jobs import CONSOLIDATE_JOB, INGEST_JOBS
from orchestration.mpi_asset import mpi_person_links
from orchestration.notifications import NOTIFICATION_SENSORS, NotifierResource
from orchestration.publish import PUBLISHED_LAYERS, build_publish_asset
from orchestration.raw_assets import RAW_ASSETS
from orchestration.resources import PlatformResource
from orchestration.schedules import build_rebuild_job, build_schedules
from orchestration.sensors import landing_batches_sensor
from orchestration.soda_checks import build_contract_checks

TIMEZONE = "Asia/Ho_Chi_Minh"
# The dbt installed beside this interpreter (the venv), whatever PATH says.
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")


def build_definitions() -> Definitions:
    settings = resolve_settings()
    settings.export_to_process()
    dbt_assets = build_dbt_assets()
    rebuild_job = build_rebuild_job(dbt_assets)
    publish_assets = [
        build_publish_asset(layer, [k for a in dbt_assets for k in a.keys if k.path[0] == layer])
        for layer in PUBLISHED_LAYERS
    ]
    warehouse_assets = [*dbt_assets, mpi_person_links, *publish_assets, *EXCHANGE_ASSETS]
    warehouse_keys = {key for assets_def in warehouse_assets for key in assets_def.keys}
    return Definitions(
        assets=[*RAW_ASSETS, *warehouse_assets],
        asset_checks=[*build_contract_checks(warehouse_keys), *FRESHNESS_CHECKS],
        jobs=[*INGEST_JOBS, CONSOLIDATE_JOB, rebuild_job, CHECK_FRESHNESS_JOB],
        schedules=[
            ScheduleDefinition(
                name="nightly_consolidation",
                job=CONSOLIDATE_JOB,
                cron_schedule="0 2 * * *",
                execution_timezone=TIMEZONE,
                description="Rebuild the consolidated database every night at 02:00 Vietnam time.",
            ),
            *build_schedules(rebuild_job),
        ],
        sensors=[landing_batches_sensor, automation_sensor, *NOTIFICATION_SENSORS],
        resources={
            "platform": PlatformResource.from_settings(settings),
            "notifier": NotifierResource.from_settings(settings),
            "dbt": DbtCliResource(
                project_dir=DBT_PROJECT,
                profiles_dir=str(DBT_PROJECT.project_dir),
                target=settings.dbt_target,
                dbt_executable=DBT_EXECUTABLE,
            ),
        },
    )


defs = build_definitions()
