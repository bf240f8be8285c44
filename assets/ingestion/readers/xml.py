"""XML extracts: ``<records>`` root, one ``<record>`` per row, one child element per column.

Why not an XML parser: lxml is not installed and ``xml.etree.iterparse`` is a Python loop per
record (and one malformed record aborts the whole document). The shape is flat, so records are
cut at their ``<record>`` start tags and parsed with vectorised Polars string expressions:
each record is exploded into its elements (``<name>text</name>`` or ``<name/>``), checked
(open and close names agree, no repeated element, only the five predefined entities), then
pivoted back to one row per record. A record that fails any check is quarantined with its line
number and raw text; the rest of the file proceeds. A document whose prolog or root element is
broken (not XML, or truncated before ``</records>``) rejects the batch.
Numeric character references (``&#233;``) are kept verbatim: the sources do not emit them.
"""

from __future__ import annotations

import mmap
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl

from assets.ingestion.errors import BatchRejectedError
from assets.ingestion.manifest import Manifest
from assets.ingestion.readers.base import (
    LINE_SPLITTER,
    REPLACEMENT_CHAR,
    ReadResult,
    decode,
    empty_rejects,
    empty_result,
    encoding_broken,
    encoding_reason,
    needs_decoding,
    read_lines,
    utf8_bytes,
)
from assets.sources.spec import SourceSpec

RECORD = "record"
_NAME = r"[A-Za-z_][\w.\-]*"
_PROLOG = re.compile(rf"\A\s*(?:<\?xml[^>]*\?>)?\s*(?:<!--.*?-->\s*)*<({_NAME})(?:\s[^>]*)?>", re.S)
_ELEMENT = rf"<{_NAME}>[^<>]*</{_NAME}>|<{_NAME}\s*/>"
_RECORD_SHAPE = rf"^<{RECORD}>(?:{_ELEMENT})*</{RECORD}>$"
_ENTITIES = r"&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);"


def _body(text: str, path: Path) -> tuple[str, int]:
    """Strip prolog and root; return the record area and the line it starts on."""
    prolog = _PROLOG.match(text)
    if not prolog:
        raise BatchRejectedError("file_malformed", f"{path}: no XML root element")
    root = prolog.group(1)
    tail = text.rstrip()
    closing = f"</{root}>"
    if not tail.endswith(closing):
        raise BatchRejectedError("file_malformed", f"{path}: root element <{root}> is not closed (truncated?)")
    return tail[prolog.end() : len(tail) - len(closing)], text.count("\n", 0, prolog.end()) + 1


def _split_at_records(text: pl.Expr, body: str) -> pl.Expr:
    """Cut before every record start tag (a literal replace unless a start tag carries attributes)."""
    if f"<{RECORD} " in body:
        text = text.str.replace_all(rf"<{RECORD}(?:\s[^>]*)?>", f"\x00<{RECORD}>")
    else:
        text = text.str.replace_all(f"<{RECORD}>", f"\x00<{RECORD}>", literal=True)
    return text.str.split("\x00")


def _records_one_per_line(body: str, first_line: int) -> pl.DataFrame | None:
    """The sources' layout (one record per line) split by Polars' fast line reader; None if not that layout."""
    lines = read_lines(body.encode("utf-8")).filter(pl.col("raw_line").str.strip_chars() != "")
    line = pl.col("raw_line").str.strip_chars()
    whole = line.str.starts_with(f"<{RECORD}>") & line.str.ends_with(f"</{RECORD}>")
    if lines.height != body.count(f"<{RECORD}") or not lines.select(whole.all()).item():
        return None
    return lines.select(
        (pl.col("_line_number") + first_line - 1).alias("_line_number"),
        line.alias("raw_line"),
        pl.int_range(1, lines.height + 1, dtype=pl.Int64).alias("_row_number"),
        line.alias("_compact"),
    )


