"""Jobs named for what operators do."""

from __future__ import annotations

from dagster import AssetSelection, define_asset_job

from assets.sources import SOURCES
from orchestration.raw_assets import raw_asset_key


def ingest_job_name(source: str) -> str:
    return f"ingest_{source}"


INGEST_JOBS = [
    define_asset_job(
        name=ingest_job_name(source),
        selection=AssetSelection.assets(raw_asset_key(source)),
        description=f"Ingest one landing batch of {source} into the raw lake (partition = batch id).",
    )
    for source in SOURCES
]

CONSOLIDATE_JOB = define_asset_job(
    name="consolidate",
    selection=AssetSelection.all() - AssetSelection.groups("raw"),
    description=(
        "Build the national consolidated database from the raw lake: reference seeds, staging, "
        "integration, core and marts, each layer gated by its Soda contracts."
    ),
)
