"""Format readers: one landing file -> (parsed rows, rejected records).

Every reader returns the same :class:`ReadResult`: the file's columns as source text (the raw
lake is an immutable copy of what was received; staging does the real typing) with
``_row_number`` (1-based record index in the file) and ``_line_number``, and a frame of records
it could not read with the line, the raw text and the rule broken. Work is vectorised (Polars,
DuckDB for JSON); a file is one *part* of a batch, so memory follows the part size, not the
batch size.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from assets.ingestion.errors import BatchRejectedError
from assets.ingestion.manifest import Manifest
from assets.ingestion.readers.base import REJECT_SCHEMA, ReadResult, empty_rejects
from assets.ingestion.readers.delimited import read_csv
from assets.ingestion.readers.jsonl import read_jsonl
from assets.ingestion.readers.parquet import read_parquet
from assets.ingestion.readers.xml import read_xml
from assets.sources.spec import SourceSpec

Reader = Callable[[Path, Manifest, SourceSpec], ReadResult]

READERS: dict[str, Reader] = {
    "csv": read_csv,
    "jsonl": read_jsonl,
    "parquet": read_parquet,
    "xml": read_xml,
}


def read_file(path: Path, manifest: Manifest, spec: SourceSpec) -> ReadResult:
    try:
        reader = READERS[manifest.format]
    except KeyError:
        raise BatchRejectedError("unsupported_format", f"{path}: no reader for format {manifest.format!r}") from None
    return reader(path, manifest, spec)


__all__ = ["READERS", "REJECT_SCHEMA", "ReadResult", "empty_rejects", "read_file"]