def _records(body: str, first_line: int) -> pl.DataFrame:
    """One row per ``<record>`` with the line it starts on, its raw text and a compact form."""
    fast = _records_one_per_line(body, first_line)
    if fast is not None:
        return fast
    chunks = (
        pl.DataFrame({"raw_line": [body]})
        .select(_split_at_records(pl.col("raw_line"), body))
        .explode("raw_line")
        .with_columns(pl.col("raw_line").str.count_matches("\n", literal=True).alias("_nl"))
        .with_columns(
            (pl.col("_nl").cum_sum().shift(1, fill_value=0) + first_line).cast(pl.Int64).alias("_line_number")
        )
    )
    lead = chunks["raw_line"][0]
    if lead.strip():
        raise BatchRejectedError("file_malformed", f"content outside <{RECORD}> elements: {lead.strip()[:80]!r}")
    records = chunks.slice(1).with_columns(pl.col("raw_line").str.strip_chars())
    records = records.with_row_index("_row_number", offset=1).with_columns(pl.col("_row_number").cast(pl.Int64))
    if records["raw_line"].str.contains("\n", literal=True).any():  # pretty-printed: join a record's lines
        return records.with_columns(pl.col("raw_line").str.replace_all(r">\s*\n\s*<", "><").alias("_compact"))
    return records.with_columns(pl.col("raw_line").alias("_compact"))


_PREDEFINED = {"&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'", "&amp;": "&"}


def _unescape(expr: pl.Expr) -> pl.Expr:
    """The five predefined entities, in one left-to-right pass (``&amp;lt;`` stays ``&lt;``)."""
    return expr.str.replace_many(list(_PREDEFINED), list(_PREDEFINED.values()))


Buffer = bytes | mmap.mmap
_SCAN_BYTES = 1 << 20
_NEWLINE = ord("\n")
_UNDEFINED_ENTITY = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);)")


def _layout(data: Buffer) -> tuple[int, int, int] | None:
    """Where the records of the sources' layout sit: (head lines, body start, body end) byte offsets.

    The layout: prolog and root start tag on the first one or two lines, then one record per
    line, then the root's end tag alone on the last line. None when the part is not laid out so.
    Only the head and the tail are looked at: no copy of the part is made.
    """
    first = data.find(b"\n")
    second = data.find(b"\n", first + 1) if first >= 0 else -1
    for newline in (first, second):
        if newline < 0:
            return None
        head = data[:newline].decode("utf-8", errors="replace").removeprefix("\ufeff")
        prolog = _PROLOG.match(head)
        if prolog and not head[prolog.end() :].strip():
            break
    else:
        return None
    head_lines = 1 if newline == first else 2
    tail = data[-4096:].rstrip()
    last = tail.rfind(b"\n")
    end = len(data) - len(data[-4096:]) + last + 1
    if last < 0 or end <= newline + 1 or tail[last + 1 :].strip() != f"</{prolog.group(1)}>".encode():
        return None
    return head_lines, newline + 1, end


def _count_newlines(data: Buffer, start: int, end: int) -> int:
    """Newlines in ``data[start:end]`` without copying it (an mmap has no ``count``): cache-sized NumPy slices."""
    view = np.frombuffer(data, np.uint8)
    try:
        return sum(
            int(np.count_nonzero(view[at : min(at + _SCAN_BYTES, end)] == _NEWLINE))
            for at in range(start, end, _SCAN_BYTES)
        )
    finally:
        del view  # an mmap cannot close while a view of it is alive


