"""One synthetic population that every source draws from.

Why households first: parents' IDs, shared surnames, shared addresses and plausible ages (a mother is 19–40
years older than her child) all fall out of generating households (head, spouse, children, an elderly parent)
with NumPy arrays and then flattening them into persons. Every array op is vectorised; no row loops.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from simulator import admin_units, identifiers, names
from simulator.rng import stream

EPOCH = np.datetime64("1970-01-01", "D")
REFORM_DATE = dt.date(2025, 7, 1)


def days(d: dt.date) -> int:
    """Days since 1970-01-01 (NumPy's date unit)."""
    return (d - dt.date(1970, 1, 1)).days


def _age_weights() -> np.ndarray:
    age = np.arange(100)
    w = np.interp(age, [0, 40, 60, 75, 90, 99], [1.0, 1.0, 0.6, 0.25, 0.05, 0.01])
    return w / w.sum()


@dataclass
class Population:
    """persons: one row per person (alive or deceased), clean values and hidden helper columns."""

    persons: pl.DataFrame
    start: dt.date
    n_initial: int = 0  # pids < n_initial exist at the start; later ones are born during the delta window

    @property
    def initial(self) -> pl.DataFrame:
        return self.persons.head(self.n_initial)


def _ward_weights(wards: pl.DataFrame) -> np.ndarray:
    w = wards["ward_type"].replace_strict({"Phường": 3.0, "Thị trấn": 1.5, "Xã": 1.0}, default=1.0)
    arr = w.to_numpy().astype(float)
    return arr / arr.sum()


def generate(n_persons: int, seed: int, start: dt.date, n_days: int = 0) -> Population:
    """Generate exactly n_persons persons living in households on legacy wards (mapped to 2025 communes)."""
    rng = stream(seed, "population")
    au = admin_units.load()
    wards = au.wards
    ref = days(start)
    aw = _age_weights()
    n_hh = max(1, int(n_persons / 2.7) + 8)

    # --- households ------------------------------------------------------------------------------
    head_age = rng.choice(np.arange(22, 95), size=n_hh, p=aw[22:95] / aw[22:95].sum())
    head_female = rng.random(n_hh) < 0.25
    has_spouse = rng.random(n_hh) < np.where(head_age > 75, 0.55, 0.8)
    spouse_age = np.clip(head_age + np.where(head_female, 1, -1) * rng.integers(0, 7, n_hh), 18, 99)
    mother_age = np.where(head_female, head_age, np.where(has_spouse, spouse_age, head_age))
    n_child = rng.choice(5, size=n_hh, p=[0.22, 0.28, 0.32, 0.13, 0.05])
    child_age = mother_age[:, None] - rng.integers(19, 41, size=(n_hh, 4))
    child_ok = (np.arange(4)[None, :] < n_child[:, None]) & (child_age >= 0)
    elder = (rng.random(n_hh) < 0.12) & (head_age < 62)
    elder_age = np.minimum(head_age + rng.integers(22, 36, n_hh), 99)
    elder_female = rng.random(n_hh) < 0.6
    hh_ward = rng.choice(len(wards), size=n_hh, p=_ward_weights(wards))

    # roles: 0 head, 1 spouse, 2..5 child slots, 6 elder parent
    present = np.column_stack([np.ones(n_hh, bool), has_spouse, child_ok, elder])
    ages = np.column_stack([head_age, spouse_age, child_age, elder_age])
    child_fem = rng.random((n_hh, 4)) < 0.487
    sexes = np.column_stack([head_female, ~head_female, child_fem, elder_female])
    hh_idx, role = np.nonzero(present)  # row-major: grouped by household, roles in order
    hh_idx, role = hh_idx[:n_persons], role[:n_persons]
    n = len(hh_idx)
    age = ages[hh_idx, role]
    female = sexes[hh_idx, role]
    pid = np.arange(n, dtype=np.int64)

    # person index of head / spouse / elder per household (or -1)
    def _member(r: int) -> np.ndarray:
        out = np.full(n_hh, -1, dtype=np.int64)
        m = role == r
        out[hh_idx[m]] = pid[m]
        return out

    head_pid, spouse_pid, elder_pid = _member(0), _member(1), _member(6)
    is_child = (role >= 2) & (role <= 5)
    father_hh = np.where(~head_female, head_pid, spouse_pid)
    mother_hh = np.where(head_female, head_pid, spouse_pid)
    father = np.where(is_child, father_hh[hh_idx], -1)
    mother = np.where(is_child, mother_hh[hh_idx], -1)
    head_has_elder = (role == 0) & (elder_pid[hh_idx] >= 0)
    ef = elder_female[hh_idx]
    father = np.where(head_has_elder & ~ef, elder_pid[hh_idx], father)
    mother = np.where(head_has_elder & ef, elder_pid[hh_idx], mother)

    # --- dates -----------------------------------------------------------------------------------
    dob = ref - (age * 365.25).astype(np.int64) - rng.integers(1, 365, n)
    year = (EPOCH + dob).astype("datetime64[Y]").astype(np.int64) + 1970

    # deaths before the start date (older people die more often)
    p_dead = np.interp(age, [0, 50, 65, 80, 99], [0.004, 0.01, 0.05, 0.15, 0.4])
    dead = rng.random(n) < p_dead
    lo = np.maximum(dob + 365, days(dt.date(2012, 1, 1)))
    dod = np.where(dead, lo + (rng.random(n) * np.maximum(ref - 1 - lo, 1)).astype(np.int64), 0)
    dead &= dod < ref

    # --- places ----------------------------------------------------------------------------------
    ward_i = hh_ward[hh_idx]
    res_prov_legacy = wards["province_legacy"].cast(pl.Int64).to_numpy()[ward_i]
    prov_codes = au.provinces_legacy["province_code"].cast(pl.Int64).to_numpy()
    local_birth = rng.random(n) < np.where(is_child, 0.88, 0.7)
    birth_prov = np.where(local_birth, res_prov_legacy, rng.choice(prov_codes, n))

    # --- names -----------------------------------------------------------------------------------
    nrng = stream(seed, "names")
    own_surname = names.surnames(nrng, n).to_numpy()
    surname = own_surname.copy()
    # children take the father's surname, else the mother's; an elder father shares the head's surname
    fam_src = np.where(father >= 0, father, mother)
    take = is_child & (fam_src >= 0)
    surname[take] = own_surname[fam_src[take]]
    take_e = (role == 6) & ~elder_female[hh_idx]
    surname[take_e] = own_surname[head_pid[hh_idx][take_e]]
    mid, giv = names.middles_and_given(nrng, female)
    st = names.streets(nrng, n)

    # --- identifiers -----------------------------------------------------------------------------
    irng = stream(seed, "identifiers")
    cccd = identifiers.cccd(birth_prov, year, female, salt=seed % 1000003)
    has_cmnd = (year <= 2005) & (irng.random(n) < 0.7)
    cmnd = identifiers.cmnd(pid, salt=(seed * 7919) % 900_000_000)
    has_phone = (age >= 15) & (irng.random(n) < 0.9)
    phone = identifiers.phones(irng, n)
    created = np.maximum(dob, days(dt.date(2016, 1, 1))) + (
        irng.random(n) * (ref - 1 - np.maximum(dob, days(dt.date(2016, 1, 1))))
    ).astype(np.int64)
    upd = np.where(dead, np.maximum(dod, created), created)
    upd = np.minimum(upd + irng.integers(0, 200, n), ref - 1)
    upd_secs = irng.integers(6 * 3600, 20 * 3600, n)
    house_no = irng.integers(1, 400, n)
    hamlet = irng.integers(1, 15, n)

    role_name = pl.Series(["Chủ hộ", "Vợ/Chồng", "Con", "Con", "Con", "Con", "Cha/Mẹ"]).gather(role)
    persons = pl.DataFrame(
        {
            "pid": pid,
            "hh": hh_idx.astype(np.int64),
            "role": role.astype(np.int8),
            "female": female,
            "dob": (EPOCH + dob),
            "birth_prov": birth_prov.astype(np.int64),
            "cccd": cccd,
            "cmnd": cmnd,
            "has_cmnd": has_cmnd,
            "surname": surname,
            "middle": mid,
            "given": giv,
            "ward_i": ward_i.astype(np.int64),
            "phone": phone,
            "has_phone": has_phone,
            "father": father,
            "mother": mother,
            "dead": dead,
            "dod": EPOCH + dod,
            "upd": EPOCH + upd,
            "upd_secs": upd_secs,
            "street": st,
            "house_no": house_no,
            "hamlet": hamlet,
            "role_name": role_name,
        }
    )
    w = wards.with_row_index("ward_i").with_columns(pl.col("ward_i").cast(pl.Int64))
    persons = persons.join(
        w.select(
            "ward_i", "ward_legacy", "district_legacy", "province_legacy", "commune_2025", "province_2025", "ward_type"
        ),
        on="ward_i",
        how="left",
        maintain_order="left",
    ).with_columns(
        full_name=pl.concat_str("surname", "middle", "given", separator=" "),
        cmnd=pl.when("has_cmnd").then("cmnd"),
        phone=pl.when("has_phone").then("phone"),
        dod=pl.when("dead").then("dod"),
        address=pl.when(pl.col("ward_type") == "Phường")
        .then(pl.format("Số {} đường {}", "house_no", "street"))
        .otherwise(pl.format("Thôn {}", "hamlet")),
        year=pl.col("dob").dt.year(),
    )
    persons = persons.join(
        persons.select(
            pl.col("pid").alias("father"), pl.col("cccd").alias("father_cccd"), pl.col("full_name").alias("father_name")
        ),
        on="father",
        how="left",
        maintain_order="left",
    ).join(
        persons.select(
            pl.col("pid").alias("mother"), pl.col("cccd").alias("mother_cccd"), pl.col("full_name").alias("mother_name")
        ),
        on="mother",
        how="left",
        maintain_order="left",
    )
    persons = persons.with_columns(born_day=pl.lit(0, dtype=pl.Int32))
    n0 = persons.height
    if n_days > 0:
        persons = pl.concat([persons, _newborns(persons, seed, start, n_days)], how="vertical_relaxed")
    persons = _schedule(persons, n0, seed, n_days).drop(
        "surname", "middle", "given", "street", "house_no", "hamlet", "has_cmnd", "has_phone", "ward_type"
    )
    return Population(persons=persons, start=start, n_initial=n0)


# Modelled daily event rates (per person per day). Deliberately higher than real life (births ≈ 4e-5) so that
# a small demo population still shows every kind of change within a few days. Keep them configurable here.
BIRTH_RATE = 3e-4
DEATH_RATE = 2e-4
MOVE_RATE = 5e-4


def _newborns(persons: pl.DataFrame, seed: int, start: dt.date, n_days: int) -> pl.DataFrame:
    """Children born on delta days 1..n_days to living mothers aged 20-40 who live with a partner."""
    rng = stream(seed, "births")
    n0 = persons.height
    y = start.year
    partners = persons.filter(pl.col("role") <= 1)
    male = partners.filter(~pl.col("female")).select(
        "hh",
        pl.col("pid").alias("father"),
        pl.col("surname").alias("f_surname"),
        pl.col("cccd").alias("father_cccd"),
        pl.col("full_name").alias("father_name"),
    )
    mothers = (
        partners.filter(pl.col("female") & ~pl.col("dead") & pl.col("year").is_between(y - 40, y - 20))
        .join(male, on="hh", how="inner")
        .sort("pid")
    )
    per_day = rng.poisson(BIRTH_RATE * n0, n_days)
    k = int(per_day.sum())
    if k == 0 or mothers.height == 0:
        return persons.clear()
    day = np.repeat(np.arange(1, n_days + 1), per_day).astype(np.int32)
    m = mothers[pl.Series(rng.integers(0, mothers.height, k))]
    female = rng.random(k) < 0.487
    mid, giv = names.middles_and_given(stream(seed, "births", "names"), female)
    dob = EPOCH + (days(start) + day.astype(np.int64) - rng.integers(0, 2, k))
    year = np.full(k, 0) + (dob.astype("datetime64[Y]").astype(np.int64) + 1970)
    prov = m["province_legacy"].cast(pl.Int64).to_numpy()
    pid = np.arange(n0, n0 + k, dtype=np.int64)
    cccd = identifiers.cccd(prov, year, female, salt=seed % 1000003, rank_offset=500_000)
    new = m.select(
        pl.lit(pid).alias("pid"),
        "hh",
        pl.lit(2, dtype=pl.Int8).alias("role"),
        pl.lit(female).alias("female"),
        pl.lit(dob).alias("dob"),
        pl.lit(prov).alias("birth_prov"),
        pl.lit(cccd).alias("cccd"),
        pl.lit(None, dtype=pl.Utf8).alias("cmnd"),
        pl.lit(False).alias("has_cmnd"),
        pl.col("f_surname").alias("surname"),
        pl.lit(mid).alias("middle"),
        pl.lit(giv).alias("given"),
        "ward_i",
        pl.lit(None, dtype=pl.Utf8).alias("phone"),
        pl.lit(False).alias("has_phone"),
        "father",
        pl.col("pid").alias("mother"),
        pl.lit(False).alias("dead"),
        pl.lit(None, dtype=pl.Date).alias("dod"),
        pl.lit(dob).alias("upd"),
        "upd_secs",
        "street",
        "house_no",
        "hamlet",
        pl.lit("Con").alias("role_name"),
        "ward_legacy",
        "district_legacy",
        "province_legacy",
        "commune_2025",
        "province_2025",
        "ward_type",
        pl.concat_str(pl.col("f_surname"), pl.lit(mid), pl.lit(giv), separator=" ").alias("full_name"),
        "address",
        pl.lit(year).cast(pl.Int32).alias("year"),
        "father_cccd",
        "father_name",
        pl.col("cccd").alias("mother_cccd"),
        pl.col("full_name").alias("mother_name"),
        pl.lit(day).alias("born_day"),
    )
    return new.select(persons.columns).cast(dict(persons.schema))


def _schedule(persons: pl.DataFrame, n0: int, seed: int, n_days: int) -> pl.DataFrame:
    """death_day / move_day (0 = none) and a destination ward for movers, for delta days 1..n_days."""
    rng = stream(seed, "timeline")
    n = persons.height
    death_day = np.zeros(n, np.int32)
    move_day = np.zeros(n, np.int32)
    new_ward = persons["ward_i"].to_numpy().copy()
    if n_days > 0:
        alive = ~persons["dead"].to_numpy() & (np.arange(n) < n0)
        age_w = np.clip(persons["year"].to_numpy().max() - persons["year"].to_numpy(), 1, 100) ** 2.0
        cand = np.flatnonzero(alive)
        k = min(len(cand), int(rng.poisson(DEATH_RATE * n0 * n_days)))
        if k:
            who = rng.choice(cand, size=k, replace=False, p=age_w[cand] / age_w[cand].sum())
            death_day[who] = rng.integers(1, n_days + 1, k)
        cand = np.flatnonzero(alive & (death_day == 0))
        k = min(len(cand), int(rng.poisson(MOVE_RATE * n0 * n_days)))
        if k:
            who = rng.choice(cand, size=k, replace=False)
            move_day[who] = rng.integers(1, n_days + 1, k)
            new_ward[who] = rng.integers(0, int(persons["ward_i"].max()) + 1, k)
    return persons.with_columns(
        death_day=pl.Series(death_day), move_day=pl.Series(move_day), new_ward_i=pl.Series(new_ward)
    )


def person_id(pid: pl.Expr) -> pl.Expr:
    """Public ground-truth id for a person index."""
    return pl.format("P{}", pid.cast(pl.Utf8).str.zfill(9))
