"""Text encodings used on the wire, notably Windows-1258 (Vietnamese legacy code page).

Why the dance: Python's cp1258 codec has no precomposed tone letters (ấ, ự …). Windows-1258 text carries the
base letter (â, ư, ơ, ă, ê, ô, đ are single bytes) followed by a combining tone mark. So we decompose (NFD) and
then re-compose only the base-letter marks (circumflex, breve, horn); decoding + NFC restores the original.
Done column-wise with Polars `replace_many` (Aho-Corasick), not per row.
"""

from __future__ import annotations

import unicodedata

import polars as pl

_TONES = ["\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
_BASE_MARKS = ["\u0302", "\u0306", "\u031b"]


def _pairs() -> tuple[list[str], list[str]]:
    src: list[str] = []
    dst: list[str] = []
    for base in "aeouAEOU":
        for mark in _BASE_MARKS:
            comp = unicodedata.normalize("NFC", base + mark)
            if len(comp) != 1:
                continue
            # dot below (ccc 220) sorts before circumflex/breve (ccc 230) in NFD: handle that order first
            src.append(base + "\u0323" + mark)
            dst.append(comp + "\u0323")
            src.append(base + mark)
            dst.append(comp)
    return src, dst


_SRC, _DST = _pairs()


def cp1258_safe(expr: pl.Expr) -> pl.Expr:
    """Rewrite NFC text so that every character is encodable in cp1258."""
    return expr.str.normalize("NFD").str.replace_many(_SRC, _DST).str.replace_all("\u00d0", "\u0110")


def encode_text(text: str, encoding: str) -> bytes:
    """Encode a whole file's text (already cp1258-safe when encoding is cp1258)."""
    if encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode(encoding)
