"""Shared fixtures. Tests write only into pytest's temporary folders."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    path = tmp_path / "landing"
    path.mkdir()
    return path


@pytest.fixture
def lake_root(tmp_path: Path) -> Path:
    return tmp_path / "lake"


@pytest.fixture
def platform_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A whole platform deployment (test env) in a temporary folder, process env restored after."""
    from orchestration.environment import resolve_settings

    data_dir = tmp_path / "data"
    monkeypatch.setenv("NDC_ENV", "test")
    monkeypatch.setenv("NDC_DATA_DIR", str(data_dir))
    settings = resolve_settings()
    for key, value in {**settings.dbt_env(), "DAGSTER_HOME": str(settings.dagster_home)}.items():
        monkeypatch.setenv(key, value)  # registered so monkeypatch restores them
    settings.ensure_dirs()
    return settings
