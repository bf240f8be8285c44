"""Parquet parts: scanned lazily, every column turned into source text.

A column that arrives with another physical type than text (a CCCD as Int64, a date as Date)
is *type drift*: it is cast to text so the row still lands, and reported; values the rules
then cannot accept (a required key that is null after the cast) are quarantined row by row.
A Parquet file has no lines: ``_line_number`` is the row's 1-based index, and a quarantined
row's raw text is its JSON rendering.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from assets.ingestion.errors import BatchRejectedError
from assets.ingestion.manifest import Manifest
from assets.ingestion.readers.base import ReadResult, empty_rejects, empty_result
from assets.sources.spec import SourceSpec

_NESTED = (pl.List, pl.Array, pl.Struct)


def _as_text(name: str, dtype: pl.DataType) -> pl.Expr:
    if dtype == pl.String:
        return pl.col(name)
    if isinstance(dtype, _NESTED):
        return pl.struct(pl.col(name)).struct.json_encode().str.extract(r"^\{.*?:(.*)\}$").alias(name)
    if dtype == pl.Binary:
        return pl.col(name).cast(pl.String, strict=False)  # invalid UTF-8 -> null
    return pl.col(name).cast(pl.String)


def read_parquet(path: Path, manifest: Manifest, spec: SourceSpec) -> ReadResult:
    """A plan over the part, streamed to the raw lake by the writer; its row count comes from the footer."""
    try:
        scan = pl.scan_parquet(path)
        schema = scan.collect_schema()
        row_count = int(scan.select(pl.len()).collect().item())
    except Exception as exc:  # polars raises ComputeError/OSError variants for a corrupt footer
        raise BatchRejectedError("file_unreadable", f"{path}: not a readable Parquet file ({exc})") from exc
    header = tuple(schema.names())
    if row_count == 0 and not header:
        return empty_result()
    drift = {name: str(dtype) for name, dtype in schema.items() if dtype != pl.String}
    row_number = pl.col("_row_number").cast(pl.Int64)
    plan = (
        scan.select(_as_text(name, dtype) for name, dtype in schema.items())
        .with_row_index("_row_number", offset=1)
        .with_columns(
            row_number,
            row_number.alias("_line_number"),
            *[pl.when(pl.col(c).str.len_bytes() > 0).then(pl.col(c)).alias(c) for c in header],  # "" -> null
        )
    )

    def undecodable(error: Exception) -> ReadResult:
        raise BatchRejectedError("file_unreadable", f"{path}: Parquet data cannot be decoded ({error})") from error

    return ReadResult(
        header=header,
        rows=plan,
        rejects=empty_rejects(),
        type_drift=drift,
        row_count=row_count,
        on_plan_error=undecodable,
    )
