"""Hand-made landing batches in every wire format, rendered by the simulator's own writer."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from assets.sources.spec import SourceSpec
from simulator import catalog, writers

_VALUES = {
    "date": "2001-02-03",
    "timestamp": "2025-11-01T08:00:00+07:00",
    "int": "42",
    "decimal": "120.5",
    "code": "01",
}


def good_rows(spec: SourceSpec, n: int, start: int = 0) -> pl.DataFrame:
    """n valid rows of text, unique natural key, every column filled."""
    data: dict[str, list[str]] = {}
    for col in spec.columns:
        if col.name == "thao_tac":
            data[col.name] = ["I"] * n
        elif col.name in spec.natural_key:
            data[col.name] = [str(i) if col.type == "int" else f"{col.name}-{i:05d}" for i in range(start, start + n)]
        elif col.type in _VALUES:
            data[col.name] = [_VALUES[col.type]] * n
        else:
            data[col.name] = [f"Nguyễn Thị Ánh {i} & <co>" for i in range(start, start + n)]
    return pl.DataFrame(data, schema=dict.fromkeys(data, pl.String))


def render(df: pl.DataFrame, spec: SourceSpec, batch_id: str = "b") -> bytes:
    """The bytes the simulator would land for these rows."""
    if spec.format == "parquet" and any(dtype != pl.String for dtype in df.dtypes):
        buf = io.BytesIO()
        df.write_parquet(buf)
        return buf.getvalue()
    return writers.render(df, catalog.get(spec.name), batch_id)


def write_files(
    landing: Path,
    spec: SourceSpec,
    batch_id: str,
    parts: Sequence[tuple[bytes, int]],
    *,
    kind: str = "full",
    schema_version: int = 1,
) -> Path:
    """Write parts (bytes, declared rows) and a manifest that matches them."""
    batch_dir = landing / spec.name / batch_id
    batch_dir.mkdir(parents=True, exist_ok=True)
    files = []
    for i, (data, rows) in enumerate(parts):
        name = f"part-{i:05d}.{spec.format}"
        (batch_dir / name).write_bytes(data)
        files.append({"name": name, "rows": rows, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()})
    manifest = {
        "source": spec.name,
        "batch_id": batch_id,
        "kind": kind,
        "extract_time": "2025-11-01T02:00:00+07:00",
        "schema_version": schema_version,
        "format": spec.format,
        "encoding": spec.encoding,
        "delimiter": spec.delimiter,
        "files": files,
        "row_count": sum(f["rows"] for f in files),
    }
    (batch_dir / "_manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return batch_dir
