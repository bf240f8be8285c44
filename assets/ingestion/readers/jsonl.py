"""JSON Lines: one object per line, parsed in DuckDB so a bad line is quarantined, not fatal.

Polars' JSON decoders fail a whole column on one malformed line; DuckDB's ``json_valid`` and
path-list ``json_extract_string`` / ``json_type`` (one parse per line for all columns) keep the
work vectorised while telling exactly which line is broken.

Type rule: text columns (string, code, date, timestamp) must arrive as JSON strings — a
number in ``so_dinh_danh`` or ``ma_tinh`` has already lost its leading zeros; ``int`` columns
accept strings or integers, ``decimal`` any number; objects and arrays are never a value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

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

_ALLOWED_JSON_TYPES = {
    "int": ("VARCHAR", "BIGINT", "UBIGINT"),
    "decimal": ("VARCHAR", "BIGINT", "UBIGINT", "DOUBLE"),
}
_TEXT_TYPES = ("VARCHAR",)
_SCALARS = ("VARCHAR", "BIGINT", "UBIGINT", "DOUBLE", "BOOLEAN")


def _sql_list(values: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _path(column: str) -> str:
    return '$."' + column.replace('"', '\\"') + '"'


def _header(con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """Keys in order of first appearance across the file's objects (few distinct key lists per file)."""
    key_lists = con.sql(
        "select keys from (select json_keys(raw_line) as keys, min(_line_number) as first "
        "from objects group by all) order by first"
    ).fetchall()
    return tuple(dict.fromkeys(key for (keys,) in key_lists for key in keys))


# After a key, anything but a string or null: a number, true/false, object or array (false hits only slow us down).
_NON_STRING_VALUE = re.compile(rb'"\s*:\s*[^"\sn]')
_SCHEMA_SAMPLE = 1000
_QUOTE, _COLON, _N = ord('"'), ord(":"), ord("n")
_JSON_WHITESPACE = tuple(map(ord, " \t\n\r"))
_REPLACEMENT = np.frombuffer("\ufffd".encode(), np.uint8)
_SCAN_BYTES = 1 << 20  # cache-sized slices: no part-sized temporaries


def _string_values(data: bytes) -> int | None:
    """How many values are JSON strings, or None when a value may be neither a string nor null
    (or the part holds U+FFFD).

    Without escaped quotes (checked by the caller) a colon outside a string ends a key, right
    after its closing quote or after whitespace. One vectorised pass over the colons: those
    right after a quote must be followed by a string (``"``) or null (``n``: the parser
    rejects any other ``n...``); if some colon follows whitespace, the slower regular
    expression decides. A colon inside a text can only add to the count (a text that is
    exactly ``:``), never hide a value; the caller compares the count with the parsed values.
    """
    raw = np.frombuffer(data, np.uint8)
    strings, spaced = 0, False
    for start in range(0, raw.size, _SCAN_BYTES):
        chunk = raw[start : start + _SCAN_BYTES]
        lead = np.flatnonzero(chunk == _REPLACEMENT[0]) + start
        lead = lead[lead + 2 < raw.size]
        if np.any((raw[lead + 1] == _REPLACEMENT[1]) & (raw[lead + 2] == _REPLACEMENT[2])):
            return None
        colons = np.flatnonzero(chunk == _COLON) + start
        colons = colons[(colons > 0) & (colons + 1 < raw.size)]  # an object line neither starts nor ends with one
        before = raw[colons - 1]
        after = raw[colons[before == _QUOTE] + 1]
        found = np.count_nonzero(after == _QUOTE)
        if np.count_nonzero(after == _N) != after.size - found:
            return None
        strings += int(found)
        spaced = spaced or bool(np.isin(before, _JSON_WHITESPACE).any())
    if spaced and _NON_STRING_VALUE.search(data):
        return None
    return strings


