"""Run the real dbt project against a small hand-made warehouse (shared by services and exchange tests).

The warehouse holds only the core and staging columns the models under test read, so a test can
place purpose-built persons and check the marts row by row. dbt writes its target and logs to the
temporary folder: the project's own manifest is never touched.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from orchestration.environment import DBT_PROJECT_DIR

DBT = str(Path(sys.executable).parent / "dbt")
MENTION_MACRO = DBT_PROJECT_DIR / "macros" / "person_mentions.sql"


def staging_mention_models() -> list[str]:
    """The staging models that mention a person (the same list the marts union over)."""
    return re.findall(r"'model': '(stg_[a-z_]+)'", MENTION_MACRO.read_text(encoding="utf-8"))


def run_dbt(tmp: Path, warehouse: Path, *args: str) -> None:
    """`dbt <args>` on `warehouse`; fails the test with dbt's output when dbt fails."""
    lake = tmp / "lake"
    lake.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "NDC_WAREHOUSE_PATH": str(warehouse),
        "NDC_LAKE_ROOT": str(lake),
        "NDC_DBT_TARGET": "test",
        "DBT_INDIRECT_SELECTION": "buildable",
    }
    command = [
        DBT,
        *args,
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(tmp / "target"),
        "--log-path",
        str(tmp / "logs"),
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=DBT_PROJECT_DIR, check=False)
    assert done.returncode == 0, f"dbt {' '.join(args)} failed:\n{done.stdout[-4000:]}\n{done.stderr[-2000:]}"