def _read_regular(
    data: Buffer,
    spec: SourceSpec,
    careful: Callable[[], ReadResult],
    source: Path | bytes,
    part_bytes: Callable[[], bytes],
) -> ReadResult | None:
    """The sources' layout as one streamed pass: one ``<record>`` per line whose elements are the
    source's columns, each at most once, in the declared order (an empty value omitted or
    written ``<c></c>``).

    Each column's closing tag is found by a literal search; the elements must tile the record in
    the declared order (each ``<c>`` exactly where the one before closed: integer checks on the
    offsets and a few bytes compared) and the line may hold no ``<`` or ``>`` beyond the tags:
    that proves the shape (names agree, no repeat, no other element, no markup in a text) at
    memchr speed, before a value is cut out. A line that does not is dropped from the plan, so
    the row count falls short and the part is read again by ``careful``, which quarantines
    record by record. Faults the bytes show at once (an undefined entity, another layout) go
    there straight away (None); an empty or self-closing record, a self-closing element or
    U+FFFD in a line drops that line from the plan like any other misfit, and invalid UTF-8
    fails the plan.
    """
    if not data:
        return None
    escaped = data.find(b"&") >= 0
    if escaped and _UNDEFINED_ENTITY.search(data):
        return None
    layout = _layout(data)
    if layout is None:
        return None
    head_lines, start, end = layout
    # columns in order of first appearance: by the first record holding them, then the declared order
    offsets = {c: data.find(f"<{c}>".encode(), start, end) for c in spec.column_names}
    header = tuple(sorted((c for c in spec.column_names if offsets[c] >= 0), key=offsets.__getitem__))
    declared = [c for c in spec.column_names if offsets[c] >= 0]  # the order elements must come in
    records = _count_newlines(data, start, end)
    line = pl.col("raw_line").str.strip_suffix("\r")
    row_number = pl.col("_row_number").cast(pl.Int64)
    plan = (  # strict UTF-8 here: a bad byte fails the plan (and the careful path quarantines its record)
        pl.scan_csv(source, **LINE_SPLITTER, skip_rows=head_lines, n_rows=records)
        .with_row_index("_row_number", offset=1)
        .select(
            row_number,
            (row_number + head_lines).alias("_line_number"),
            line.alias("_line"),
            line.cast(pl.Binary).alias("_bytes"),
            *[line.str.find(f"</{c}>", literal=True).alias(f"_close{i}") for i, c in enumerate(declared)],
        )
        .with_columns(pl.lit(len(f"<{RECORD}>"), pl.UInt32).alias("_end"), pl.lit(True).alias("_tiled"))
    )
    # The present elements (those with a closing tag) must tile the record: each opens with <c>
    # where the one before closed (the first right after <record>), closes after it opens, and
    # the last ends where </record> starts.
    for i, c in enumerate(declared):
        closed, end = pl.col(f"_close{i}"), pl.col("_end")
        opens_here = pl.col("_bytes").bin.slice(end, len(c) + 2) == f"<{c}>".encode()
        fits = pl.when(closed.is_null()).then(True).otherwise(opens_here & (closed >= end + len(c) + 2))
        plan = plan.with_columns(
            (pl.col("_tiled") & fits).alias("_tiled"),
            end.alias(f"_open{i}"),
            pl.when(closed.is_null()).then(end).otherwise(closed + len(c) + 3).alias("_end"),
        )
    present = [pl.col(f"_close{i}").is_not_null() for i in range(len(declared))]
    tags = pl.sum_horizontal(p.cast(pl.Int64) for p in present) * 4 + 4 if header else pl.lit(4)
    text = pl.col("_line")
    shaped = (
        pl.col("_tiled")
        & text.str.starts_with(f"<{RECORD}>")
        & text.str.ends_with(f"</{RECORD}>")
        & (pl.col("_end") == text.str.len_bytes() - len(f"</{RECORD}>"))
        & (text.str.count_matches("[<>]") == tags)  # no markup inside a text: the tags' brackets only
        & ~text.str.contains(REPLACEMENT_CHAR, literal=True)
        & (text != f"<{RECORD}></{RECORD}>")  # an empty record: the careful path reads it its own way
    )
    values = {}
    for i, c in enumerate(declared):
        first = pl.col(f"_open{i}") + len(c) + 2
        cut = pl.col("_bytes").bin.slice(first, pl.col(f"_close{i}") - first).cast(pl.String)
        value = pl.when(present[i]).then(cut)  # an absent element is null (a null length cuts to the end)
        values[c] = _unescape(value).alias(c) if escaped else value.alias(c)
    plan = (
        plan.filter(shaped.fill_null(False))
        .select(*[values[c] for c in header], "_row_number", "_line_number")
        .with_columns(pl.when(pl.col(c).str.len_bytes() > 0).then(pl.col(c)).alias(c) for c in header)
    )
    return ReadResult(
        header=header,
        rows=plan,
        rejects=empty_rejects(),
        raw_lines=lambda: read_lines(part_bytes()).with_columns(pl.col("raw_line").str.strip_chars()),
        row_count=records,
        on_plan_error=lambda _error: careful(),
    )


