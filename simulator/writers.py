"""File writers, one per wire format, all deterministic.

Why write bytes ourselves: CSV encodings (BOM, cp1258), XML built column-wise with Polars string ops, and
SHA-256 of the exact bytes for the manifest. Parquet via Polars with fixed settings (no timestamps inside).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from simulator.catalog import SourceSpec
from simulator.encoding import cp1258_safe, encode_text

EXT = {"csv": "csv", "jsonl": "jsonl", "parquet": "parquet", "xml": "xml"}


@dataclass(frozen=True)
class WrittenFile:
    name: str
    rows: int
    bytes: int
    sha256: str


def _xml_escape(e: pl.Expr) -> pl.Expr:
    return (
        e.str.replace_all("&", "&amp;", literal=True)
        .str.replace_all("<", "&lt;", literal=True)
        .str.replace_all(">", "&gt;", literal=True)
    )


CP1258_CHUNK = 100_000


def _render_csv(df: pl.DataFrame, spec: SourceSpec) -> bytes:
    """CSV bytes. UTF-8 goes straight from Polars to bytes; cp1258 is encoded in row chunks to bound memory."""
    sep = spec.delimiter or ","
    buf = io.BytesIO()
    if spec.encoding == "utf-8-sig":
        buf.write(b"\xef\xbb\xbf")
    if spec.encoding in ("utf-8", "utf-8-sig"):
        df.write_csv(buf, separator=sep, line_terminator="\n", quote_style="necessary")
        return buf.getvalue()
    for i in range(0, max(df.height, 1), CP1258_CHUNK):
        chunk = df.slice(i, CP1258_CHUNK).with_columns(cp1258_safe(pl.col(c)) for c in df.columns)
        text = chunk.write_csv(separator=sep, line_terminator="\n", quote_style="necessary", include_header=i == 0)
        buf.write(encode_text(text, spec.encoding))
    return buf.getvalue()


def render(df: pl.DataFrame, spec: SourceSpec, batch_id: str) -> bytes:
    """Serialise one part (all columns are strings) in the source's native format."""
    if spec.format == "csv":
        return _render_csv(df, spec)
    if spec.format == "jsonl":
        buf = io.BytesIO()
        df.write_ndjson(buf)
        return buf.getvalue()
    if spec.format == "parquet":
        buf = io.BytesIO()
        df.write_parquet(buf, compression="zstd", statistics=False, row_group_size=256_000)
        return buf.getvalue()
    if spec.format == "xml":
        parts = [
            pl.when(pl.col(c).is_null())
            .then(pl.lit(""))
            .otherwise(pl.concat_str(pl.lit(f"<{c}>"), _xml_escape(pl.col(c)), pl.lit(f"</{c}>")))
            for c in df.columns
        ]
        lines = df.select(pl.concat_str([pl.lit("<record>"), *parts, pl.lit("</record>")]).alias("x"))
        head = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<records source="{spec.name}" batch_id="{batch_id}">\n'
        ).encode()
        buf = io.BytesIO()
        buf.write(head)
        if lines.height:
            # one line per record, written by Polars straight to bytes (no Python strings per row)
            lines.write_csv(buf, include_header=False, quote_style="never", line_terminator="\n")
        buf.write(b"</records>\n")
        return buf.getvalue()
    raise ValueError(f"unknown format {spec.format}")


def write_parts(
    df: pl.DataFrame, spec: SourceSpec, batch_dir: Path, batch_id: str, rows_per_part: int
) -> list[WrittenFile]:
    """Write df as part-00000.. files (at least one, possibly empty) and return their descriptors."""
    batch_dir.mkdir(parents=True, exist_ok=True)
    out: list[WrittenFile] = []
    n = df.height
    n_parts = max(1, -(-n // rows_per_part))
    for i in range(n_parts):
        part = df.slice(i * rows_per_part, rows_per_part)
        data = render(part, spec, batch_id)
        name = f"part-{i:05d}.{EXT[spec.format]}"
        (batch_dir / name).write_bytes(data)
        out.append(WrittenFile(name, part.height, len(data), hashlib.sha256(data).hexdigest()))
    return out
