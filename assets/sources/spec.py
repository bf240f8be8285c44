"""The declarative description of one source system.

Readers, Dagster assets, raw Soda contracts and dbt source declarations are derived from
(or checked against) a :class:`SourceSpec`, so a source changes in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Format = Literal["csv", "jsonl", "parquet", "xml"]
# Logical types checked at ingestion. Raw keeps source text; staging does real typing.
LogicalType = Literal["string", "date", "timestamp", "int", "decimal", "code"]

# Columns every extract carries so deltas can be applied downstream.
UPDATED_AT_COLUMN = "ngay_cap_nhat"
OPERATION_COLUMN = "thao_tac"
OPERATIONS = ("I", "U", "D")


@dataclass(frozen=True)
class Column:
    name: str
    type: LogicalType = "string"
    required: bool = False
    description: str = ""


@dataclass(frozen=True)
class SourceSpec:
    """One national or specialised database as the data center receives it."""

    name: str  # e.g. dc_population: the asset key is ["raw", name]
    code: str  # two-letter code, e.g. DC
    name_vi: str
    name_en: str
    owner: str  # owning agency, shown as the asset owner in the UI
    format: Format
    columns: tuple[Column, ...]
    natural_key: tuple[str, ...]
    identifiers: tuple[str, ...] = ()
    encoding: str = "utf-8"
    delimiter: str | None = ","
    freshness_sla_hours: int = 36
    cadence: Literal["daily", "weekly"] = "daily"
    lag_days: int = 0  # the source delivers events this many days late (counted into the freshness SLA)
    group: str = "identity"  # operator group for `ndc ingest --group`
    schema_versions: tuple[int, ...] = (1,)
    # minimum share of non-null values per column in a batch; the raw contract enforces it
    min_filled_share: dict[str, float] = field(default_factory=dict)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def owner_tag(self) -> str:
        """Dagster owners must be e-mails or team:<name>."""
        return f"team:{self.owner.lower().replace(' ', '-')}"

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name!r}")