def read_xml(path: Path, manifest: Manifest, spec: SourceSpec) -> ReadResult:
    def careful() -> ReadResult:
        return _read_general(path, manifest, spec)

    if needs_decoding(manifest.encoding) or path.stat().st_size == 0:
        data = utf8_bytes(path, manifest.encoding)
        return _read_regular(data, spec, careful, data, lambda: data) or careful()
    # UTF-8 is read in place: the checks scan a memory map, Polars reads the file itself
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        regular = _read_regular(data, spec, careful, path, lambda: utf8_bytes(path, manifest.encoding))
    return regular or careful()


def _read_general(path: Path, manifest: Manifest, spec: SourceSpec) -> ReadResult:
    """Any flat layout, record by record: pretty-printed, attributes, self-closing elements, drift."""
    body, first_line = _body(decode(path, manifest.encoding), path)
    if not body.strip():
        return empty_result()
    records = _records(body, first_line)
    records = records.with_columns(
        pl.when(encoding_broken())
        .then(pl.lit("encoding"))
        .when(~pl.col("_compact").str.contains(_RECORD_SHAPE))
        .then(pl.lit("xml_malformed"))
        .alias("rule")
    )
    shaped = records.filter(pl.col("rule").is_null())
    # Matched elements hold no '<' or '>' in their text: literal splits cut name, text and close tag.
    halves = pl.col("element").str.split_exact("</", 1)  # "<name>text" | "close>" (null when self-closing)
    opening = halves.struct.field("field_0").str.split_exact(">", 1)  # "<name" | "text"
    elements = (
        shaped.select("_row_number", pl.col("_compact").str.extract_all(_ELEMENT).alias("element"))
        .explode("element")
        .filter(pl.col("element").is_not_null())
        .select(
            "_row_number",
            opening.struct.field("field_0")
            .str.strip_prefix("<")
            .str.strip_suffix("/")
            .str.strip_chars_end()
            .alias("name"),
            halves.struct.field("field_1").str.strip_suffix(">").alias("close"),
            opening.struct.field("field_1").alias("text"),
        )
    )
    bad = (
        elements.with_columns(
            pl.when(pl.col("close").is_not_null() & (pl.col("close") != pl.col("name")))
            .then(pl.format("element <{}> closed by </{}>", "name", "close"))
            .when(pl.col("name").is_duplicated().over("_row_number"))
            .then(pl.format("element <{}> repeated", "name"))
            .when(pl.col("text").str.replace_all(_ENTITIES, "").str.contains("&", literal=True))
            .then(pl.format("element <{}> holds an undefined entity", "name"))
            .alias("problem")
        )
        .filter(pl.col("problem").is_not_null())
        .group_by("_row_number")
        .agg(pl.col("problem").first())
    )
    records = records.join(bad, on="_row_number", how="left").with_columns(
        pl.when(pl.col("rule").is_null() & pl.col("problem").is_not_null())
        .then(pl.lit("xml_malformed"))
        .otherwise(pl.col("rule"))
        .alias("rule")
    )
    rejects = records.filter(pl.col("rule").is_not_null()).select(
        "_line_number",
        "raw_line",
        "rule",
        pl.when(pl.col("rule") == "encoding")
        .then(pl.lit(encoding_reason(manifest.encoding)))
        .otherwise(pl.coalesce("problem", pl.lit(f"not a flat <{RECORD}> of <column>text</column> elements")))
        .alias("reason"),
    )
    good = records.filter(pl.col("rule").is_null()).select("_row_number", "_line_number", "raw_line")
    elements = elements.join(good.select("_row_number"), on="_row_number", how="semi")
    header = tuple(elements["name"].unique(maintain_order=True).to_list())
    if header:
        wide = elements.with_columns(_unescape(pl.col("text")).alias("text")).pivot(
            on="name", index="_row_number", values="text"
        )
        wide = wide.with_columns(pl.when(pl.col(c).str.len_bytes() > 0).then(pl.col(c)).alias(c) for c in header)
    else:
        wide = good.select("_row_number")
    rows = good.join(wide, on="_row_number", how="left").select(*header, "_row_number", "_line_number", "raw_line")
    return ReadResult(header=header, rows=rows.sort("_row_number"), rejects=rejects)
