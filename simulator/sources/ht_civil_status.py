"""HT — civil status registry (MOJ): births, deaths and marriages, digitised from paper books.

Legacy Windows-1258 CSV with `;`. Old books: UPPER-case names, dd/mm/yyyy and partial dates, missing CCCD on
events registered before 2016, legacy admin codes. Record subject: child / deceased / husband.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from simulator.catalog import get
from simulator.defects import Rule
from simulator.population import days
from simulator.sources.common import Context, base, date_num, finish, iso, rand_dates, serials

COLUMNS = get("ht_civil_status").column_names
RULES = [
    Rule("ho_ten", "upper", 0.30),
    Rule("ho_ten", "nfd", 0.03),
    Rule("ho_ten", "old_tone", 0.05),
    Rule("ho_ten", "no_diacritics", 0.02),  # no d_eth: U+00D0 does not exist in cp1258
    Rule("ngay_sinh", "date_dmy", 0.10),
    Rule("ngay_sinh", "date_dmy_short", 0.03),
    Rule("ngay_sinh", "date_year_only", 0.02),
    Rule("ngay_sinh", "date_zero_dm", 0.02),
    Rule("ngay_sinh", "date_default_0101", 0.05),
    Rule("ngay_sinh", "dob_conflict", 0.015),
    Rule("ngay_dang_ky", "date_dmy", 0.15),
    Rule("gioi_tinh", "sex_conflict", 0.01),
    Rule("ho_ten_cha", "upper", 0.3),
    Rule("ho_ten_me", "upper", 0.3),
    Rule("ho_ten_vo_chong", "upper", 0.3),
]
LEGACY = {"_lp": "ma_tinh_dang_ky", "_ld": "ma_huyen_dang_ky", "_lw": "ma_xa_dang_ky"}
LEGACY_RATE = 0.6
DUP_RATE = 0.02
CCCD_ERA = days(dt.date(2016, 1, 1))


def _events(ctx: Context, kind: str, pids: np.ndarray, event_day: np.ndarray | None = None) -> pl.DataFrame:
    rng = ctx.rng
    p = base(ctx, pids)
    n = p.height
    if kind == "khai_sinh":
        ev = date_num(p["dob"])
    elif kind == "khai_tu":
        ev = date_num(p["dod"].fill_null(p["dob"])) if event_day is None else event_day
    else:
        lo = date_num(p["dob"]) + 20 * 365
        hi = np.where(p["dead"].to_numpy(), date_num(p["dod"].fill_null(p["dob"])), ctx.ref - 1)
        ev = date_num(rand_dates(rng, lo, np.maximum(lo + 1, hi), n))
    if event_day is not None:
        ev = event_day
    reg = np.minimum(ev + rng.integers(0, 45, n), np.maximum(ev, ctx.ref - 1))
    reg_s = pl.Series(np.datetime64("1970-01-01", "D") + reg)
    serial = serials(ctx, n)
    p = p.with_columns(
        _rec_date=reg_s,
        _upd=pl.Series(
            np.datetime64("1970-01-01", "D") + np.minimum(reg + rng.integers(0, 400, n), np.maximum(reg, ctx.ref - 1))
        ),
        loai_su_kien=pl.lit(kind),
        ma_xa_dang_ky=pl.col("commune_2025"),
        so_dang_ky=pl.Series(serial + 1).cast(pl.Utf8).str.zfill(7),
        quyen_so=pl.format(
            "{}/{}", pl.lit(pl.Series(rng.integers(1, 20, n))).cast(pl.Utf8).str.zfill(2), reg_s.dt.year()
        ),
        ngay_dang_ky=iso(pl.lit(reg_s)),
        ngay_su_kien=iso(pl.lit(pl.Series(np.datetime64("1970-01-01", "D") + ev))),
        ma_tinh_dang_ky=pl.col("province_2025"),
        ma_huyen_dang_ky=pl.lit(None, dtype=pl.Utf8),
        # digitised books before the CCCD era often lack the personal ID
        so_dinh_danh=pl.when((pl.lit(pl.Series(reg)) < CCCD_ERA) & pl.lit(pl.Series(rng.random(n) < 0.6)))
        .then(None)
        .otherwise(pl.col("cccd")),
        ho_ten_cha=pl.col("father_name") if kind == "khai_sinh" else pl.lit(None, dtype=pl.Utf8),
        ho_ten_me=pl.col("mother_name") if kind == "khai_sinh" else pl.lit(None, dtype=pl.Utf8),
        ho_ten_vo_chong=pl.lit(None, dtype=pl.Utf8),
        so_dinh_danh_vo_chong=pl.lit(None, dtype=pl.Utf8),
    )
    return p


def build(ctx: Context, n: int) -> pl.DataFrame:
    """Deaths of everyone deceased, marriages of couples, births for the rest of the quota."""
    rng = ctx.rng
    init = ctx.pop.initial
    dead = init.filter(pl.col("dead"))["pid"].to_numpy()[: n // 3]
    couples = init.filter(pl.col("role") <= 1).select("hh", "pid", "female")
    pairs = couples.filter(~pl.col("female")).join(
        couples.filter(pl.col("female")).select("hh", pl.col("pid").alias("wife")), on="hh", how="inner"
    )
    n_mar = min(pairs.height, n // 4)
    pairs = pairs[pl.Series(np.sort(rng.choice(pairs.height, n_mar, replace=False)))] if n_mar else pairs.head(0)
    n_birth = max(0, n - len(dead) - n_mar)
    young = init.filter(ctx.start.year - pl.col("year") <= 50)["pid"].to_numpy()
    births = rng.choice(young, n_birth, replace=n_birth > len(young))
    parts = []
    ctx_serial = ctx.serial_base
    for kind, pids in (("khai_sinh", births), ("khai_tu", dead), ("ket_hon", pairs["pid"].to_numpy())):
        ev = _events(ctx, kind, pids)
        if kind == "ket_hon" and ev.height:
            wife = base(ctx, pairs["wife"].to_numpy())
            ev = ev.with_columns(ho_ten_vo_chong=wife["full_name"], so_dinh_danh_vo_chong=wife["cccd"])
        parts.append(finish(ev, COLUMNS))
        ctx.serial_base += len(pids)
    ctx.serial_base = ctx_serial + n
    return pl.concat(parts)


def death_events(ctx: Context, pids: np.ndarray, death_day: np.ndarray) -> pl.DataFrame:
    """Death registrations for persons dying during the delta window (registered the same day)."""
    return finish(_events(ctx, "khai_tu", pids, event_day=death_day), COLUMNS)


def birth_events(ctx: Context, pids: np.ndarray) -> pl.DataFrame:
    return finish(_events(ctx, "khai_sinh", pids), COLUMNS)
