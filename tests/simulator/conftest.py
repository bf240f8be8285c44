"""Shared simulator runs: one small full extract and one with deltas, generated once per test session."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import polars as pl
import pytest

from simulator import catalog, simulate

SCALE = 0.0008
DAYS = 8


@pytest.fixture(scope="session")
def full_run(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("sim_full")
    return out, simulate(out, scale=SCALE, seed=7)


@pytest.fixture(scope="session")
def delta_run(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("sim_delta")
    return out, simulate(out, scale=0.0005, seed=11, days=DAYS, start_date=dt.date(2025, 11, 1))


def read_part(path: Path, manifest: dict) -> pl.DataFrame:
    """Read one landed file the way the platform would, honouring the manifest's format and encoding."""
    fmt = manifest["format"]
    if fmt == "csv":
        raw = path.read_bytes()
        text = raw.decode(manifest["encoding"])
        return pl.read_csv(io.StringIO(text), separator=manifest["delimiter"], infer_schema=False)
    if fmt == "jsonl":
        return pl.read_ndjson(path, infer_schema_length=None).cast(pl.Utf8)
    if fmt == "parquet":
        return pl.read_parquet(path)
    if fmt == "xml":
        import xml.etree.ElementTree as ET

        root = ET.parse(path).getroot()
        spec = catalog.get(manifest["source"])
        rows = [{c: (rec.findtext(c)) for c in spec.column_names} for rec in root.iter("record")]
        return pl.DataFrame(rows, schema={c: pl.Utf8 for c in spec.column_names})
    raise AssertionError(fmt)


def read_batch(out: Path, source: str, batch_id: str) -> pl.DataFrame:
    bdir = out / "landing" / source / batch_id
    manifest = json.loads((bdir / "_manifest.json").read_text())
    return pl.concat([read_part(bdir / f["name"], manifest) for f in manifest["files"]], how="vertical_relaxed")


def read_source(out: Path, source: str) -> pl.DataFrame:
    frames = []
    for bdir in sorted((out / "landing" / source).iterdir()):
        frames.append(read_batch(out, source, bdir.name).with_columns(_batch=pl.lit(bdir.name)))
    return pl.concat(frames, how="vertical_relaxed")
