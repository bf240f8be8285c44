"""What every reader returns, and the text helpers the line-oriented readers share."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from assets.ingestion.errors import BatchRejectedError

REJECT_SCHEMA = {"_line_number": pl.Int64, "raw_line": pl.String, "rule": pl.String, "reason": pl.String}
REPLACEMENT_CHAR = "\ufffd"


@dataclass(frozen=True)
class ReadResult:
    header: tuple[str, ...]  # the columns the file carries, in file order
    # header columns (String) + _row_number, _line_number (Int64) [+ raw_line]: read already, or
    # a plan (LazyFrame) that the writer streams straight to Parquet, parsed once, on every core
    rows: pl.DataFrame | pl.LazyFrame
    rejects: pl.DataFrame  # REJECT_SCHEMA
    # columns whose physical type was not text and were cast to text ({column: arrived type})
    type_drift: dict[str, str] = field(default_factory=dict)
    # how to rebuild a row's raw text when ``rows`` carries no ``raw_line`` (only quarantined rows need it)
    raw_text: pl.Expr | None = None
    # or the file's lines (``_line_number``, ``raw_line``), produced only when some row is quarantined
    raw_lines: Callable[[], pl.DataFrame] | None = None
    # a plan's row count, known without running it (a DataFrame knows its own)
    row_count: int | None = None
    # a plan that fails while it runs (or yields another row count) is read again by this, which
    # returns a result read the careful way or raises BatchRejectedError
    on_plan_error: Callable[[Exception], ReadResult] | None = None

    def __post_init__(self) -> None:
        if isinstance(self.rows, pl.LazyFrame) and (self.row_count is None or self.on_plan_error is None):
            raise ValueError("a lazy ReadResult needs its row_count and an on_plan_error")

    @property
    def height(self) -> int:
        """Rows the reader yields (before the row rules)."""
        return self.rows.height if isinstance(self.rows, pl.DataFrame) else int(self.row_count or 0)

    @property
    def is_empty(self) -> bool:
        return not self.header and self.height == 0 and self.rejects.height == 0


def empty_rejects() -> pl.DataFrame:
    return pl.DataFrame(schema=REJECT_SCHEMA)


def empty_result() -> ReadResult:
    """A file that declares zero records (an empty delta part)."""
    return ReadResult(
        header=(),
        rows=pl.DataFrame(schema={"_row_number": pl.Int64, "_line_number": pl.Int64}),
        rejects=empty_rejects(),
    )


_CP1258 = ("cp1258", "windows-1258")
# The code page's combining tone marks (grave, acute, tilde, hook, dot below): every other
# character it holds is NFC-stable alone, so a value without one of these is already NFC.
_CP1258_MARK = "[" + "".join(c for c in bytes(range(256)).decode("cp1258", "replace") if unicodedata.combining(c)) + "]"


def compose_tone_marks(text: pl.Expr) -> pl.Expr:
    """NFC of Windows-1258 text, touching only the values that hold a combining tone mark.

    The code page carries tone marks only as combining characters; that decomposition is an
    artefact of the encoding, not of the source data, so it is undone as the text is read.
    """
    return pl.when(text.str.contains(_CP1258_MARK)).then(text.str.normalize("NFC")).otherwise(text)


def _codec(encoding: str) -> str:
    codec = encoding.lower().replace("_", "-")
    return "utf-8" if codec in ("utf-8-sig", "utf8-sig", "utf8") else codec


def needs_decoding(encoding: str) -> bool:
    """Whether the part's bytes differ from its UTF-8 text (anything but UTF-8, with or without BOM)."""
    return _codec(encoding) != "utf-8"


def needs_composing(encoding: str) -> bool:
    """Whether text decoded from this encoding must go through ``compose_tone_marks``."""
    return _codec(encoding) in _CP1258


def _decoded(path: Path, encoding: str, compose: bool) -> str:
    data = path.read_bytes()
    codec = _codec(encoding)
    if data.startswith(b"\xef\xbb\xbf") and codec == "utf-8":
        data = data[3:]
    try:
        text = data.decode(codec, errors="replace")
    except LookupError as exc:
        raise BatchRejectedError("unknown_encoding", f"{path}: encoding {encoding!r} is not known") from exc
    if compose and needs_composing(encoding):
        return pl.select(compose_tone_marks(pl.lit(text))).item()
    return text


def decode(path: Path, encoding: str) -> str:
    """Whole-part decode; undecodable bytes become U+FFFD so the row (not the batch) is quarantined."""
    return _decoded(path, encoding, compose=True)


def utf8_bytes(path: Path, encoding: str, *, compose: bool = True) -> bytes:
    """The part as UTF-8 bytes without BOM; UTF-8 files are passed through untouched (no decode).

    ``compose=False`` leaves Windows-1258 tone marks decomposed, for a reader that composes
    value by value (see ``compose_tone_marks``), in parallel and only where a mark is.
    """
    if _codec(encoding) == "utf-8":
        data = path.read_bytes()
        return data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    return _decoded(path, encoding, compose).encode("utf-8")


# Polars' CSV reader as a fast, multi-threaded line splitter: a NUL separator, no quoting, one text column.
LINE_SPLITTER = {
    "has_header": False,
    "separator": "\x00",
    "quote_char": None,
    "new_columns": ["raw_line"],
    "infer_schema": False,
}


def read_lines(data: bytes) -> pl.DataFrame:
    """Physical lines with their 1-based number (``_line_number``, ``raw_line``).

    Split by ``LINE_SPLITTER``; invalid UTF-8 becomes U+FFFD (lossy), which marks the line for
    quarantine. A NUL byte inside a line cuts its raw text there (a NUL is never valid source text).
    """
    if not data:
        return pl.DataFrame(schema={"_line_number": pl.Int64, "raw_line": pl.String})
    return (
        pl.read_csv(data, **LINE_SPLITTER, encoding="utf8-lossy", truncate_ragged_lines=True)
        .select(pl.col("raw_line").fill_null("").str.strip_suffix("\r"))
        .with_row_index("_line_number", offset=1)
        .with_columns(pl.col("_line_number").cast(pl.Int64))
    )


def split_lines(text: str) -> pl.DataFrame:
    """Physical lines with their 1-based number (``_line_number``, ``raw_line``); the final newline ends a line."""
    lines = (
        pl.DataFrame({"raw_line": [text]})
        .select(pl.col("raw_line").str.split("\n"))
        .explode("raw_line")
        .with_columns(pl.col("raw_line").str.strip_suffix("\r"))
        .with_row_index("_line_number", offset=1)
        .with_columns(pl.col("_line_number").cast(pl.Int64))
    )
    if lines.height and lines["raw_line"][-1] == "":
        lines = lines.slice(0, lines.height - 1)
    return lines


def encoding_broken(column: str = "raw_line") -> pl.Expr:
    return pl.col(column).str.contains(REPLACEMENT_CHAR, literal=True)


def encoding_reason(encoding: str) -> str:
    return f"bytes not valid in declared encoding {encoding}"
