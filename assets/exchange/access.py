"""Access to published exchange products: purpose-checked copies and an append-only access log.

A request names a product, a purpose and a requester. It is refused (ValueError, one line) for an
unknown product or version, a purpose the product's catalog entry does not allow, or no requester;
a refused request writes nothing. A granted one copies the version's files to the requester's
folder and appends one JSON line to ``<exchange_root>/access_log.jsonl`` (who, when, product,
version, purpose, fields, rows). The log is only ever opened for append and fsynced.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from assets.exchange.publish import CATALOG_FILE, read_catalog

ACCESS_LOG = "access_log.jsonl"


@dataclass(frozen=True)
class AccessRecord:
    at: str
    requester: str
    product: str
    version: str
    purpose: str
    rows: int
    fields: list[str]
    out: str


def access_log_path(exchange_root: Path) -> Path:
    return exchange_root / ACCESS_LOG


def list_products(exchange_root: Path) -> list[dict[str, object]]:
    """Catalog entries of the latest version of every product, by name."""
    return [entry for _, entry in sorted(read_catalog(exchange_root).items())]


def resolve(exchange_root: Path, product: str, purpose: str, requester: str, version: str | None = None) -> dict:
    """The catalog entry the request may receive; ValueError when it must be refused."""
    catalog = read_catalog(exchange_root)
    if product not in catalog:
        known = ", ".join(sorted(catalog)) or "none published"
        raise ValueError(f"unknown product {product!r} (published: {known})")
    if not requester.strip():
        raise ValueError("a requester is required (--requester)")
    entry = catalog[product]
    if version is not None and version != entry["version"]:
        version_catalog = exchange_root / product / version / CATALOG_FILE
        if not version_catalog.is_file():
            raise ValueError(f"unknown version {version!r} of {product}")
        entry = json.loads(version_catalog.read_text(encoding="utf-8"))
    allowed = [str(p) for p in entry["purposes_allowed"]]
    if purpose not in allowed:
        raise ValueError(f"purpose {purpose!r} is not allowed for {product} (allowed: {', '.join(allowed)})")
    return entry


def append_access(exchange_root: Path, record: AccessRecord) -> None:
    """Append one line to the access log; never rewrite it."""
    path = access_log_path(exchange_root)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def get_product(
    exchange_root: Path,
    product: str,
    purpose: str,
    requester: str,
    out_dir: Path,
    version: str | None = None,
    now: datetime | None = None,
) -> AccessRecord:
    """Copy a product version to ``out_dir/<product>/<version>/`` and log the access."""
    entry = resolve(exchange_root, product, purpose, requester, version)
    source = exchange_root / product / str(entry["version"])
    target = out_dir / product / str(entry["version"])
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(source, tmp)
    shutil.rmtree(target, ignore_errors=True)
    os.replace(tmp, target)
    record = AccessRecord(
        at=(now or datetime.now(UTC)).isoformat(timespec="seconds"),
        requester=requester.strip(),
        product=product,
        version=str(entry["version"]),
        purpose=purpose,
        rows=int(entry["rows"]),
        fields=list(dict(entry["schema"])),
        out=str(target),
    )
    append_access(exchange_root, record)
    return record
