"""The style bar is a test: ruff (lint and format) on the Python tree, sqlfluff on the dbt models."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=900)


def test_ruff_check_is_clean() -> None:
    result = _run(str(BIN / "ruff"), "check", ".")
    assert result.returncode == 0, result.stdout[-4000:]


def test_ruff_format_is_clean() -> None:
    result = _run(str(BIN / "ruff"), "format", "--check", ".")
    assert result.returncode == 0, result.stdout[-4000:]


@pytest.mark.slow
def test_sqlfluff_passes_on_every_dbt_model() -> None:
    result = _run(str(BIN / "sqlfluff"), "lint", "dbt_project/models", "--processes", "2")
    assert result.returncode == 0, result.stdout[-4000:]
