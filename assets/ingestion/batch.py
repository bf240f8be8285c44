"""Ingest one landing batch: validate, read, quarantine, write a not-yet-visible partition.

The result is *staged*: its Parquet files sit in temporary folders that readers never glob.
The caller audits it (reconciliation and the raw contract) and only then publishes it, so a
batch that fails its gate is never visible to the layers downstream (write-audit-publish).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa

from assets.ingestion import lake
from assets.ingestion.errors import BatchRejectedError
from assets.ingestion.manifest import Manifest, manifest_fingerprint, read_manifest, validate_manifest
from assets.ingestion.readers import ReadResult, read_file
from assets.ingestion.rules import split_valid
from assets.sources.spec import SourceSpec

# Raw is written once and read a few times: zstd's fastest level costs a little size, not speed to read.
ZSTD_LEVEL = 1
# md5 runs in DuckDB, which hashes one Arrow record batch per thread: cut the input so every core works.
_HASH_BATCH_ROWS = 16_384

LINEAGE_COLUMNS = ("_source", "_batch_id", "_file", "_row_number", "_ingested_at", "_row_hash")
QUARANTINE_COLUMNS = ("_source", "_batch_id", "_file", "_line_number", "rule", "reason", "raw_line", "_ingested_at")


@dataclass
class StagedBatch:
    spec: SourceSpec
    manifest: Manifest
    lake_root: Path
    raw_tmp: Path
    quarantine_tmp: Path
    rows_landed: int = 0
    rows_quarantined: int = 0
    quarantine_by_rule: dict[str, int] = field(default_factory=dict)
    added_columns: tuple[str, ...] = ()
    missing_optional_columns: tuple[str, ...] = ()
    type_drift: dict[str, str] = field(default_factory=dict)
    ingested_at: str = ""
    manifest_sha256: str | None = None

    @property
    def rows_in_manifest(self) -> int:
        return self.manifest.row_count

    @property
    def reconciles(self) -> bool:
        return self.rows_in_manifest == self.rows_landed + self.rows_quarantined

    @property
    def raw_final(self) -> Path:
        return lake.partition_dir(self.lake_root, lake.RAW, self.spec.name, self.manifest.batch_id)

    @property
    def quarantine_final(self) -> Path:
        return lake.partition_dir(self.lake_root, lake.QUARANTINE, self.spec.name, self.manifest.batch_id)

    def summary(self) -> dict:
        return {
            "source": self.spec.name,
            "batch_id": self.manifest.batch_id,
            "kind": self.manifest.kind,
            "extract_time": self.manifest.extract_time,
            "rows_in_manifest": self.rows_in_manifest,
            "rows_landed": self.rows_landed,
            "rows_quarantined": self.rows_quarantined,
            "quarantine_by_rule": self.quarantine_by_rule,
            "added_columns": list(self.added_columns),
            "missing_optional_columns": list(self.missing_optional_columns),
            "type_drift": self.type_drift,
            "ingested_at": self.ingested_at,
            "manifest_sha256": self.manifest_sha256,
        }

    def publish(self) -> None:
        lake.publish(self.raw_tmp, self.raw_final)
        lake.publish(self.quarantine_tmp, self.quarantine_final)
        lake.write_ledger(
            self.lake_root, self.spec.name, self.manifest.batch_id, {**self.summary(), "status": "published"}
        )

    def discard(self) -> None:
        lake.discard(self.raw_tmp)
        lake.discard(self.quarantine_tmp)


def _check_header(spec: SourceSpec, header: tuple[str, ...], path: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Schema drift: a missing required column rejects; added ones are kept and reported."""
    present = set(header)
    missing_required = [c for c in spec.required_columns if c not in present]
    if missing_required:
        raise BatchRejectedError(
            "missing_required_column", f"{path}: required column(s) {', '.join(missing_required)} absent"
        )
    expected = set(spec.column_names)
    added = tuple(c for c in header if c not in expected)
    missing_optional = tuple(c for c in spec.column_names if c not in present)
    return added, missing_optional


def _raw_text(rows: pl.DataFrame, result: ReadResult) -> pl.DataFrame:
    """The raw text of (broken) rows: the reader's lines or rebuild, else (Parquet) the row as JSON."""
    if "raw_line" in rows.columns:
        return rows
    if result.raw_text is not None:
        return rows.with_columns(result.raw_text.alias("raw_line"))
    if result.raw_lines is not None:
        if rows.height == 0:
            return rows.with_columns(pl.lit(None, pl.String).alias("raw_line"))
        return rows.join(result.raw_lines(), on="_line_number", how="left", maintain_order="left")
    return rows.with_columns(pl.struct(list(result.header)).struct.json_encode().alias("raw_line"))


