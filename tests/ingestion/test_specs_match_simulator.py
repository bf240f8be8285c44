"""The platform's source specs agree with the simulator's catalogue: one wire format, two readers of it."""

from __future__ import annotations

import pytest

from assets.sources import SOURCES
from assets.sources.registry import DAILY_SLA_HOURS, GROUPS, WEEKLY_SLA_HOURS
from simulator import catalog

# The catalogue says datetime where the platform's logical type is timestamp.
_TYPE_ALIASES = {"datetime": "timestamp"}


def test_same_sources_in_the_same_order() -> None:
    assert list(SOURCES) == list(catalog.SOURCE_NAMES)


@pytest.mark.parametrize("name", list(catalog.SOURCE_NAMES))
def test_spec_matches_catalogue(name: str) -> None:
    ours, theirs = SOURCES[name], catalog.get(name)
    assert (ours.code, ours.name_vi, ours.name_en, ours.owner) == (
        theirs.code,
        theirs.name_vi,
        theirs.name_en,
        theirs.owner,
    )
    assert (ours.format, ours.encoding, ours.delimiter) == (theirs.format, theirs.encoding, theirs.delimiter)
    assert (ours.cadence, ours.lag_days) == (theirs.cadence, theirs.lag_days)
    assert list(ours.column_names) == theirs.column_names
    assert [c.type for c in ours.columns] == [_TYPE_ALIASES.get(c.type, c.type) for c in theirs.columns]
    assert ours.natural_key == theirs.natural_key


@pytest.mark.parametrize("name", list(SOURCES))
def test_spec_is_self_consistent(name: str) -> None:
    spec = SOURCES[name]
    columns = set(spec.column_names)
    assert set(spec.natural_key) <= columns
    assert set(spec.identifiers) <= columns
    assert set(spec.min_filled_share) <= columns
    assert set(spec.required_columns) == {*spec.natural_key, "ngay_cap_nhat", "thao_tac"}
    assert all(c.description for c in spec.columns), "describe every column in assets/sources/columns.py"
    assert spec.group in GROUPS
    base = DAILY_SLA_HOURS if spec.cadence == "daily" else WEEKLY_SLA_HOURS
    assert spec.freshness_sla_hours == base + 24 * spec.lag_days
    assert (spec.delimiter is None) == (spec.format != "csv")
