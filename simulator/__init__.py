"""Simulated national source systems (16 government databases) for the national data platform.

Public API: `simulate(...)` writes landing batches + ground truth; `catalog` describes every source.
Imports nothing from `assets` or `orchestration`: it stands in for systems the platform does not own.
"""

from __future__ import annotations

from simulator import catalog
from simulator.engine import BatchInfo, SimulationSummary, simulate

__all__ = ["BatchInfo", "SimulationSummary", "catalog", "simulate"]
