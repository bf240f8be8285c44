"""Where batches live in the lake, and how a partition is published atomically."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path

RAW = "raw"
QUARANTINE = "quarantine"
LEDGER = "_ledger"


def partition_dir(lake_root: Path, zone: str, source: str, batch_id: str) -> Path:
    return lake_root / zone / source / f"batch_id={batch_id}"


def temp_partition_dir(lake_root: Path, zone: str, source: str, batch_id: str) -> Path:
    """A sibling folder readers never glob (they read ``batch_id=*``)."""
    return lake_root / zone / source / f"_tmp_{batch_id}_{uuid.uuid4().hex[:8]}"


def raw_glob(lake_root: Path, source: str) -> str:
    return str(lake_root / RAW / source / "batch_id=*" / "*.parquet")


def publish(temp_dir: Path, final_dir: Path) -> None:
    """Replace ``final_dir`` by ``temp_dir``: re-ingesting a batch never duplicates it."""
    final_dir.parent.mkdir(parents=True, exist_ok=True)
    if final_dir.exists():
        trash = final_dir.with_name(f"_old_{final_dir.name}_{uuid.uuid4().hex[:8]}")
        os.replace(final_dir, trash)
        os.replace(temp_dir, final_dir)
        shutil.rmtree(trash, ignore_errors=True)
    else:
        os.replace(temp_dir, final_dir)


def discard(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def ledger_path(lake_root: Path, source: str, batch_id: str) -> Path:
    return lake_root / LEDGER / source / f"{batch_id}.json"


def write_ledger(lake_root: Path, source: str, batch_id: str, entry: dict) -> Path:
    path = ledger_path(lake_root, source, batch_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(entry, indent=2, sort_keys=True, default=str), encoding="utf-8")
    os.replace(tmp, path)
    return path


def read_ledger(lake_root: Path, source: str, batch_id: str) -> dict | None:
    path = ledger_path(lake_root, source, batch_id)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def reject_batch(batch_dir: Path, rejected_root: Path, source: str, rule: str, detail: str) -> Path:
    """Move a refused batch out of the landing zone, with its reason beside it."""
    target = rejected_root / source / batch_dir.name
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(batch_dir), str(target))
    (target / "_rejection.json").write_text(
        json.dumps({"source": source, "batch_id": batch_dir.name, "rule": rule, "reason": detail}, indent=2),
        encoding="utf-8",
    )
    return target
