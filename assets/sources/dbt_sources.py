"""Render the dbt source declaration of the raw lake from the specs (one table per source).

dbt-duckdb reads each table in place through ``meta.external_location`` (the published
``batch_id=*`` partitions only; staged folders never match the glob).
"""

from __future__ import annotations

import yaml

from assets.sources.spec import SourceSpec

EXTERNAL_LOCATION = (
    "read_parquet('{{ env_var('NDC_LAKE_ROOT', '../data/lake') }}/raw/{name}/batch_id=*/*.parquet', "
    "hive_partitioning = true, union_by_name = true)"
)
LINEAGE_DESCRIPTIONS = {
    "_source": "Source the row came from (lineage).",
    "_batch_id": "Landing batch the row came from (lineage).",
    "_file": "Landing file (part) the row came from (lineage).",
    "_row_number": "1-based record number in that file (lineage).",
    "_ingested_at": "When the batch was ingested, UTC (lineage).",
    "_row_hash": "XXH3-128 hex of the source values joined by chr(31), null as chr(0) (lineage, change detection).",
}


def _table(spec: SourceSpec) -> dict:
    key = ", ".join(spec.natural_key)
    columns = [
        {
            "name": c.name,
            "description": c.description + ("; part of the natural key." if c.name in spec.natural_key else "."),
        }
        for c in spec.columns
    ]
    columns += [{"name": name, "description": text} for name, text in LINEAGE_DESCRIPTIONS.items()]
    return {
        "name": spec.name,
        "description": (
            f"{spec.code} – {spec.name_vi} ({spec.name_en}, owner {spec.owner}). Delivered {spec.cadence} as "
            f"{spec.format}; natural key ({key}). One row per received record version; every column is source text."
        ),
        "meta": {
            "code": spec.code,
            "owner_agency": spec.owner,
            "freshness_sla_hours": spec.freshness_sla_hours,
            "natural_key": list(spec.natural_key),
            "identifiers": list(spec.identifiers),
        },
        "columns": columns,
    }


def render_dbt_sources(specs: list[SourceSpec]) -> str:
    doc = {
        "version": 2,
        "sources": [
            {
                "name": "raw",
                "description": (
                    "The immutable Parquet raw lake written by the ingestion assets (one folder per batch). "
                    "dbt-duckdb reads it in place; nothing is copied into the warehouse."
                ),
                "meta": {"external_location": EXTERNAL_LOCATION},
                "tables": [_table(spec) for spec in specs],
            }
        ],
    }
    header = (
        "# Generated from assets/sources by scripts/generate_dbt_sources.py.\n"
        "# Do not edit by hand: change the spec and regenerate.\n"
    )
    return header + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=110)
