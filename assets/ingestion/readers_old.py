"""Format readers: one landing file -> (parsed rows, rejected lines).

Readers keep every value as source text (the raw lake is an immutable copy of what was
received); staging does the real typing. Each reader returns the parsed rows with a
``_row_number`` (1-based record index in the file) and a frame of lines it could not read,
with the physical line number, the raw text and the rule broken. Work is vectorised in
Polars; a file is processed as a whole, and sources split big extracts into parts, so memory
follows the part size rather than the batch size.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from assets.ingestion.errors import BatchRejectedError
from assets.ingestion.manifest import Manifest

REJECT_SCHEMA = {"_line_number": pl.Int64, "raw_line": pl.String, "rule": pl.String, "reason": pl.String}
_QUOTED_FIELD = r'"(?:[^"]|"")*"'


@dataclass(frozen=True)
class ReadResult:
    header: tuple[str, ...]
    rows: pl.DataFrame  # source columns (String) + _row_number (Int64) + _line_number + raw_line
    rejects: pl.DataFrame  # REJECT_SCHEMA


def empty_rejects() -> pl.DataFrame:
    return pl.DataFrame(schema=REJECT_SCHEMA)


def _decode(path: Path, encoding: str) -> str:
    data = path.read_bytes()
    codec = encoding.lower().replace("_", "-")
    if codec in ("utf-8-sig", "utf8-sig"):
        codec = "utf-8"
    if data.startswith(b"\xef\xbb\xbf") and codec in ("utf-8", "utf8"):
        data = data[3:]
    try:
        # errors="replace" keeps the line; U+FFFD then marks it for row-level quarantine.
        return data.decode(codec, errors="replace")
    except LookupError as exc:
        raise BatchRejectedError("unknown_encoding", f"{path}: encoding {encoding!r} is not known") from exc


def read_csv(path: Path, manifest: Manifest) -> ReadResult:
    """Read a delimited file line by line, quarantining lines that break the dialect.

    Assumes one record per physical line (the sources' documented dialect); a field with an
    embedded newline therefore shows up as broken lines in quarantine rather than as silently
    merged values.
    """
    delimiter = manifest.delimiter or ","
    text = _decode(path, manifest.encoding)
    lines = (
        pl.DataFrame({"raw_line": [text]})
        .select(pl.col("raw_line").str.split("\n"))
        .explode("raw_line")
        .with_columns(pl.col("raw_line").str.strip_suffix("\r"))
        .with_row_index("_line_number", offset=1)
        .with_columns(pl.col("_line_number").cast(pl.Int64))
    )
    del text
    if lines.height and lines["raw_line"][-1] == "":
        lines = lines.slice(0, lines.height - 1)  # the file's final newline
    if lines.height == 0:
        raise BatchRejectedError("file_empty", f"{path}: no header line")

    header = tuple(next(csv.reader([lines["raw_line"][0]], delimiter=delimiter)))
    body = lines.slice(1).with_columns(
        (pl.col("_line_number") - 1).alias("_row_number"),
        pl.col("raw_line")
        .str.replace_all(_QUOTED_FIELD, '""')
        .str.count_matches(re.escape(delimiter), literal=True)
        .add(1)
        .alias("_fields"),
    )
    broken_rule = (
        pl.when(pl.col("raw_line").str.contains("\ufffd", literal=True))
        .then(pl.lit("encoding"))
        .when(pl.col("_fields") != len(header))
        .then(pl.lit("column_count"))
    )
    body = body.with_columns(broken_rule.alias("rule"))
    rejects = body.filter(pl.col("rule").is_not_null()).select(
        "_line_number",
        "raw_line",
        "rule",
        pl.when(pl.col("rule") == "encoding")
        .then(pl.lit(f"bytes not valid in declared encoding {manifest.encoding}"))
        .otherwise(pl.format("{} fields, header has " + str(len(header)), pl.col("_fields")))
        .alias("reason"),
    )
    good = body.filter(pl.col("rule").is_null())
    if good.height:
        parsed = pl.read_csv(
            (good["raw_line"].str.join("\n")[0] + "\n").encode("utf-8"),
            has_header=False,
            new_columns=list(header),
            separator=delimiter,
            quote_char='"',
            infer_schema=False,
            empty_string_is_null=True,
        )
    else:
        parsed = pl.DataFrame(schema=dict.fromkeys(header, pl.String))
    rows = parsed.with_columns(
        good["_row_number"].alias("_row_number"),
        good["_line_number"].alias("_line_number"),
        good["raw_line"].alias("raw_line"),
    )
    return ReadResult(header=header, rows=rows, rejects=rejects)


READERS: dict[str, Callable[[Path, Manifest], ReadResult]] = {
    "csv": read_csv,
}


def read_file(path: Path, manifest: Manifest) -> ReadResult:
    try:
        reader = READERS[manifest.format]
    except KeyError:
        raise BatchRejectedError("unsupported_format", f"{path}: no reader for format {manifest.format!r}") from None
    return reader(path, manifest)
