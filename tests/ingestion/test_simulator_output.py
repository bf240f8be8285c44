"""The simulator's real output, initial extract and daily deltas, for all 16 sources.

Every batch reconciles (rows in manifest = landed + quarantined) and passes its raw contract.
The same through Dagster runs (`ndc ingest --all`) is the slow test in tests/orchestration/test_sensors.py.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import simulator
from assets.ingestion import lake
from assets.ingestion.audit import audit_staged_batch
from assets.ingestion.batch import stage_batch
from assets.sources import SOURCES

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts" / "raw"
SCALE = 0.0002


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sim")
    simulator.simulate(out, scale=SCALE, days=2)
    return out


def test_every_batch_of_every_source_reconciles_and_passes_its_gate(simulated: Path, tmp_path: Path) -> None:
    kinds: dict[str, set[str]] = {}
    for source, spec in SOURCES.items():
        for batch_dir in sorted((simulated / "landing" / source).iterdir()):
            staged = stage_batch(spec, batch_dir, tmp_path / "lake")
            assert staged.rows_in_manifest == staged.rows_landed + staged.rows_quarantined, staged.summary()
            assert staged.rows_landed > 0 or staged.rows_in_manifest == 0
            audit = audit_staged_batch(staged, CONTRACTS / f"{source}.yml")
            assert audit.passed, f"{source} {batch_dir.name}: {audit.contract.describe()}"
            assert staged.added_columns == () and staged.type_drift == {}
            staged.publish()
            kinds.setdefault(source, set()).add(staged.manifest.kind)
    assert set(kinds) == set(SOURCES)
    assert all("full" in k for k in kinds.values())
    assert {s for s, k in kinds.items() if "delta" in k} >= {s for s, sp in SOURCES.items() if sp.cadence == "daily"}
    dc = pl.read_parquet(lake.raw_glob(tmp_path / "lake", "dc_population"))
    assert dc["_batch_id"].n_unique() == 3
