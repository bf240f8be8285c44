"""Ingest one landing batch: validate, read, quarantine, write a not-yet-visible partition.

The result is *staged*: its Parquet files sit in temporary folders that readers never glob.
The caller audits it (reconciliation and the raw contract) and only then publishes it, so a
batch that fails its gate is never visible to the layers downstream (write-audit-publish).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import polars_hash as plh

from assets.ingestion import lake
from assets.ingestion.errors import BatchRejectedError
from assets.ingestion.manifest import (
    Manifest,
    manifest_fingerprint,
    read_manifest,
    validate_manifest,
    verify_checksums,
)
from assets.ingestion.readers import ReadResult, read_file
from assets.ingestion.rules import broken, label_broken
from assets.sources.spec import SourceSpec

# Raw is written once and read a few times: zstd's fastest level costs a little size, not speed to read.
ZSTD_LEVEL = 1
# Parts of one batch staged at the same time (see stage_batch).
PARTS_IN_FLIGHT = 2

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
            "row_hash": ROW_HASH,
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


# What ``_row_hash`` is, recorded in every ledger entry (lineage of the definition itself).
ROW_HASH = "xxh3-128 hex of concat_ws(chr(31), coalesce(value, chr(0)) ...) over the spec's columns then added ones"


def row_hash(columns: list[str]) -> pl.Expr:
    """XXH3-128 of the row's values joined by chr(31) (null as chr(0)), as 32 lowercase hex digits.

    Change detection and lineage need a stable, collision-safe fingerprint, not a cryptographic
    one: XXH3's output is frozen by its specification (xxHash >= 0.8), 128 bits keep collisions
    out of reach, and it costs a fraction of md5 (which it replaced: md5 was a quarter of a part's
    CPU). Polars' own ``hash`` is not stable across versions; polars-hash's is, and as an
    expression it runs inside the streaming write on every core. The digest is XXH3's canonical
    (big-endian) one, the same as ``xxhash.xxh3_128_hexdigest`` (tested).
    """
    joined = plh.concat_str([pl.col(c).fill_null(chr(0)) for c in columns], separator=chr(31))
    return joined.nchash.xxh3_128(return_binary=True, byte_order="big").bin.encode("hex")


def _write_with_lineage(
    rows: pl.LazyFrame,
    columns: list[str],
    spec: SourceSpec,
    batch_id: str,
    file_name: str,
    ingested_at: datetime,
    target: Path,
) -> int:
    """Add lineage columns (the row hash among them) and stream the part to Parquet; return its row count."""
    present = set(rows.collect_schema().names())
    rows.select(
        *[pl.col(c) if c in present else pl.lit(None, pl.String).alias(c) for c in columns],
        pl.lit(spec.name).alias("_source"),
        pl.lit(batch_id).alias("_batch_id"),
        pl.lit(file_name).alias("_file"),
        pl.col("_row_number"),
        pl.lit(ingested_at).dt.replace_time_zone("UTC").alias("_ingested_at"),
    ).with_columns(row_hash(columns).alias("_row_hash")).sink_parquet(
        target, compression="zstd", compression_level=ZSTD_LEVEL
    )
    return int(pl.scan_parquet(target).select(pl.len()).collect().item())  # from the footer: no data read


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


class _PlanFailedError(Exception):
    """A reader's plan failed as it ran, or yielded another row count than it promised."""


def _land(
    result: ReadResult,
    spec: SourceSpec,
    columns: list[str],
    batch_id: str,
    file_name: str,
    ingested_at: datetime,
    target: Path,
) -> tuple[int, pl.DataFrame]:
    """Write the rows that pass the rules (one streamed pass); return their count and the broken rows.

    The broken rows are worked out by a second pass only when some row was held back.
    """
    present = set(result.header)
    rows = result.rows.lazy()
    is_broken = broken(spec, present)
    lazy = isinstance(result.rows, pl.LazyFrame)
    try:
        landed = _write_with_lineage(
            rows if is_broken is None else rows.filter(~is_broken),
            columns,
            spec,
            batch_id,
            file_name,
            ingested_at,
            target,
        )
        held_back = landed != result.height  # only then is the plan run a second time
        broken_rows = label_broken(rows if held_back else rows.clear(), spec, present)
    except pl.exceptions.PolarsError as error:
        if not lazy:
            raise
        raise _PlanFailedError(str(error)) from error
    if landed + broken_rows.height != result.height:
        if lazy:
            raise _PlanFailedError(f"{landed} + {broken_rows.height} rows read, {result.height} expected")
        raise RuntimeError(f"{file_name}: {landed} + {broken_rows.height} rows written, {result.height} read")
    return landed, broken_rows


