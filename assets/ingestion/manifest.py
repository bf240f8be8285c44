"""The `_manifest.json` a source writes last: what a complete batch must contain."""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from assets.ingestion.errors import BatchRejectedError
from assets.sources.spec import SourceSpec

MANIFEST_NAME = "_manifest.json"
# Files of one batch checksummed at the same time (one per core on the reference machine).
CHECKSUM_WORKERS = 2
_REQUIRED_KEYS = ("source", "batch_id", "kind", "schema_version", "format", "files", "row_count")


@dataclass(frozen=True)
class ManifestFile:
    name: str
    rows: int
    bytes: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    source: str
    batch_id: str
    kind: str
    extract_time: str | None
    schema_version: int
    format: str
    encoding: str
    delimiter: str | None
    files: tuple[ManifestFile, ...]
    row_count: int


def sha256_of(path: Path, chunk_size: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


def manifest_fingerprint(batch_dir: Path) -> str | None:
    """sha256 of the batch's manifest (which lists every file's checksum): a batch re-landed under the
    same id with different content has a different fingerprint, so it is ingested again."""
    path = batch_dir / MANIFEST_NAME
    return sha256_of(path) if path.is_file() else None


def read_manifest(batch_dir: Path) -> Manifest:
    """Parse the manifest; any structural problem rejects the batch."""
    path = batch_dir / MANIFEST_NAME
    if not path.is_file():
        raise BatchRejectedError("manifest_missing", f"{path} does not exist")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BatchRejectedError("manifest_malformed", f"{path}: {exc}") from exc
    if not isinstance(raw, dict):
        raise BatchRejectedError("manifest_malformed", f"{path}: expected a JSON object")
    missing = [key for key in _REQUIRED_KEYS if key not in raw]
    if missing:
        raise BatchRejectedError("manifest_malformed", f"{path}: missing keys {', '.join(missing)}")
    try:
        files = tuple(
            ManifestFile(name=str(f["name"]), rows=int(f["rows"]), bytes=int(f["bytes"]), sha256=str(f["sha256"]))
            for f in raw["files"]
        )
        return Manifest(
            source=str(raw["source"]),
            batch_id=str(raw["batch_id"]),
            kind=str(raw["kind"]),
            extract_time=raw.get("extract_time"),
            schema_version=int(raw["schema_version"]),
            format=str(raw["format"]),
            encoding=str(raw.get("encoding") or "utf-8"),
            delimiter=raw.get("delimiter"),
            files=files,
            row_count=int(raw["row_count"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise BatchRejectedError("manifest_malformed", f"{path}: {exc!r}") from exc


def validate_manifest(manifest: Manifest, spec: SourceSpec, batch_dir: Path) -> None:
    """Check the manifest against the source spec and the files on disk (presence and sizes).

    The checksums are ``verify_checksums``'s: ingestion runs it beside the parse and rejects the
    batch on a mismatch before anything is published.
    """
    where = batch_dir / MANIFEST_NAME
    if manifest.source != spec.name:
        raise BatchRejectedError("manifest_source_mismatch", f"{where}: source {manifest.source!r} != {spec.name!r}")
    if manifest.batch_id != batch_dir.name:
        raise BatchRejectedError("manifest_batch_mismatch", f"{where}: batch_id {manifest.batch_id!r} != folder")
    if manifest.schema_version not in spec.schema_versions:
        raise BatchRejectedError(
            "unknown_schema_version",
            f"{where}: schema_version {manifest.schema_version} not in {list(spec.schema_versions)}",
        )
    if manifest.format != spec.format:
        raise BatchRejectedError("format_mismatch", f"{where}: format {manifest.format!r} != {spec.format!r}")
    if not manifest.files:
        raise BatchRejectedError("manifest_malformed", f"{where}: lists no files")
    if sum(f.rows for f in manifest.files) != manifest.row_count:
        raise BatchRejectedError("manifest_malformed", f"{where}: row_count differs from the sum of file rows")
    for entry in manifest.files:
        path = batch_dir / entry.name
        if not path.is_file():
            raise BatchRejectedError("file_missing", f"{path} is listed in the manifest but absent")
        size = path.stat().st_size
        if size == 0 and entry.rows > 0:
            raise BatchRejectedError("file_empty", f"{path} is empty")
        if size != entry.bytes:
            raise BatchRejectedError("file_truncated", f"{path}: {size} bytes on disk, manifest says {entry.bytes}")


def verify_checksums(manifest: Manifest, batch_dir: Path) -> None:
    """Every listed file's sha256 against the manifest (after ``validate_manifest``: files present, sizes right).

    hashlib releases the GIL while it hashes: the files are checksummed side by side, and the
    whole check can run beside the parse of the same files.
    """
    with ThreadPoolExecutor(max_workers=CHECKSUM_WORKERS, thread_name_prefix="checksum") as pool:
        digests = list(pool.map(sha256_of, [batch_dir / entry.name for entry in manifest.files]))
    for entry, digest in zip(manifest.files, digests, strict=True):
        if digest != entry.sha256:
            raise BatchRejectedError("checksum_mismatch", f"{batch_dir / entry.name}: sha256 differs from the manifest")


def is_batch_complete(batch_dir: Path) -> bool:
    """A batch is complete when its manifest exists and every listed file matches it.

    Used by the sensor: an incomplete batch is simply not yet registered (files may still be
    arriving), whereas ingestion of an explicitly requested broken batch rejects it.
    """
    if not (batch_dir / MANIFEST_NAME).is_file():
        return False
    try:
        manifest = read_manifest(batch_dir)
    except BatchRejectedError:
        return True  # complete but broken: register it so ingestion rejects it visibly
    for entry in manifest.files:
        path = batch_dir / entry.name
        if not path.is_file() or path.stat().st_size != entry.bytes:
            return False
    return True
