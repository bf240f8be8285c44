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
    rows: pl.DataFrame  # header columns (String) + _row_number, _line_number (Int64) [+ raw_line]
    rejects: pl.DataFrame  # REJECT_SCHEMA
    # columns whose physical type was not text and were cast to text ({column: arrived type})
    type_drift: dict[str, str] = field(default_factory=dict)
    # how to rebuild a row's raw text when ``rows`` carries no ``raw_line`` (only quarantined rows need it)
    raw_text: pl.Expr | None = None
    # or the file's lines (``_line_number``, ``raw_line``), produced only when some row is quarantined
    raw_lines: Callable[[], pl.DataFrame] | None = None


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


def _cp1258_compositions() -> tuple[dict[str, str], str]:
    """Every (code-page character, combining tone mark) pair NFC changes, and a class matching the marks."""
    chars = bytes(range(256)).decode("cp1258", errors="replace")
    marks = [c for c in chars if unicodedata.combining(c)]
    pairs = {c + m: unicodedata.normalize("NFC", c + m) for c in chars for m in marks}
    return {k: v for k, v in pairs.items() if k != v}, "[" + "".join(marks) + "]"


_CP1258_PAIRS, _CP1258_MARK = _cp1258_compositions()


def _nfc_cp1258(text: str) -> pl.Series:
    """NFC of Windows-1258 text as a one-element String Series, composed pair by pair (vectorised).

    Each code-page character is NFC-stable alone, so composing every (character, tone mark) pair
    is NFC exactly when no mark is left over (two marks in a row, a mark after a character it
    does not compose with): then the whole text goes through ``unicodedata.normalize``.
    """
    utf8 = pl.Series("text", [text.encode("utf-8")], dtype=pl.Binary).cast(pl.String)  # cheaper than from the str
    composed = utf8.str.replace_many(_CP1258_PAIRS)
    if composed.str.contains(_CP1258_MARK).any():
        return pl.Series("text", [unicodedata.normalize("NFC", text)])
    return composed


def _decoded(path: Path, encoding: str) -> str | pl.Series:
    data = path.read_bytes()
    codec = encoding.lower().replace("_", "-")
    if codec in ("utf-8-sig", "utf8-sig"):
        codec = "utf-8"
    if data.startswith(b"\xef\xbb\xbf") and codec in ("utf-8", "utf8"):
        data = data[3:]
    try:
        text = data.decode(codec, errors="replace")
    except LookupError as exc:
        raise BatchRejectedError("unknown_encoding", f"{path}: encoding {encoding!r} is not known") from exc
    if codec in _CP1258:
        # The code page carries tone marks only as combining characters: recompose, since the
        # decomposition is an artefact of the encoding, not of the source data.
        return _nfc_cp1258(text)
    return text


def decode(path: Path, encoding: str) -> str:
    """Whole-part decode; undecodable bytes become U+FFFD so the row (not the batch) is quarantined."""
    text = _decoded(path, encoding)
    return text if isinstance(text, str) else text[0]


def _codec(encoding: str) -> str:
    codec = encoding.lower().replace("_", "-")
    return "utf-8" if codec in ("utf-8-sig", "utf8-sig", "utf8") else codec


def utf8_bytes(path: Path, encoding: str) -> bytes:
    """The part as UTF-8 bytes without BOM; UTF-8 files are passed through untouched (no decode)."""
    if _codec(encoding) == "utf-8":
        data = path.read_bytes()
        return data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    text = _decoded(path, encoding)
    return text.encode("utf-8") if isinstance(text, str) else text.cast(pl.Binary)[0]


def read_lines(data: bytes) -> pl.DataFrame:
    """Physical lines with their 1-based number (``_line_number``, ``raw_line``).

    Polars' CSV reader with a NUL separator and no quoting is a fast, multi-threaded line
    splitter; invalid UTF-8 becomes U+FFFD (lossy), which marks the line for quarantine. A
    NUL byte inside a line cuts its raw text there (a NUL is never valid source text).
    """
    if not data:
        return pl.DataFrame(schema={"_line_number": pl.Int64, "raw_line": pl.String})
    return (
        pl.read_csv(
            data,
            has_header=False,
            separator="\x00",
            quote_char=None,
            new_columns=["raw_line"],
            infer_schema=False,
            encoding="utf8-lossy",
            truncate_ragged_lines=True,
        )
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
