"""Write dbt_project/models/staging/_raw__sources.yml from the source specs (run after changing a spec)."""

from __future__ import annotations

from pathlib import Path

from assets.sources import SOURCES
from assets.sources.dbt_sources import render_dbt_sources

TARGET = Path(__file__).resolve().parents[1] / "dbt_project" / "models" / "staging" / "_raw__sources.yml"


def main() -> None:
    TARGET.write_text(render_dbt_sources(list(SOURCES.values())), encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
