"""Run the real dbt project against a small hand-made warehouse (shared by services and exchange tests).

The warehouse holds only the core and staging columns the models under test read, so a test can
place purpose-built persons and check the marts row by row. dbt writes its target and logs to the
temporary folder: the project's own manifest is never touched.
"""

from __future__ import annotations

import re
from pathlib import Path

from orchestration.environment import DBT_PROJECT_DIR
from tests.dbt_cli import dbt_process

MENTION_MACRO = DBT_PROJECT_DIR / "macros" / "person_mentions.sql"


def staging_mention_models() -> list[str]:
    """The staging models that mention a person (the same list the marts union over)."""
    return re.findall(r"'model': '(stg_[a-z_]+)'", MENTION_MACRO.read_text(encoding="utf-8"))


def run_dbt(tmp: Path, warehouse: Path, *args: str) -> None:
    """`dbt <args>` on `warehouse`; fails the test with dbt's output when dbt fails."""
    lake = tmp / "lake"
    lake.mkdir(exist_ok=True)
    done = dbt_process(args[0], list(args[1:]), warehouse, lake, tmp, timeout=None)
    assert done.returncode == 0, f"dbt {' '.join(args)} failed:\n{done.stdout[-4000:]}\n{done.stderr[-2000:]}"
