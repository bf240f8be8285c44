"""Schedules in Vietnam time and the jobs only schedules need (the nightly one lives in definitions.py).

* ``weekly_full_rebuild`` – Sunday 04:00, after the nightly consolidation: ``dbt build --full-refresh``
  on every layer, so incremental models and tables cannot drift from the raw lake for more than a week.
* ``hourly_freshness`` – every hour at :05: every source against its SLA (orchestration/freshness.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from dagster import AssetsDefinition, ScheduleDefinition, define_asset_job
from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

from orchestration.freshness import CHECK_FRESHNESS_JOB
from orchestration.jobs import CONSOLIDATE_JOB

TIMEZONE = "Asia/Ho_Chi_Minh"
REBUILD_JOB_NAME = "rebuild_warehouse_full_refresh"


def full_refresh_run_config(dbt_assets: Sequence[AssetsDefinition]) -> dict:
    """Run configuration that turns every dbt layer op into `dbt build --full-refresh`."""
    return {"ops": {assets_def.op.name: {"config": {"full_refresh": True}} for assets_def in dbt_assets}}


def build_rebuild_job(dbt_assets: Sequence[AssetsDefinition]) -> UnresolvedAssetJobDefinition:
    return define_asset_job(
        name=REBUILD_JOB_NAME,
        selection=CONSOLIDATE_JOB.selection,
        config=full_refresh_run_config(dbt_assets),
        description="Rebuild the whole warehouse from the raw lake with `dbt build --full-refresh` (incremental "
        "models from scratch), every layer gated as in `consolidate`. Weekly, or after a fix to a model.",
    )


def build_schedules(rebuild_job: UnresolvedAssetJobDefinition) -> list[ScheduleDefinition]:
    return [
        ScheduleDefinition(
            name="weekly_full_rebuild",
            job=rebuild_job,
            cron_schedule="0 4 * * 0",
            execution_timezone=TIMEZONE,
            description="Full refresh of every dbt layer on Sunday at 04:00 Vietnam time.",
        ),
        ScheduleDefinition(
            name="hourly_freshness",
            job=CHECK_FRESHNESS_JOB,
            cron_schedule="5 * * * *",
            execution_timezone=TIMEZONE,
            description="Every hour at :05 Vietnam time, check each source against its freshness SLA.",
        ),
    ]
