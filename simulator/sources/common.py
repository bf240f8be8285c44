"""Helpers shared by the source builders: drawing people, formatting dates, admin columns.

A builder returns the source's columns (strings, without ngay_cap_nhat/thao_tac) plus hidden columns that the
engine and the defect injector use and the writer drops:
  _pid / _eid     ground-truth person / enterprise index (-1 when not applicable)
  _upd, _secs     record update date and second-of-day (-> ngay_cap_nhat)
  _rec_date       date the record was last registered (legacy admin codes only before 2025-07-01)
  _lp _ld _lw     legacy province / district / ward codes for the record's place
  _cmnd           the person's old CMND (for the cmnd_for_cccd defect)
  _dead           the person is deceased; _active_value/_stale_ok for status defects
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from simulator.population import Population, days


@dataclass
class Context:
    pop: Population
    enterprises: pl.DataFrame
    seed: int
    start: dt.date
    rng: np.random.Generator
    serial_base: int = 0  # offset for unique record numbers (inserts in delta batches continue from here)

    @property
    def ref(self) -> int:
        return days(self.start)


def draw(
    rng: np.random.Generator, pool: np.ndarray, n: int, weights: np.ndarray | None = None, replace: bool = False
) -> np.ndarray:
    """n ids from pool; without replacement while the pool lasts, then with replacement."""
    if len(pool) == 0:
        return np.zeros(0, dtype=np.int64)
    p = None if weights is None else weights / weights.sum()
    if replace or n > len(pool):
        if replace:
            return rng.choice(pool, size=n, p=p)
        first = rng.permutation(pool)
        rest = rng.choice(pool, size=n - len(pool), p=p)
        return np.concatenate([first, rest])
    return rng.choice(pool, size=n, replace=False, p=p)


def persons_for(ctx: Context, pids: np.ndarray) -> pl.DataFrame:
    """Gather person rows (clean attributes) in the order of pids."""
    return ctx.pop.persons.select(
        "pid",
        "cccd",
        "cmnd",
        "full_name",
        "female",
        "dob",
        "dead",
        "dod",
        "phone",
        "ward_legacy",
        "district_legacy",
        "province_legacy",
        "commune_2025",
        "province_2025",
        "address",
        "hh",
        "father_name",
        "mother_name",
        "birth_prov",
        "year",
        "role_name",
        "father_cccd",
        "mother_cccd",
    )[pl.Series(pids.astype(np.int64))]


def iso(e: pl.Expr) -> pl.Expr:
    return e.dt.strftime("%Y-%m-%d")


def sex(female: pl.Expr) -> pl.Expr:
    return pl.when(female).then(pl.lit("Nữ")).otherwise(pl.lit("Nam"))


def rand_dates(rng: np.random.Generator, lo: np.ndarray | int, hi: np.ndarray | int, n: int) -> pl.Series:
    """Uniform dates in [lo, hi) (day numbers), as a Polars Date series."""
    lo_a = np.broadcast_to(np.asarray(lo, dtype=np.int64), (n,))
    hi_a = np.maximum(np.broadcast_to(np.asarray(hi, dtype=np.int64), (n,)), lo_a + 1)
    d = lo_a + (rng.random(n) * (hi_a - lo_a)).astype(np.int64)
    return pl.Series(np.datetime64("1970-01-01", "D") + d)


def date_num(s: pl.Series) -> np.ndarray:
    return s.cast(pl.Int32).to_numpy().astype(np.int64)


def hidden_common(
    rng: np.random.Generator, n: int, rec_date: pl.Series, upd_lo: pl.Series, ref: int
) -> dict[str, pl.Series]:
    """_rec_date, _upd (between the record date and the day before the extract), _secs."""
    lo = date_num(upd_lo)
    upd = rand_dates(rng, lo, np.full(n, ref), n)
    upd = pl.Series(np.minimum(date_num(upd), ref - 1)).cast(pl.Date)
    return {
        "_rec_date": rec_date,
        "_upd": upd,
        "_secs": pl.Series(rng.integers(7 * 3600, 19 * 3600, n)),
    }


HIDDEN_DEFAULTS: dict[str, pl.Expr] = {
    "_pid": pl.lit(-1, dtype=pl.Int64),
    "_eid": pl.lit(-1, dtype=pl.Int64),
    "_lp": pl.lit(None, dtype=pl.Utf8),
    "_ld": pl.lit(None, dtype=pl.Utf8),
    "_lw": pl.lit(None, dtype=pl.Utf8),
    "_cmnd": pl.lit(None, dtype=pl.Utf8),
    "_dead": pl.lit(False),
    "_stale_ok": pl.lit(False),
    "_active_value": pl.lit(None, dtype=pl.Utf8),
    "_co_owner": pl.lit(None, dtype=pl.Utf8),
}
HIDDEN = ["_pid", "_eid", "_upd", "_secs", "_rec_date", *[k for k in HIDDEN_DEFAULTS if k not in ("_pid", "_eid")]]


def age_at_start(ctx: Context) -> pl.Expr:
    return ctx.start.year - pl.col("year")


def pool(ctx: Context, min_age: int = 0, max_age: int = 200, alive_only: bool = False) -> np.ndarray:
    """pids of initial persons aged [min_age, max_age] at the start date."""
    p = ctx.pop.initial
    # the deceased count with their age at death, so nobody gets a licence or a parcel as a child
    lived = pl.when(pl.col("dead")).then(pl.col("dod").dt.year()).otherwise(ctx.start.year) - pl.col("year")
    cond = (lived >= min_age) & (age_at_start(ctx) <= max_age)
    if alive_only:
        cond &= ~pl.col("dead")
    return p.filter(cond)["pid"].to_numpy()


def serials(ctx: Context, n: int) -> np.ndarray:
    return np.arange(ctx.serial_base, ctx.serial_base + n, dtype=np.int64)


def unique_code(idx: np.ndarray, width: int, salt: int) -> pl.Series:
    """Distinct fixed-width digit strings for distinct idx (affine permutation, first digit non-zero)."""
    lo = 10 ** (width - 1)
    num = lo + (idx.astype(np.int64) * 7_919_003 + salt) % (10**width - lo)
    return pl.Series(num).cast(pl.Utf8)


def bhxh(pids: pl.Series, prov_legacy: pl.Series) -> pl.Series:
    """The person's social-insurance code (10 digits): legacy province + 8-digit permutation of the pid."""
    body = (pids.to_numpy().astype(np.int64) * 7_919_003 + 1_234_567) % 100_000_000
    return (prov_legacy.fill_null("01") + pl.Series(body).cast(pl.Utf8).str.zfill(8)).rename("bhxh")


