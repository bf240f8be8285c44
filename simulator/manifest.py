"""Batch manifests: written last, atomically, so a sensor never sees a half-written batch."""

from __future__ import annotations

import json
import os
from pathlib import Path

from simulator.catalog import SourceSpec
from simulator.writers import WrittenFile

SCHEMA_VERSION = 1


def build(spec: SourceSpec, batch_id: str, kind: str, extract_time: str, files: list[WrittenFile]) -> dict:
    return {
        "source": spec.name,
        "batch_id": batch_id,
        "kind": kind,
        "extract_time": extract_time,
        "schema_version": SCHEMA_VERSION,
        "format": spec.format,
        "encoding": spec.encoding,
        "delimiter": spec.delimiter if spec.format == "csv" else None,
        "files": [{"name": f.name, "rows": f.rows, "bytes": f.bytes, "sha256": f.sha256} for f in files],
        "row_count": sum(f.rows for f in files),
    }


def write(batch_dir: Path, manifest: dict) -> Path:
    """Write _manifest.json via a temp file + rename (atomic on POSIX)."""
    target = batch_dir / "_manifest.json"
    tmp = batch_dir / "._manifest.json.tmp"
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, target)
    return target
