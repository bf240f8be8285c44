"""Files derived from the specs are up to date (the spec is the one place to change a source)."""

from __future__ import annotations

from pathlib import Path

import yaml

from assets.sources import SOURCES
from assets.sources.dbt_sources import render_dbt_sources

ROOT = Path(__file__).resolve().parents[2]
DBT_SOURCES = ROOT / "dbt_project" / "models" / "staging" / "_raw__sources.yml"


def test_dbt_sources_are_generated_from_the_specs() -> None:
    assert DBT_SOURCES.read_text(encoding="utf-8") == render_dbt_sources(list(SOURCES.values())), (
        f"{DBT_SOURCES} is stale: run scripts/generate_dbt_sources.py"
    )


def test_one_raw_source_declaration_only() -> None:
    declared = []
    for path in (ROOT / "dbt_project" / "models").rglob("*.yml"):
        for source in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("sources", []):
            declared += [(source["name"], t["name"], path.name) for t in source.get("tables", [])]
    raw = [(table, file) for name, table, file in declared if name == "raw"]
    assert sorted(t for t, _ in raw) == sorted(SOURCES)
    assert {f for _, f in raw} == {DBT_SOURCES.name}
