from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.environment import UnknownEnvironmentError, resolve_settings


def test_unknown_environment_fails_loudly() -> None:
    with pytest.raises(UnknownEnvironmentError, match="staging"):
        resolve_settings({"NDC_ENV": "staging"})


@pytest.mark.parametrize("env", ["dev", "test", "prod"])
def test_paths_derive_from_the_data_dir(env: str, tmp_path: Path) -> None:
    settings = resolve_settings({"NDC_ENV": env, "NDC_DATA_DIR": str(tmp_path)})
    assert settings.env == env and settings.dbt_target == env
    assert settings.warehouse_path == tmp_path / "warehouse.duckdb"
    assert settings.landing_root == tmp_path / "landing"
    assert settings.lake_root == tmp_path / "lake"
    assert settings.dbt_env()["NDC_WAREHOUSE_PATH"] == str(tmp_path / "warehouse.duckdb")


def test_default_is_dev_under_the_project_data_folder() -> None:
    settings = resolve_settings({})
    assert settings.env == "dev"
    assert settings.data_dir.name == "data"
