"""Publish anonymised data-exchange products as versioned Parquet with their contract and catalog entry.

Layout: ``<exchange_root>/<product>/<version>/{data.parquet, contract.yml, catalog.json}`` and
``<exchange_root>/catalog.json`` (the latest version of every product). The version is the build
date plus a hash of the content, so re-publishing unchanged data is a no-op and a changed build
(e.g. after a consent withdrawal) is a new version; old versions stay until retention expires.

Before anything is written the product is re-checked here, independently of the dbt model and its
Soda contract: every cell holds at least k (k-anonymity with the small cells already generalised or
suppressed in SQL), no column is a direct identifier, and no value looks like a CCCD, CMND or phone.
A product that fails is never written. Files go to a hidden temporary folder that is renamed into
place, so a reader never sees half a version.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

CATALOG_FILE = "catalog.json"
DATA_FILE = "data.parquet"
CONTRACT_FILE = "contract.yml"
# Column names that would carry a direct identifier (substring match, lower case).
IDENTIFIER_COLUMN_PATTERN = re.compile(r"cccd|cmnd|phone|name|person_id|enterprise_id|bhxh|^mst$|^vin$|^plate$")
# Values that look like an identifier: 9 (CMND), 10 (phone / MST / BHXH) or 12 (CCCD) digits.
IDENTIFIER_VALUE_PATTERN = r"^\+?\d{9,13}$"


@dataclass(frozen=True)
class ProductSpec:
    """One row of the exchange catalogue (seed exchange_products)."""

    product: str
    model: str
    title: str
    sharing: str
    importance: str
    personal_data: str
    legal_basis: str
    purposes_allowed: tuple[str, ...]
    quasi_identifiers: tuple[str, ...]
    count_column: str
    k: int
    retention_days: int
    description: str


@dataclass(frozen=True)
class PublishedProduct:
    product: str
    version: str
    path: Path
    rows: int
    min_cell: int | None
    new_version: bool


class AnonymisationError(ValueError):
    """The product breaks k-anonymity or carries an identifier: it is not published."""


def load_specs(con: duckdb.DuckDBPyConnection, table: str = "reference.exchange_products") -> list[ProductSpec]:
    rows = con.sql(f"select * from {table} order by product").pl().to_dicts()
    return [
        ProductSpec(
            product=r["product"],
            model=r["model"],
            title=r["title"],
            sharing=r["sharing"],
            importance=r["importance"],
            personal_data=r["personal_data"],
            legal_basis=r["legal_basis"],
            purposes_allowed=tuple(p for p in r["purposes_allowed"].split("|") if p),
            quasi_identifiers=tuple(q for q in r["quasi_identifiers"].split("|") if q),
            count_column=r["count_column"],
            k=int(r["k"]),
            retention_days=int(r["retention_days"]),
            description=r["description"],
        )
        for r in rows
    ]


def anonymisation_problems(frame: pl.DataFrame, spec: ProductSpec) -> list[str]:
    """Why `frame` must not be published (empty when it may)."""
    problems: list[str] = []
    identifier_columns = [c for c in frame.columns if IDENTIFIER_COLUMN_PATTERN.search(c.lower())]
    if identifier_columns:
        problems.append(f"direct identifier columns {identifier_columns}")
    missing = [c for c in (*spec.quasi_identifiers, spec.count_column) if c not in frame.columns]
    if missing:
        problems.append(f"missing columns {missing}")
        return problems
    if spec.k < 10:
        problems.append(f"k = {spec.k} is below the platform minimum of 10")
    small = frame.filter(pl.col(spec.count_column) < spec.k).height
    if small:
        problems.append(f"{small} cells hold fewer than k = {spec.k} ({spec.count_column})")
    duplicated = frame.select(spec.quasi_identifiers).is_duplicated().sum()
    if duplicated:
        problems.append(f"{duplicated} rows repeat a quasi-identifier combination")
    text_columns = [c for c, t in frame.schema.items() if t == pl.String]
    if text_columns:
        looks_like_id = frame.select(
            pl.any_horizontal(pl.col(c).str.contains(IDENTIFIER_VALUE_PATTERN) for c in text_columns).sum()
        ).item()
        if looks_like_id:
            problems.append(f"{looks_like_id} rows hold a value shaped like a CCCD, CMND or phone")
    return problems


def content_hash(frame: pl.DataFrame) -> str:
    """Order-independent hash of the product's rows (the version suffix)."""
    ordered = frame.sort(frame.columns)
    digest = hashlib.sha256()
    digest.update(json.dumps(ordered.columns).encode())
    digest.update(ordered.hash_rows(seed=0).to_numpy().tobytes())
    return digest.hexdigest()[:10]


