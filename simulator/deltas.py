"""Daily delta batches: inserts, updates (moves, status changes, deaths arriving late) and deletions.

Model: the population timeline (population.py) fixes, for delta days 1..D, who is born, who dies and who moves.
Event day e happens on calendar date start + e - 1 and reaches a source on day e + extra lag + source lag
(deaths reach civil status and population at once, residence after ~3 days, benefits and licences much later).
A source delivers on its cadence (daily / every 7th day); each batch carries the changes that arrived since its
previous batch. On top, every source has random churn (new records, status changes, deletions).

`state` is the landed (dirty) table of the source with hidden columns, so an update re-sends the record as the
source holds it, with the same record key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import ModuleType

import numpy as np
import polars as pl

from simulator.catalog import SourceSpec
from simulator.sources.common import Context, iso

# extra days before a death reaches the source (after it happened); absent = never propagated in the window
DEATH_LAG = {
    "dc_population": 0,
    "ht_civil_status": 0,
    "ct_residence": 3,
    "xh_social_insurance": 4,
    "yb_health_insurance": 5,
    "as_social_protection": 10,
    "th_tax": 15,
    "xc_passport": 14,
    "lx_driving_licence": 20,
    "xe_vehicle": 30,
}
# days after a birth before it reaches the source (linked procedure: birth + residence + child's health card)
BIRTH_LAG = {"dc_population": 0, "ht_civil_status": 0, "ct_residence": 3, "yb_health_insurance": 7}
MOVE_LAG = {"dc_population": 0, "ct_residence": 0}
# random churn per record per day (modelled)
INSERT_RATE = 0.002
NO_RANDOM_INSERTS = {"dc_population", "ht_civil_status", "dn_enterprise"}
UPDATE_RATE = 0.003
DELETE_RATE = 0.0005
STATUS_COLUMN = {
    "ct_residence": "trang_thai",
    "dn_enterprise": "trang_thai",
    "th_tax": "trang_thai_mst",
    "xh_social_insurance": "trang_thai",
    "yb_health_insurance": "trang_thai",
    "xe_vehicle": "trang_thai",
    "lx_driving_licence": "trang_thai",
    "gd_education": "trang_thai",
    "as_social_protection": "trang_thai",
    "ld_labour": "trang_thai",
    "ll_judicial_records": "tinh_trang_xoa_an",
    "xc_passport": "trang_thai",
    "dd_land": "muc_dich_su_dung",
    "yt_health": "ma_co_so_tiem",
    "ht_civil_status": "quyen_so",
    "dc_population": "so_dien_thoai",
}


def delivers(spec: SourceSpec, day_no: int) -> bool:
    """Daily sources deliver every day; weekly ones every 7th day."""
    return spec.cadence == "daily" or day_no % 7 == 0


@dataclass
class DeltaResult:
    landed: pl.DataFrame
    truth: pl.DataFrame
    ledger: pl.DataFrame
    state: pl.DataFrame
    serial_next: int


def _arrived(event_day: pl.Expr, lag: int, prev: int, day_no: int) -> pl.Expr:
    arrival = event_day + lag
    return (event_day > 0) & (arrival > prev) & (arrival <= day_no)


def _stamp(
    df: pl.DataFrame, ctx: Context, spec: SourceSpec, day_no: int, rng: np.random.Generator, op: str
) -> pl.DataFrame:
    """Set the update timestamp to the day the change was made in the source (late sources: earlier)."""
    d = ctx.start + dt.timedelta(days=max(day_no - spec.lag_days - 1, 0))
    from simulator.engine import timestamp_expr

    return df.with_columns(
        _upd=pl.lit(d), _secs=pl.Series(rng.integers(7 * 3600, 23 * 3600, df.height)), thao_tac=pl.lit(op)
    ).with_columns(ngay_cap_nhat=timestamp_expr())


def delta_batch(
    ctx: Context,
    spec: SourceSpec,
    mod: ModuleType,
    state: pl.DataFrame,
    day_no: int,
    prev: int,
    rng: np.random.Generator,
    batch_id: str,
    defect_multiplier: float,
    serial_next: int,
) -> DeltaResult:
    from simulator.engine import finalize, truth_of

    ctx.rng = rng
    persons = ctx.pop.persons
    name = spec.name
    span = day_no - prev
    changed: list[pl.DataFrame] = []  # rows (full state schema) updated in this batch
    inserts: list[pl.DataFrame] = []  # clean builder output to finalize

    # --- deaths ----------------------------------------------------------------------------------
    if name in DEATH_LAG:
        lag = DEATH_LAG[name] + spec.lag_days
        dying = persons.filter(_arrived(pl.col("death_day"), lag, prev, day_no)).select("pid", "death_day")
        if dying.height:
            if name == "ht_civil_status":
                dd = dying["death_day"].to_numpy().astype(np.int64) - 1
                ctx.serial_base = serial_next
                inserts.append(mod.death_events(ctx, dying["pid"].to_numpy(), ctx.ref + dd))
                serial_next += dying.height
            else:
                hit = state.join(dying.rename({"pid": "_pid"}), on="_pid", how="inner")
                if name == "dc_population":
                    hit = hit.with_columns(
                        tinh_trang=pl.lit("da_mat"),
                        ngay_mat=iso(pl.lit(ctx.start) + pl.duration(days=pl.col("death_day") - 1)),
                        _dead=pl.lit(True),
                    )
                else:
                    hit = hit.with_columns(**{k: pl.lit(v) for k, v in mod.INACTIVE.items()}, _dead=pl.lit(True))
                changed.append(hit.drop("death_day"))

    # --- moves -----------------------------------------------------------------------------------
    if name in MOVE_LAG:
        movers = persons.filter(_arrived(pl.col("move_day"), MOVE_LAG[name] + spec.lag_days, prev, day_no))
        if movers.height:
            from simulator import admin_units

            w = admin_units.load().wards.with_row_index("new_ward_i").with_columns(pl.col("new_ward_i").cast(pl.Int64))
            dest = movers.select(pl.col("pid").alias("_pid"), "new_ward_i", "move_day").join(
                w.select("new_ward_i", "commune_2025", "province_2025"), on="new_ward_i", how="left"
            )
            if name == "dc_population":
                hit = state.join(dest, on="_pid", how="inner").with_columns(
                    ma_tinh_thuong_tru=pl.col("province_2025"),
                    ma_xa_thuong_tru=pl.col("commune_2025"),
                    ma_huyen_thuong_tru=pl.lit(None, dtype=pl.Utf8),
                    dia_chi_chi_tiet=pl.format("Số {} đường Lê Lợi", pl.col("_pid") % 300 + 1),
                )
                changed.append(hit.select(state.columns))
            else:  # residence: close the active permanent registration, open a new one
                old = state.filter((pl.col("loai_cu_tru") == "thuong_tru") & (pl.col("trang_thai") == "dang_hieu_luc"))
                hit = old.join(dest, on="_pid", how="inner").unique(subset="_pid", keep="first", maintain_order=True)
                changed.append(hit.select(state.columns).with_columns(trang_thai=pl.lit("het_hieu_luc")))
                new = hit.with_columns(
                    ngay_dang_ky=iso(pl.lit(ctx.start) + pl.duration(days=pl.col("move_day") - 1)),
                    ma_tinh=pl.col("province_2025"),
                    ma_xa=pl.col("commune_2025"),
                    ma_huyen=pl.lit(None, dtype=pl.Utf8),
                    trang_thai=pl.lit("dang_hieu_luc"),
                    ngay_het_han=pl.lit(None, dtype=pl.Utf8),
                    _rec_date=pl.lit(ctx.start) + pl.duration(days=pl.col("move_day") - 1),
                ).select([c for c in state.columns if c not in ("_row", "ngay_cap_nhat", "thao_tac", "_key")])
                inserts.append(new)

    # --- births: DC + HT at once; residence registration and a child's health card follow later ----------
    if name in BIRTH_LAG:
        born_df = persons.filter(_arrived(pl.col("born_day"), BIRTH_LAG[name] + spec.lag_days, prev, day_no))
        born = born_df["pid"].to_numpy()
        if len(born):
            ctx.serial_base = serial_next
            if name == "dc_population":
                inserts.append(mod.build(ctx, 0, pids=born))
            elif name == "ht_civil_status":
                inserts.append(mod.birth_events(ctx, born))
            elif name == "ct_residence":
                inserts.append(
                    mod.build(
                        ctx,
                        0,
                        pids=born,
                        kind="thuong_tru",
                        rec_date=born_df["dob"] + dt.timedelta(days=BIRTH_LAG[name]),
                    )
                )
            else:
                inserts.append(mod.build(ctx, 0, pids=born))
            serial_next += len(born)

    # --- random churn ------------------------------------------------------------------------------
    n_state = state.height
    # DC and HT only grow through the timeline (births, deaths); DN has no new firms in the window (thin)
    k_ins = 0 if name in NO_RANDOM_INSERTS else int(rng.poisson(INSERT_RATE * n_state * span))
    k_upd = int(rng.poisson(UPDATE_RATE * n_state * span))
    k_del = int(rng.poisson(DELETE_RATE * n_state * span * (0.1 if name == "dc_population" else 1.0)))
    if k_ins:
        ctx.serial_base = serial_next
        inserts.append(mod.build(ctx, k_ins))
        serial_next = max(serial_next + k_ins, ctx.serial_base) + 1
    col = STATUS_COLUMN.get(name)
    if k_upd and n_state:
        rows = state[pl.Series(np.sort(rng.choice(n_state, min(k_upd, n_state), replace=False)))]
        values = state[col].drop_nulls().unique(maintain_order=True)
        if name == "dc_population":
            from simulator.identifiers import phones

            newv = phones(rng, rows.height)
        elif values.len():
            newv = values.gather(rng.integers(0, values.len(), rows.height))
        else:
            newv = rows[col]
        changed.append(rows.with_columns(newv.alias(col)))

    # --- assemble --------------------------------------------------------------------------------
    if changed:
        upd = pl.concat([c.select(state.columns) for c in changed]).unique(
            subset="_key", keep="last", maintain_order=True
        )
    else:
        upd = state.clear()
    dels = state.clear()
    if k_del and n_state:
        cand = state.join(upd.select("_key"), on="_key", how="anti")
        if cand.height:
            dels = cand[pl.Series(np.sort(rng.choice(cand.height, min(k_del, cand.height), replace=False)))]
    upd = _stamp(upd, ctx, spec, day_no, rng, "U")
    dels = _stamp(dels, ctx, spec, day_no, rng, "D")

    ins_state = state.clear()
    ins_landed = pl.DataFrame(schema={c: pl.Utf8 for c in spec.column_names})
    ins_truth = truth_of(state.clear(), spec, batch_id)
    from simulator.defects import LEDGER_SCHEMA

    ins_ledger = pl.DataFrame(schema=LEDGER_SCHEMA)
    if inserts:
        clean = pl.concat(inserts, how="vertical_relaxed")
        clean = clean.with_columns(
            _upd=pl.lit(ctx.start + dt.timedelta(days=max(day_no - spec.lag_days - 1, 0))),
            _secs=pl.Series(rng.integers(7 * 3600, 23 * 3600, clean.height)),
        )
        ins_landed, ins_truth, ins_ledger, ins_state = finalize(clean, spec, batch_id, rng, defect_multiplier)
        # a new record never reuses a key the source already holds
        fresh = ~ins_state["_key"].is_in(state["_key"].implode())
        if not fresh.all():
            keep_keys = ins_state.filter(fresh)["_key"]
            ins_state = ins_state.filter(fresh)
            ins_truth = ins_truth.filter(pl.col("record_key").is_in(keep_keys.implode()))
            ins_ledger = ins_ledger.filter(pl.col("record_key").is_in(keep_keys.implode()))
            ins_landed = (
                ins_landed.with_columns(
                    _k=pl.concat_str([pl.col(c).fill_null("") for c in spec.natural_key], separator="|")
                )
                .filter(pl.col("_k").is_in(keep_keys.implode()))
                .drop("_k")
            )
        ins_state = ins_state.with_columns(pl.col("_row") + n_state + 10_000_000 * day_no)

    key_cols = list(spec.natural_key)
    del_landed = dels.select(
        [
            pl.col(c) if c in key_cols or c in ("ngay_cap_nhat", "thao_tac") else pl.lit(None, dtype=pl.Utf8).alias(c)
            for c in spec.column_names
        ]
    )
    landed = pl.concat([upd.select(spec.column_names), ins_landed, del_landed], how="vertical_relaxed")
    truth = pl.concat([truth_of(upd, spec, batch_id), ins_truth, truth_of(dels, spec, batch_id)])
    new_state = pl.concat(
        [
            state.join(pl.concat([upd.select("_key"), dels.select("_key")]), on="_key", how="anti"),
            upd.select(state.columns),
            ins_state.select(state.columns).cast(dict(state.schema)),
        ]
    )
    return DeltaResult(landed, truth, ins_ledger, new_state, serial_next)
