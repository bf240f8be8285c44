"""Dagster resources, built from the resolved environment."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from dagster import ConfigurableResource

from orchestration.environment import PlatformSettings


class PlatformResource(ConfigurableResource):
    """Where this deployment keeps its data. One value per environment (dev / test / prod)."""

    env: str
    data_dir: str

    @property
    def settings(self) -> PlatformSettings:
        return PlatformSettings(env=self.env, data_dir=Path(self.data_dir))

    @contextmanager
    def warehouse(self, read_only: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the warehouse file. Callers run under the `duckdb` pool (one writer)."""
        con = duckdb.connect(str(self.settings.warehouse_path), read_only=read_only)
        try:
            yield con
        finally:
            con.close()

    @classmethod
    def from_settings(cls, settings: PlatformSettings) -> PlatformResource:
        return cls(env=settings.env, data_dir=str(settings.data_dir))