def _row_hashes(framed: pl.DataFrame, columns: list[str]) -> pl.Series:
    """md5(concat_ws(chr(31), coalesce(col, chr(0)) ...)) per row: stable across library versions.

    The input string is built by Polars; the md5 is DuckDB's, fed in record batches so that it
    runs on every core.
    """
    hash_input = framed.select(
        pl.concat_str([pl.col(c).fill_null(chr(0)) for c in columns], separator=chr(31)).alias("h")
    ).to_arrow(compat_level=pl.CompatLevel.newest())  # string views: no copy
    batches = pa.Table.from_batches(hash_input.to_batches(max_chunksize=_HASH_BATCH_ROWS), schema=hash_input.schema)
    with duckdb.connect() as con:
        con.register("hash_input", batches)
        return con.sql("select md5(h) as _row_hash from hash_input").pl()["_row_hash"]


def _write_with_lineage(
    rows: pl.DataFrame,
    columns: list[str],
    spec: SourceSpec,
    batch_id: str,
    file_name: str,
    ingested_at: datetime,
    target: Path,
) -> int:
    """Add lineage columns (the row hash among them) and write the part."""
    framed = rows.select(
        *[pl.col(c) if c in rows.columns else pl.lit(None, pl.String).alias(c) for c in columns],
        pl.lit(spec.name).alias("_source"),
        pl.lit(batch_id).alias("_batch_id"),
        pl.lit(file_name).alias("_file"),
        pl.col("_row_number"),
        pl.lit(ingested_at).dt.replace_time_zone("UTC").alias("_ingested_at"),
    )
    framed.with_columns(_row_hashes(framed, columns)).write_parquet(
        target, compression="zstd", compression_level=ZSTD_LEVEL
    )
    return framed.height


def _empty_quarantine() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "_source": pl.String,
            "_batch_id": pl.String,
            "_file": pl.String,
            "_line_number": pl.Int64,
            "rule": pl.String,
            "reason": pl.String,
            "raw_line": pl.String,
            "_ingested_at": pl.Datetime("us", "UTC"),
        }
    )


def stage_batch(spec: SourceSpec, batch_dir: Path, lake_root: Path, ingested_at: datetime | None = None) -> StagedBatch:
    """Read a whole batch into temporary partitions. Raises BatchRejectedError for batch-level faults."""
    manifest = read_manifest(batch_dir)
    validate_manifest(manifest, spec, batch_dir)
    ingested_at = (ingested_at or datetime.now(UTC)).replace(tzinfo=None)
    staged = StagedBatch(
        spec=spec,
        manifest=manifest,
        lake_root=lake_root,
        raw_tmp=lake.temp_partition_dir(lake_root, lake.RAW, spec.name, manifest.batch_id),
        quarantine_tmp=lake.temp_partition_dir(lake_root, lake.QUARANTINE, spec.name, manifest.batch_id),
        ingested_at=ingested_at.isoformat(),
        manifest_sha256=manifest_fingerprint(batch_dir),
    )
    staged.raw_tmp.mkdir(parents=True)
    staged.quarantine_tmp.mkdir(parents=True)
    quarantine_frames: list[pl.DataFrame] = []
    added_all: list[str] = []
    try:
        for entry in manifest.files:
            path = batch_dir / entry.name
            result = read_file(path, manifest, spec)
            if not result.header and result.rows.height == 0 and result.rejects.height == 0:
                continue  # an empty part of an empty delta: nothing to land
            added, missing_optional = _check_header(spec, result.header, path)
            added_all.extend(c for c in added if c not in added_all)
            staged.missing_optional_columns = missing_optional
            staged.type_drift.update(result.type_drift)
            valid, broken = split_valid(result.rows, spec)
            columns = [*spec.column_names, *added]
            target = staged.raw_tmp / f"{Path(entry.name).stem}.parquet"
            staged.rows_landed += _write_with_lineage(
                valid, columns, spec, manifest.batch_id, entry.name, ingested_at, target
            )
            broken = _raw_text(broken, result)
            rejects = pl.concat(
                [result.rejects, broken.select("_line_number", "raw_line", "rule", "reason")], how="vertical"
            )
            quarantine_frames.append(
                rejects.with_columns(
                    pl.lit(spec.name).alias("_source"),
                    pl.lit(manifest.batch_id).alias("_batch_id"),
                    pl.lit(entry.name).alias("_file"),
                    pl.lit(ingested_at).dt.replace_time_zone("UTC").alias("_ingested_at"),
                ).select(QUARANTINE_COLUMNS)
            )
        quarantine = pl.concat([_empty_quarantine(), *quarantine_frames], how="vertical")
        quarantine.write_parquet(
            staged.quarantine_tmp / "quarantine.parquet", compression="zstd", compression_level=ZSTD_LEVEL
        )
        staged.rows_quarantined = quarantine.height
        staged.quarantine_by_rule = dict(quarantine.group_by("rule").len().sort("rule").iter_rows())
        staged.added_columns = tuple(added_all)
    except BaseException:
        staged.discard()
        raise
    return staged
