"""Daily delta batches (placeholder until the delta model lands)."""

from __future__ import annotations

from simulator.catalog import SourceSpec


def delivers(spec: SourceSpec, day_no: int) -> bool:
    """Daily sources deliver every day; weekly ones every 7th day."""
    return spec.cadence == "daily" or day_no % 7 == 0