def record_dates(
    ctx: Context,
    p: pl.DataFrame,
    rng: np.random.Generator,
    min_age_years: int = 14,
    not_before: dt.date = dt.date(2010, 1, 1),
) -> pl.Series:
    """Plausible registration dates: after the person reached min_age (or half their age, for children),
    not before `not_before` when possible, before the extract and before the person's death."""
    n = p.height
    dob = date_num(p["dob"])
    dead = p["dead"].to_numpy()
    dod = date_num(p["dod"].fill_null(p["dob"]))
    hi = np.where(dead, dod, np.where(dob < ctx.ref, ctx.ref, dob + 30))  # babies of the delta window: +30 d
    lo = dob + int(min_age_years * 365.25) + 1
    lo = np.where(lo < hi, lo, dob + np.maximum(hi - dob, 2) // 2)  # too young: half their life so far
    lo = np.minimum(np.maximum(lo, days(not_before)), hi - 1)
    return rand_dates(rng, lo, hi, n)


def base(
    ctx: Context,
    pids: np.ndarray,
    rec_date: pl.Series | None = None,
    rng: np.random.Generator | None = None,
    min_age_years: int = 14,
) -> pl.DataFrame:
    """Person attributes in source vocabulary + hidden columns; see record_dates for the default rec_date."""
    rng = rng or ctx.rng
    p = persons_for(ctx, pids)
    n = p.height
    if rec_date is None:
        rec_date = record_dates(ctx, p, rng, min_age_years)
    h = hidden_common(rng, n, rec_date, rec_date, ctx.ref)
    return p.with_columns(
        so_dinh_danh=pl.col("cccd"),
        ho_ten=pl.col("full_name"),
        ngay_sinh=iso(pl.col("dob")),
        gioi_tinh=sex(pl.col("female")),
        ma_tinh=pl.col("province_2025"),
        ma_huyen=pl.lit(None, dtype=pl.Utf8),
        ma_xa=pl.col("commune_2025"),
        dia_chi=pl.col("address"),
        _pid=pl.col("pid"),
        _eid=pl.lit(-1, dtype=pl.Int64),
        _lp=pl.col("province_legacy"),
        _ld=pl.col("district_legacy"),
        _lw=pl.col("ward_legacy"),
        _cmnd=pl.col("cmnd"),
        _dead=pl.col("dead"),
        **h,
    )


def finish(df: pl.DataFrame, spec_columns: list[str]) -> pl.DataFrame:
    """Keep the source's columns (minus ngay_cap_nhat/thao_tac, added later) and the hidden columns."""
    cols = [c for c in spec_columns if c not in ("ngay_cap_nhat", "thao_tac")]
    missing = {k: v for k, v in HIDDEN_DEFAULTS.items() if k not in df.columns}
    if missing:
        df = df.with_columns(**missing)
    return df.select([pl.col(c).cast(pl.Utf8) for c in cols] + HIDDEN)


def pick(rng: np.random.Generator, values: list, n: int, p: list[float] | None = None) -> pl.Series:
    if p is None:
        return pl.Series(values).gather(rng.integers(0, len(values), n))
    w = np.asarray(p, float)
    return pl.Series(values).gather(rng.choice(len(values), n, p=w / w.sum()))


def spouse_names(ctx: Context) -> pl.DataFrame:
    """pid -> the name of the person's partner (head <-> spouse of the same household)."""
    p = ctx.pop.persons.filter(pl.col("role") <= 1).select("pid", "hh", "role", "full_name")
    other = p.select("hh", (1 - pl.col("role")).cast(pl.Int8).alias("role"), pl.col("full_name").alias("_co_owner"))
    return p.join(other, on=["hh", "role"], how="inner").select("pid", "_co_owner")
