"""CSV in every dialect the sources use: `,` or `;`, UTF-8 with or without BOM, Windows-1258."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path

import polars as pl

from assets.ingestion.errors import BatchRejectedError
from assets.ingestion.manifest import Manifest
from assets.ingestion.readers.base import (
    ReadResult,
    compose_tone_marks,
    empty_rejects,
    empty_result,
    encoding_broken,
    encoding_reason,
    needs_composing,
    read_lines,
    utf8_bytes,
)
from assets.sources.spec import SourceSpec

_QUOTED_FIELD = r'"(?:[^"]|"")*"'


def _quoted_lines_agree(data: bytes, delimiter: str, width: int, lines: int) -> pl.DataFrame | None:
    """The part's lines when every one holds ``width`` fields (a part with quotes); None when one may not.

    The lines holding a quote are counted field by field with the quote-aware regex; the others
    together, as for a part without quotes (see ``_read_clean``).
    """
    split = read_lines(data)
    quoted = split.filter(pl.col("raw_line").str.contains('"', literal=True))
    if quoted["_line_number"].min() == 1:
        return None  # a quoted header: the careful path reads it with the csv module
    counts = quoted.select(
        pl.col("raw_line").str.count_matches(delimiter, literal=True).sum().alias("raw"),
        (pl.col("raw_line").str.replace_all(_QUOTED_FIELD, '""').str.count_matches(delimiter, literal=True) + 1)
        .ne(width)
        .any()
        .alias("misfit"),
    ).row(0, named=True)
    others = data.count(delimiter.encode()) - (counts["raw"] or 0)
    if counts["misfit"] or others != (lines - quoted.height) * (width - 1):
        return None
    return split


def _read_clean(data: bytes, delimiter: str, compose: bool, careful: Callable[[], ReadResult]) -> ReadResult | None:
    """The usual case as one streamed Polars parse: a part whose every line is one well-formed record.

    Proven on the bytes at C speed, never assumed: no U+FFFD, every line the header's number of
    fields (without quotes: exactly (fields - 1) delimiters per line in total; with quotes:
    ``_quoted_lines_agree``). What the bytes cannot prove is checked as the plan runs: Polars
    raises on invalid UTF-8 or a long row, and the rows it yields must number the lines (no
    blank line skipped, no quoted field across lines). Either way the part is read again by
    ``careful`` (line by line), which quarantines the broken lines; parts that fail the byte
    checks go there straight away (None).
    """
    if not data or b"\xef\xbf\xbd" in data:
        return None
    try:
        end = data.find(b"\n")
        first = data[: end if end >= 0 else len(data)].rstrip(b"\r").decode("utf-8")
    except UnicodeDecodeError:
        return None
    header = tuple(first.split(delimiter))
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if len(set(header)) != len(header):
        return None
    quoted = b'"' in data
    if quoted:
        part_lines = _quoted_lines_agree(data, delimiter, len(header), lines)
        if part_lines is None:
            return None
    elif data.count(delimiter.encode()) != lines * (len(header) - 1):
        return None  # a short line shows as a shortfall unless a long one makes up for it (Polars raises on that)
    row_number = pl.col("_row_number").cast(pl.Int64)
    plan = (
        pl.scan_csv(
            data,
            has_header=False,
            skip_rows=1,
            new_columns=list(header),
            separator=delimiter,
            quote_char='"' if quoted else None,
            infer_schema=False,
            empty_string_is_null=True,
        )
        .with_row_index("_row_number", offset=1)
        .with_columns(row_number, (row_number + 1).alias("_line_number"))
    )
    if compose:
        plan = plan.with_columns(compose_tone_marks(pl.col(c)).alias(c) for c in header)
    if quoted:  # a quarantined row's raw text is its line (quotes and all), composed like the values
        raw_text = None
        raw_lines = (
            (lambda: part_lines.with_columns(compose_tone_marks(pl.col("raw_line")))) if compose else lambda: part_lines
        )
    else:  # the line, exactly
        raw_text, raw_lines = pl.concat_str([pl.col(c).fill_null("") for c in header], separator=delimiter), None
    return ReadResult(
        header=header,
        rows=plan,
        rejects=empty_rejects(),
        raw_text=raw_text,
        raw_lines=raw_lines,
        row_count=lines - 1,
        on_plan_error=lambda _error: careful(),
    )


def read_csv(path: Path, manifest: Manifest, spec: SourceSpec) -> ReadResult:
    """Read a delimited file, quarantining lines that break the dialect.

    Assumes one record per physical line (the sources' documented dialect); a field with an
    embedded newline therefore shows up as broken lines in quarantine rather than as silently
    merged values. Windows-1258 text (base letter + combining tone mark) is recomposed to NFC,
    value by value, as it is parsed.
    """
    delimiter = manifest.delimiter or spec.delimiter or ","
    data = utf8_bytes(path, manifest.encoding, compose=False)
    compose = needs_composing(manifest.encoding)

    def careful() -> ReadResult:
        return _read_by_line(path, data, delimiter, manifest.encoding, compose)

    return _read_clean(data, delimiter, compose, careful) or careful()


def _read_by_line(path: Path, data: bytes, delimiter: str, encoding: str, compose: bool) -> ReadResult:
    """Split the part into lines, quarantine those that break the dialect, parse the rest."""
    lines = read_lines(data)
    if lines.height == 0:
        if path.stat().st_size == 0:
            return empty_result()
        raise BatchRejectedError("file_empty", f"{path}: no header line")
    if compose:
        lines = lines.with_columns(compose_tone_marks(pl.col("raw_line")))

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
        .then(pl.lit(encoding_reason(encoding)))
        .otherwise(pl.format("{} fields, header has " + str(len(header)), pl.col("_fields")))
        .alias("reason"),
    )
    good = body.filter(pl.col("rule").is_null())
    if good.height:
        # every line well-formed (the usual case): parse the part as it is, else only the good lines
        whole = good.height == body.height and not compose  # composed text lives in the lines, not the bytes
        source = data if whole else (good["raw_line"].str.join("\n")[0] + "\n").encode()
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
