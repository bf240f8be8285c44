"""Input loading, validation and standardisation of person files for linkage.

Everything here is vectorised Polars: the same code runs on a 50-row analyst file and on a
10-million-row warehouse extract. The output is a frame with canonical feature columns whose
names the Splink settings in :mod:`assets.linkage.settings` refer to.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import polars as pl
import pyarrow as pa

# Canonical input columns an analyst file (or a warehouse table, through a mapping) may carry.
INPUT_COLUMNS: tuple[str, ...] = (
    "record_id",
    "full_name",
    "given_name",
    "family_name",
    "birth_date",
    "sex",
    "address",
    "postcode",
    "phone",
    "id_number",
)
MATCHING_INPUTS = "full_name, given_name+family_name, birth_date, sex, address, postcode, phone, id_number"

# Feature groups: each is produced from some input column(s) and is compared as a unit.
FEATURE_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name_key", "name_sorted", "name_tokens", "name_tok_min", "name_tok_max"),
    "birth_date": ("birth_date", "birth_date_str", "birth_year", "birth_month", "birth_day"),
    "sex": ("sex",),
    "address": ("address",),
    "postcode": ("postcode",),
    "phone": ("phone",),
    "id_number": ("id_number",),
}

_SEX_MALE = ["m", "male", "nam", "1", "man", "boy", "trai"]
_SEX_FEMALE = ["f", "female", "nu", "0", "2", "woman", "girl", "gai", "w"]

PersonInput = pl.DataFrame | pa.Table


def read_person_file(path: str | Path) -> pl.DataFrame:
    """Read a CSV (every column as text, so ids keep leading zeros) or Parquet person file."""
    p = Path(path)
    if not p.is_file():
        raise ValueError(f"{p.name}: file not found ({p})")
    suffix = p.suffix.lower()
    try:
        if suffix == ".csv":
            return pl.read_csv(p, infer_schema=False, encoding="utf8-lossy")
        if suffix in (".parquet", ".pq"):
            return pl.read_parquet(p)
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError, OSError) as exc:
        raise ValueError(f"{p.name}: cannot be read ({str(exc).splitlines()[0]})") from exc
    raise ValueError(f"{p.name}: unsupported file type {suffix or '(none)'} (use .csv or .parquet)")


def apply_mapping(frame: PersonInput, mapping: Mapping[str, str] | None = None) -> pl.DataFrame:
    """Rename source columns to canonical names (``{"full_name": "ho_ten", ...}``) and drop the rest."""
    df = frame if isinstance(frame, pl.DataFrame) else pl.from_arrow(frame)
    assert isinstance(df, pl.DataFrame)
    mapping = dict(mapping or {})
    renames = {src: canon for canon, src in mapping.items() if src in df.columns and src != canon}
    df = df.rename(renames)
    keep = [c for c in INPUT_COLUMNS if c in df.columns]
    return df.select(keep)


def features_available(df: pl.DataFrame) -> list[str]:
    """Feature groups the (canonical) frame can provide; a column that is entirely empty does not count."""

    def filled(col: str) -> bool:
        if col not in df.columns:
            return False
        s = df.get_column(col)
        if s.dtype == pl.String:
            return bool(s.str.strip_chars().fill_null("").ne("").any())
        return s.null_count() < df.height

    out = []
    if filled("full_name") or (filled("given_name") and filled("family_name")):
        out.append("name")
    out.extend(c for c in ("birth_date", "sex", "address", "postcode", "phone", "id_number") if filled(c))
    return out


def validate(df: pl.DataFrame, label: str) -> list[str]:
    """Refuse unusable input with one clear line; return the usable feature groups."""
    if "record_id" not in df.columns:
        raise ValueError(f"{label}: column record_id is missing")
    ids = df.get_column("record_id").cast(pl.String).str.strip_chars()
    n_null = int(ids.fill_null("").eq("").sum())
    if n_null:
        raise ValueError(f"{label}: {n_null} rows have an empty record_id")
    dup = ids.filter(ids.is_duplicated())
    if dup.len():
        n_dup = dup.n_unique()
        plural = "value" if n_dup == 1 else "values"
        raise ValueError(f"{label}: {n_dup} duplicate record_id {plural}, e.g. {dup.sort().first()!r}")
    if df.height == 0:
        raise ValueError(f"{label}: no rows")
    feats = features_available(df)
    if not feats:
        raise ValueError(f"{label}: no usable matching column (need at least one of {MATCHING_INPUTS})")
    return feats


def name_key(expr: pl.Expr) -> pl.Expr:
    """Match key of a name: NFC, Ð->Đ, Đ/đ->d (no decomposition), NFD, strip marks, lower, collapse spaces."""
    e = expr.cast(pl.String).str.normalize("NFC")
    e = e.str.replace_all("[ÐĐ]", "D").str.replace_all("đ", "d")
    e = e.str.normalize("NFD").str.replace_all(r"\p{M}+", "")
    e = e.str.to_lowercase().str.replace_all(r"['’`]", "").str.replace_all(r"[^\p{L}\p{N}]+", " ")
    e = e.str.strip_chars()
    return pl.when(e.eq("")).then(None).otherwise(e)


def _birth_date(expr: pl.Expr) -> list[pl.Expr]:
    """ISO (yyyy-mm-dd, optionally with a time), yyyymmdd or a bare year (year precision)."""
    raw = expr.cast(pl.String).str.strip_chars()
    digits = raw.str.slice(0, 10).str.replace_all(r"[-/.]", "")
    full = pl.when(digits.str.contains(r"^\d{8}$")).then(digits)
    date = full.str.to_date("%Y%m%d", strict=False)
    year_only = pl.when(raw.str.contains(r"^\d{4}$")).then(raw.cast(pl.Int32, strict=False))
    year = pl.coalesce(date.dt.year().cast(pl.Int32), year_only)
    year = pl.when(year.is_between(1850, 2100)).then(year)
    return [
        date.alias("birth_date"),
        date.dt.strftime("%Y%m%d").alias("birth_date_str"),
        year.alias("birth_year"),
        date.dt.month().cast(pl.Int32).alias("birth_month"),
        date.dt.day().cast(pl.Int32).alias("birth_day"),
    ]


def _sex(expr: pl.Expr) -> pl.Expr:
    key = name_key(expr)
    return (pl.when(key.is_in(_SEX_MALE)).then(pl.lit("M")).when(key.is_in(_SEX_FEMALE)).then(pl.lit("F"))).alias("sex")


def _digits_last9(expr: pl.Expr) -> pl.Expr:
    d = expr.cast(pl.String).str.replace_all(r"\D", "")
    return pl.when(d.str.len_chars() >= 9).then(d.str.slice(-9)).alias("phone")


def _alnum_upper(expr: pl.Expr, alias: str) -> pl.Expr:
    v = expr.cast(pl.String).str.to_uppercase().str.replace_all(r"[^A-Z0-9]", "")
    return pl.when(v.eq("")).then(None).otherwise(v).alias(alias)


def standardise(df: pl.DataFrame, features: list[str]) -> pl.DataFrame:
    """Canonical feature frame: ``unique_id`` plus the columns of each requested feature group."""
    exprs: list[pl.Expr] = [pl.col("record_id").cast(pl.String).str.strip_chars().alias("unique_id")]
    if "name" in features:
        if "full_name" in df.columns:
            raw = pl.col("full_name").cast(pl.String)
            if "given_name" in df.columns and "family_name" in df.columns:
                split = pl.concat_str([pl.col("family_name"), pl.col("given_name")], separator=" ")
                raw = pl.coalesce(raw, split)
        else:
            # Family first, the Vietnamese order; comparisons are order-insensitive anyway.
            raw = pl.concat_str([pl.col("family_name"), pl.col("given_name")], separator=" ", ignore_nulls=True)
        exprs.append(name_key(raw).alias("name_key"))
    if "birth_date" in features:
        exprs.extend(_birth_date(pl.col("birth_date")))
    if "sex" in features:
        exprs.append(_sex(pl.col("sex")))
    if "address" in features:
        exprs.append(name_key(pl.col("address")).alias("address"))
    if "postcode" in features:
        exprs.append(_alnum_upper(pl.col("postcode"), "postcode"))
    if "phone" in features:
        exprs.append(_digits_last9(pl.col("phone")))
    if "id_number" in features:
        exprs.append(_alnum_upper(pl.col("id_number"), "id_number"))
    out = df.select(exprs)
    if "name" in features:
        tokens = pl.col("name_key").str.split(" ")
        out = out.with_columns(name_tokens=tokens.list.sort())
        out = out.with_columns(
            name_sorted=pl.col("name_tokens").list.join(" "),
            name_tok_min=pl.col("name_tokens").list.first(),
            name_tok_max=pl.col("name_tokens").list.last(),
        )
    cols = ["unique_id"] + [c for f in features for c in FEATURE_COLUMNS[f]]
    return out.select(cols)


def prepare(frame: PersonInput, label: str, mapping: Mapping[str, str] | None = None) -> tuple[pl.DataFrame, list[str]]:
    """Map, validate and standardise one input; returns the feature frame and its feature groups."""
    df = apply_mapping(frame, mapping)
    feats = validate(df, label)
    return standardise(df, feats), feats
