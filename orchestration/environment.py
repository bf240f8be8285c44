"""Resolve the deployment environment: the ONLY module that reads environment variables.

Every path and target the platform uses (warehouse file, lake, landing zone, dbt target,
Dagster home) is derived here from two variables:

* ``NDC_ENV``      – ``dev`` (default), ``test`` or ``prod``; anything else fails loudly.
* ``NDC_DATA_DIR`` – optional root for all generated data (tests point it at a temp folder).

Everything else receives a :class:`PlatformSettings` value, never the environment.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
CONTRACTS_DIR = PROJECT_ROOT / "contracts"
DAGSTER_INSTANCE_TEMPLATE = Path(__file__).resolve().parent / "dagster_instance.yaml"

KNOWN_ENVIRONMENTS = ("dev", "test", "prod")


class UnknownEnvironmentError(RuntimeError):
    """Raised for an NDC_ENV value that is not one of KNOWN_ENVIRONMENTS."""


@dataclass(frozen=True)
class PlatformSettings:
    """Where one deployment keeps its data; resolved once per process."""

    env: str
    data_dir: Path

    @property
    def landing_root(self) -> Path:
        return self.data_dir / "landing"

    @property
    def lake_root(self) -> Path:
        return self.data_dir / "lake"

    @property
    def rejected_root(self) -> Path:
        return self.data_dir / "rejected"

    @property
    def truth_root(self) -> Path:
        return self.data_dir / "truth"

    @property
    def exchange_root(self) -> Path:
        return self.data_dir / "exchange"

    @property
    def warehouse_path(self) -> Path:
        return self.data_dir / "warehouse.duckdb"

    @property
    def dagster_home(self) -> Path:
        return self.data_dir / ".dagster_home"

    @property
    def dbt_target(self) -> str:
        return self.env

    def dbt_env(self) -> dict[str, str]:
        """Variables the dbt subprocess reads through ``env_var()`` in profiles and sources."""
        return {
            "NDC_WAREHOUSE_PATH": str(self.warehouse_path),
            "NDC_LAKE_ROOT": str(self.lake_root),
            "NDC_DBT_TARGET": self.dbt_target,
            # Layers run as separate dbt invocations: a test joining two layers (e.g. a staging model's
            # relationship to a seed) must run with the later layer, once both relations exist.
            "DBT_INDIRECT_SELECTION": "buildable",
        }

    def ensure_dirs(self) -> None:
        for path in (self.landing_root, self.lake_root, self.rejected_root, self.dagster_home):
            path.mkdir(parents=True, exist_ok=True)
        instance_yaml = self.dagster_home / "dagster.yaml"
        if not instance_yaml.is_file():
            shutil.copyfile(DAGSTER_INSTANCE_TEMPLATE, instance_yaml)

    def export_to_process(self) -> None:
        """Publish the settings to child processes (dbt reads them through env_var)."""
        os.environ.update(self.dbt_env())
        os.environ["DAGSTER_HOME"] = str(self.dagster_home)


def resolve_settings(environ: dict[str, str] | None = None) -> PlatformSettings:
    """Build the settings for the current process (or for ``environ`` when given)."""
    env_vars = os.environ if environ is None else environ
    env = env_vars.get("NDC_ENV", "dev").strip().lower()
    if env not in KNOWN_ENVIRONMENTS:
        raise UnknownEnvironmentError(
            f"NDC_ENV={env!r} is not a known environment; use one of {', '.join(KNOWN_ENVIRONMENTS)}"
        )
    default_dir = PROJECT_ROOT / "data" if env != "test" else PROJECT_ROOT / "data" / "test"
    data_dir = Path(env_vars.get("NDC_DATA_DIR") or default_dir).resolve()
    return PlatformSettings(env=env, data_dir=data_dir)
