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


def draw(rng: np.random.Generator, pool: np.ndarray, n: int, weights: np.ndarray | None = None,
         replace: bool = False) -> np.ndarray:
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
        "pid", "cccd", "cmnd", "full_name", "female", "dob", "dead", "dod", "phone", "ward_legacy",
        "district_legacy", "province_legacy", "commune_2025", "province_2025", "address", "hh",
        "father_name", "mother_name", "birth_prov", "year", "role_name", "father_cccd", "mother_cccd",
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


def hidden_common(rng: np.random.Generator, n: int, rec_date: pl.Series, upd_lo: pl.Series,
                  ref: int) -> dict[str, pl.Series]:
    """_rec_date, _upd (between the record date and the day before the extract), _secs."""
    lo = date_num(upd_lo)
    upd = rand_dates(rng, lo, np.full(n, ref), n)
    upd = pl.Series(np.minimum(date_num(upd), ref - 1)).cast(pl.Date)
    return {
        "_rec_date": rec_date,
        "_upd": upd,
        "_secs": pl.Series(rng.integers(7 * 3600, 19 * 3600, n)),
    }