def _read_clean(data: bytes, careful: Callable[[], ReadResult]) -> ReadResult | None:
    """The usual case in one Polars parse: every line an object whose values are all strings or null.

    Proven, not assumed: no U+FFFD, no escaped quote, no value that is not a string or null
    (a vectorised byte scan), Polars parses every line (invalid UTF-8 raises), one record per
    line (no blank line) and every string value is a parsed one (no key beyond the schema
    sample was dropped). Anything else returns None and the part takes the DuckDB path, which
    quarantines line by line. The lines' raw text is only split out if a row ends up in
    quarantine. The values are turned into source text in the writer's streamed pass.
    """
    if not data or (b"\\" in data and b'\\"' in data):
        return None
    # The parse (Polars, GIL released) runs while the byte scan (NumPy) counts the string values.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ndjson") as pool:
        parsing = pool.submit(pl.read_ndjson, data, infer_schema_length=_SCHEMA_SAMPLE)
        strings = _string_values(data)
        lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
        try:
            parsed = parsing.result()
        except pl.exceptions.PolarsError:
            return None
    if strings is None:
        return None
    if parsed.height != lines or any(dtype not in (pl.String, pl.Null) for dtype in parsed.dtypes):
        return None
    if strings != sum(parsed.height - n for n in parsed.null_count().row(0)):
        return None  # a key beyond the schema sample was dropped (or a text is exactly ":")
    header = tuple(parsed.columns)
    text = [pl.col(c).cast(pl.String) for c in header]
    row_number = pl.col("_row_number").cast(pl.Int64)
    plan = (
        parsed.lazy()
        .with_row_index("_row_number", offset=1)
        .select(
            *[pl.when(t.str.len_bytes() > 0).then(t).alias(c) for c, t in zip(header, text, strict=True)],
            row_number,
            row_number.alias("_line_number"),
        )
    )
    return ReadResult(
        header=header,
        rows=plan,
        rejects=empty_rejects(),
        raw_lines=lambda: read_lines(data),
        row_count=parsed.height,
        on_plan_error=lambda _error: careful(),
    )


def read_jsonl(path: Path, manifest: Manifest, spec: SourceSpec) -> ReadResult:
    data = utf8_bytes(path, manifest.encoding)

    def careful() -> ReadResult:
        return _read_by_line(data, manifest, spec)

    return _read_clean(data, careful) or careful()


def _read_by_line(data: bytes, manifest: Manifest, spec: SourceSpec) -> ReadResult:
    """Every line checked by DuckDB: broken lines and values of the wrong JSON type are quarantined."""
    lines = read_lines(data)
    lines = lines.filter(pl.col("raw_line").str.strip_chars() != "")  # blank lines are not records
    if lines.height == 0:
        return empty_result()
    lines = lines.with_row_index("_row_number", offset=1).with_columns(pl.col("_row_number").cast(pl.Int64))
    lines = lines.with_columns(pl.when(encoding_broken()).then(pl.lit("encoding")).alias("rule"))

    with duckdb.connect() as con:
        con.register("lines", lines.to_arrow())
        con.execute(
            """
            create temp table checked as
            select *, case
                when rule is not null then rule
                when not json_valid(raw_line) then 'malformed_json'
                when json_type(raw_line) <> 'OBJECT' then 'not_an_object'
            end as line_rule
            from lines
            """
        )
        con.execute("create temp view objects as select * from checked where line_rule is null")
        header = _header(con)
        known = set(spec.column_names)
        paths = _sql_list([_path(c) for c in header])
        type_checks = []
        for i, column in enumerate(header, start=1):
            logical = spec.column(column).type if column in known else None
            allowed = _ALLOWED_JSON_TYPES.get(logical, _TEXT_TYPES) if logical else _SCALARS
            type_checks.append(
                f"when t[{i}] is not null and t[{i}] <> 'NULL' and t[{i}] not in {_sql_list(allowed)} "
                f"then '{column.replace(chr(39), chr(39) * 2)} arrived as JSON ' || lower(t[{i}])"
            )
        drift = f"case {' '.join(type_checks)} end" if type_checks else "null"
        values = ", ".join(
            f"nullif(v[{i}], '') as \"{c.replace(chr(34), chr(34) * 2)}\"" for i, c in enumerate(header, start=1)
        )
        con.execute(
            f"""
            create temp table parsed as
            select _row_number, _line_number, raw_line, {drift} as drift {", " + values if values else ""}
            from (
                select *, json_type(raw_line, {paths}::varchar[]) as t,
                       json_extract_string(raw_line, {paths}::varchar[]) as v
                from objects
            )
            """
            if header
            else "create temp table parsed as select _row_number, _line_number, raw_line, null as drift from objects"
        )
        rejects = con.sql(
            f"""
            select _line_number, raw_line, line_rule as rule,
                   case line_rule when 'encoding' then '{encoding_reason(manifest.encoding)}'
                                  when 'malformed_json' then 'line is not valid JSON'
                                  else 'line is JSON but not an object' end as reason
            from checked where line_rule is not null
            union all
            select _line_number, raw_line, 'type_drift' as rule, drift as reason from parsed where drift is not null
            order by _line_number
            """
        ).pl()
        quoted = ", ".join('"' + c.replace('"', '""') + '"' for c in header)
        rows = con.sql(
            f"select {quoted + ', ' if quoted else ''}_row_number, _line_number, raw_line "
            "from parsed where drift is null order by _row_number"
        ).pl()
    rows = rows.with_columns(pl.col(c).cast(pl.String) for c in header)
    return ReadResult(
        header=header,
        rows=rows.with_columns(pl.col("_row_number", "_line_number").cast(pl.Int64)),
        rejects=rejects.with_columns(pl.col("_line_number").cast(pl.Int64)),
    )
