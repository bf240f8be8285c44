"""CSV in every dialect the sources use: `,` or `;`, UTF-8 with or without BOM, Windows-1258."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import polars as pl

from assets.ingestion.errors import BatchRejectedError
from assets.ingestion.manifest import Manifest
from assets.ingestion.readers.base import (
    ReadResult,
    empty_rejects,
    empty_result,
    encoding_broken,
    encoding_reason,
    read_lines,
    utf8_bytes,
)
from assets.sources.spec import SourceSpec

_QUOTED_FIELD = r'"(?:[^"]|"")*"'


def _read_clean(data: bytes, delimiter: str) -> ReadResult | None:
    """The usual case in one Polars parse: a part with no quotes whose every line is well-formed.

    Proven on the bytes at C speed, never assumed: no U+FFFD and no quote character, Polars
    parses it (invalid UTF-8 or a long row raises), one record per line (no blank line) and
    exactly (fields - 1) delimiters per line in total (so no short row either). Anything else
    returns None and the part takes the line-by-line path, which quarantines the broken lines.
    """
    if not data or b'"' in data or b"\xef\xbf\xbd" in data:
        return None
    try:
        end = data.find(b"\n")
        first = data[: end if end >= 0 else len(data)].rstrip(b"\r").decode("utf-8")
    except UnicodeDecodeError:
        return None
    header = tuple(first.split(delimiter))
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if len(set(header)) != len(header) or data.count(delimiter.encode()) != lines * (len(header) - 1):
        return None
    try:
        parsed = pl.read_csv(
            data,
            has_header=False,
            skip_rows=1,
            new_columns=list(header),
            separator=delimiter,
            quote_char=None,
            infer_schema=False,
            empty_string_is_null=True,
        )
    except pl.exceptions.PolarsError:
        return None
    if parsed.height != lines - 1:
        return None  # a blank line was skipped
    rows = parsed.with_columns(
        pl.int_range(1, parsed.height + 1, dtype=pl.Int64).alias("_row_number"),
        pl.int_range(2, parsed.height + 2, dtype=pl.Int64).alias("_line_number"),
    )
    raw_text = pl.concat_str([pl.col(c).fill_null("") for c in header], separator=delimiter)  # the line, exactly
    return ReadResult(header=header, rows=rows, rejects=empty_rejects(), raw_text=raw_text)


def read_csv(path: Path, manifest: Manifest, spec: SourceSpec) -> ReadResult:
    """Read a delimited file line by line, quarantining lines that break the dialect.

    Assumes one record per physical line (the sources' documented dialect); a field with an
    embedded newline therefore shows up as broken lines in quarantine rather than as silently
    merged values. Windows-1258 text (base letter + combining tone mark) is decoded as is;
    staging normalises names to NFC.
    """
    delimiter = manifest.delimiter or spec.delimiter or ","
    data = utf8_bytes(path, manifest.encoding)
    fast = _read_clean(data, delimiter)
    if fast is not None:
        return fast
    lines = read_lines(data)
    if lines.height == 0:
        if path.stat().st_size == 0:
            return empty_result()
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
        pl.when(encoding_broken())
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
        .then(pl.lit(encoding_reason(manifest.encoding)))
        .otherwise(pl.format("{} fields, header has " + str(len(header)), pl.col("_fields")))
        .alias("reason"),
    )
    good = body.filter(pl.col("rule").is_null())
    if good.height:
        # every line well-formed (the usual case): parse the part as it is, else only the good lines
        source = data if good.height == body.height else (good["raw_line"].str.join("\n")[0] + "\n").encode()
        parsed = pl.read_csv(
            source,
            has_header=False,
            skip_rows=1 if source is data else 0,
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
