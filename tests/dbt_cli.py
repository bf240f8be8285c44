"""dbt on this project from tests and benches: a subprocess on its own warehouse, lake, target and logs.

Runs can then go side by side (pytest-xdist, a bench beside a test) without sharing dbt's
``target/`` or log files.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from orchestration.environment import DBT_PROJECT_DIR

DBT = str(Path(sys.executable).parent / "dbt")


def project_flags(work: Path) -> list[str]:
    """Point dbt at the project; keep its target and logs in ``work``."""
    return [
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
    ]


def dbt_process(
    command: str, args: list[str], warehouse: Path, lake_root: Path, work: Path, timeout: float | None = 600
) -> subprocess.CompletedProcess:
    """``dbt <command> <args>`` against ``warehouse`` and ``lake_root`` (tests of unselected models stay out)."""
    env = {
        **os.environ,
        "NDC_WAREHOUSE_PATH": str(warehouse),
        "NDC_LAKE_ROOT": str(lake_root),
        "NDC_DBT_TARGET": "test",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_INDIRECT_SELECTION": "buildable",
    }
    return subprocess.run(
        [DBT, command, *project_flags(work), *args],
        env=env,
        cwd=DBT_PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