@dataclass(frozen=True)
class _StagedPart:
    rows_landed: int
    quarantine: pl.DataFrame  # QUARANTINE_COLUMNS
    added: tuple[str, ...]
    missing_optional: tuple[str, ...]
    type_drift: dict[str, str]


def _stage_part(
    spec: SourceSpec, manifest: Manifest, batch_dir: Path, file_name: str, raw_tmp: Path, ingested_at: datetime
) -> _StagedPart | None:
    """Read one file of the batch, write its valid rows to ``raw_tmp`` and return its quarantine."""
    path = batch_dir / file_name
    target = raw_tmp / f"{Path(file_name).stem}.parquet"
    result = read_file(path, manifest, spec)
    while True:
        if result.is_empty:
            return None  # an empty part of an empty delta: nothing to land
        added, missing_optional = _check_header(spec, result.header, path)
        columns = [*spec.column_names, *added]
        try:
            landed, broken_rows = _land(result, spec, columns, manifest.batch_id, file_name, ingested_at, target)
            break
        except _PlanFailedError as error:
            if result.on_plan_error is None:  # never: a lazy result always has one
                raise
            result = result.on_plan_error(error)  # read again the careful way (or reject the batch)
    broken_rows = _raw_text(broken_rows, result)
    rejects = pl.concat(
        [result.rejects, broken_rows.select("_line_number", "raw_line", "rule", "reason")], how="vertical"
    )
    quarantine = rejects.with_columns(
        pl.lit(spec.name).alias("_source"),
        pl.lit(manifest.batch_id).alias("_batch_id"),
        pl.lit(file_name).alias("_file"),
        pl.lit(ingested_at).dt.replace_time_zone("UTC").alias("_ingested_at"),
    ).select(QUARANTINE_COLUMNS)
    return _StagedPart(landed, quarantine, added, missing_optional, dict(result.type_drift))


def stage_batch(spec: SourceSpec, batch_dir: Path, lake_root: Path, ingested_at: datetime | None = None) -> StagedBatch:
    """Read a whole batch into temporary partitions. Raises BatchRejectedError for batch-level faults.

    Parts are staged ``PARTS_IN_FLIGHT`` at a time: one part's single-threaded steps overlap
    another's multi-threaded ones, and memory follows that many parts, not the batch. The
    files' checksums are verified beside the parse; a mismatch rejects the batch (and wins over
    any fault the parse found) before anything can be published.
    """
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
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="checksums") as checksums:
        verified = checksums.submit(verify_checksums, manifest, batch_dir)
        try:
            _stage_parts(staged, batch_dir, ingested_at)
        except BaseException:
            staged.discard()
            verified.result()  # a checksum mismatch is the batch's fault, whatever the parse made of it
            raise
        try:
            verified.result()
        except BaseException:
            staged.discard()
            raise
    return staged


def _stage_parts(staged: StagedBatch, batch_dir: Path, ingested_at: datetime) -> None:
    """Stage every part, ``PARTS_IN_FLIGHT`` at a time, and the batch's quarantine."""
    spec, manifest = staged.spec, staged.manifest
    with ThreadPoolExecutor(max_workers=PARTS_IN_FLIGHT, thread_name_prefix="stage-part") as pool:
        futures = [
            pool.submit(_stage_part, spec, manifest, batch_dir, entry.name, staged.raw_tmp, ingested_at)
            for entry in manifest.files
        ]
        try:
            parts = [part for future in futures if (part := future.result()) is not None]
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    added_all: list[str] = []
    for part in parts:  # in manifest order, as if read one after the other
        added_all.extend(c for c in part.added if c not in added_all)
        staged.missing_optional_columns = part.missing_optional
        staged.type_drift.update(part.type_drift)
        staged.rows_landed += part.rows_landed
    quarantine = pl.concat([_empty_quarantine(), *(part.quarantine for part in parts)], how="vertical")
    quarantine.write_parquet(
        staged.quarantine_tmp / "quarantine.parquet", compression="zstd", compression_level=ZSTD_LEVEL
    )
    staged.rows_quarantined = quarantine.height
    staged.quarantine_by_rule = dict(quarantine.group_by("rule").len().sort("rule").iter_rows())
    staged.added_columns = tuple(added_all)