def catalog_entry(spec: ProductSpec, frame: pl.DataFrame, version: str, published_at: str) -> dict[str, object]:
    counts = frame.get_column(spec.count_column)
    return {
        "product": spec.product,
        "title": spec.title,
        "description": spec.description,
        "version": version,
        "published_at": published_at,
        "classification": {
            "sharing": spec.sharing,
            "importance": spec.importance,
            "personal_data": spec.personal_data,
        },
        "legal_basis": spec.legal_basis,
        "purposes_allowed": list(spec.purposes_allowed),
        "anonymisation": {
            "method": "k-anonymity: cells generalised, then suppressed, until every cell holds >= k; "
            "no direct identifiers; withdrawn consent excluded",
            "k": spec.k,
            "quasi_identifiers": list(spec.quasi_identifiers),
            "count_column": spec.count_column,
            "min_cell": int(counts.min()) if frame.height else None,
            "generalised_rows": int(frame.get_column("generalised").sum()) if "generalised" in frame.columns else 0,
        },
        "retention_days": spec.retention_days,
        "rows": frame.height,
        "schema": {name: str(dtype) for name, dtype in frame.schema.items()},
        "source_model": f"marts.{spec.model}",
        "files": [DATA_FILE, CONTRACT_FILE, CATALOG_FILE],
    }


def _write_json_atomically(path: Path, payload: object) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def publish_product(
    frame: pl.DataFrame,
    spec: ProductSpec,
    exchange_root: Path,
    contract_text: str,
    now: datetime | None = None,
) -> PublishedProduct:
    """Check and write one product version; raises AnonymisationError (nothing written) when unsafe."""
    problems = anonymisation_problems(frame, spec)
    if problems:
        raise AnonymisationError(f"{spec.product} not published: " + "; ".join(problems))
    now = now or datetime.now(UTC)
    version = f"{now:%Y%m%d}-{content_hash(frame)}"
    product_dir = exchange_root / spec.product
    final_dir = product_dir / version
    new_version = not final_dir.is_dir()
    if new_version:
        product_dir.mkdir(parents=True, exist_ok=True)
        tmp_dir = product_dir / f".{version}.tmp"
        shutil.rmtree(tmp_dir, ignore_errors=True)
        tmp_dir.mkdir()
        frame.write_parquet(tmp_dir / DATA_FILE)
        (tmp_dir / CONTRACT_FILE).write_text(contract_text, encoding="utf-8")
        entry = catalog_entry(spec, frame, version, now.isoformat(timespec="seconds"))
        _write_json_atomically(tmp_dir / CATALOG_FILE, entry)
        os.replace(tmp_dir, final_dir)
    entry = json.loads((final_dir / CATALOG_FILE).read_text(encoding="utf-8"))
    update_catalog(exchange_root, entry)
    return PublishedProduct(
        product=spec.product,
        version=version,
        path=final_dir,
        rows=frame.height,
        min_cell=entry["anonymisation"]["min_cell"],
        new_version=new_version,
    )


def update_catalog(exchange_root: Path, entry: dict[str, object]) -> None:
    """Set the product's latest version in the exchange-wide catalog (atomic replace)."""
    path = exchange_root / CATALOG_FILE
    catalog = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {"products": {}}
    catalog["products"][str(entry["product"])] = entry
    catalog["updated_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    exchange_root.mkdir(parents=True, exist_ok=True)
    _write_json_atomically(path, catalog)


def latest_data_path(exchange_root: Path, product: str) -> Path:
    """The data file of the product's current version (what its Soda contract gates)."""
    catalog = read_catalog(exchange_root)
    if product not in catalog:
        raise FileNotFoundError(f"product {product!r} is not published under {exchange_root}")
    return exchange_root / product / str(catalog[product]["version"]) / DATA_FILE


def read_catalog(exchange_root: Path) -> dict[str, dict[str, object]]:
    path = exchange_root / CATALOG_FILE
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))["products"]


def spec_as_dict(spec: ProductSpec) -> dict[str, object]:
    return asdict(spec)


@contextmanager
def product_connection(exchange_root: Path, product: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB exposing the published Parquet as `exchange.products.<product>` for its contract."""
    con = duckdb.connect()
    try:
        con.execute("attach ':memory:' as exchange")
        con.execute("use exchange")
        con.execute("create schema products")
        data = latest_data_path(exchange_root, product).as_posix()
        con.execute(f"create view products.\"{product}\" as select * from read_parquet('{data}')")
        yield con
    finally:
        con.close()
