"""The simulation driver: population -> sources (full extract, then daily deltas) -> landing + truth.

Why source by source: memory stays bounded by one source (plus the shared population). Each source gets its
own random stream, so output is byte-identical for a given (seed, scale, start-date, days), whatever subset
of sources is asked for.
"""

from __future__ import annotations

import datetime as dt
import importlib
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from simulator import catalog, deltas, enterprise, manifest, population, writers
from simulator.catalog import SourceSpec
from simulator.defects import LEDGER_SCHEMA, Rule, inject
from simulator.rng import stream
from simulator.sources.common import Context

ROWS_PER_PART = 500_000
Progress = Callable[[str, str, int], None]  # (source, batch_id, rows)


@dataclass
class BatchInfo:
    source: str
    batch_id: str
    kind: str
    rows: int
    path: str

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class SimulationSummary:
    out: str
    scale: float
    seed: int
    days: int
    start_date: str
    persons: int
    enterprises: int
    batches: list[BatchInfo] = field(default_factory=list)
    truth_files: dict[str, str] = field(default_factory=dict)

    def rows_by_source(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for b in self.batches:
            out[b.source] = out.get(b.source, 0) + b.rows
        return out

    @property
    def total_rows(self) -> int:
        return sum(b.rows for b in self.batches)

    def to_dict(self) -> dict:
        return {
            "out": self.out,
            "scale": self.scale,
            "seed": self.seed,
            "days": self.days,
            "start_date": self.start_date,
            "persons": self.persons,
            "enterprises": self.enterprises,
            "total_rows": self.total_rows,
            "rows_by_source": self.rows_by_source(),
            "batches": [b.to_dict() for b in self.batches],
            "truth_files": dict(self.truth_files),
        }


def source_module(name: str):
    return importlib.import_module(f"simulator.sources.{name}")


def extract_time(day: dt.date, spec: SourceSpec) -> str:
    """Deterministic extract timestamp: 02:00 local + a per-source offset (minutes)."""
    minute = (catalog.SOURCE_NAMES.index(spec.name) * 7) % 60
    return f"{day.isoformat()}T02:{minute:02d}:00+07:00"


def batch_id_for(day: dt.date, seq: int = 1) -> str:
    return f"{day:%Y%m%d}-{seq:02d}"


def timestamp_expr() -> pl.Expr:
    """ngay_cap_nhat from the hidden _upd date + _secs second-of-day, local time (+07:00)."""
    return (pl.col("_upd").cast(pl.Datetime("us")) + pl.duration(seconds=pl.col("_secs"))).dt.strftime(
        "%Y-%m-%dT%H:%M:%S+07:00"
    )


def truth_of(df: pl.DataFrame, spec: SourceSpec, batch_id: str) -> pl.DataFrame:
    """Ground truth for landed rows: record key -> true person / enterprise id."""
    return df.select(
        pl.lit(spec.name).alias("source"),
        pl.lit(batch_id).alias("batch_id"),
        pl.col("_key").alias("record_key"),
        pl.when(pl.col("_eid") >= 0).then(pl.lit("enterprise")).otherwise(pl.lit("person")).alias("entity_type"),
        pl.when(pl.col("_eid") >= 0)
        .then(enterprise.enterprise_id(pl.col("_eid")))
        .otherwise(population.person_id(pl.col("_pid")))
        .alias("true_id"),
    )


def finalize(
    df: pl.DataFrame,
    spec: SourceSpec,
    batch_id: str,
    rng: np.random.Generator,
    defect_multiplier: float,
    op: str | pl.Expr = "I",
    with_defects: bool = True,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Clean builder output -> (landed rows, record truth, defect ledger, dirty state incl. hidden columns)."""
    mod = source_module(spec.name)
    df = df.with_row_index("_row")
    if with_defects:
        rules = [Rule(r.field, r.kind, min(1.0, r.rate * defect_multiplier)) for r in mod.RULES]
        df, ledger, dups = inject(
            df,
            rules,
            rng,
            getattr(mod, "LEGACY", None),
            getattr(mod, "LEGACY_RATE", 0.0) * defect_multiplier,
            getattr(mod, "DUP_RATE", 0.0) * defect_multiplier,
        )
    else:
        ledger = pl.DataFrame(
            schema={
                "_row": pl.UInt32,
                "field": pl.Utf8,
                "defect_type": pl.Utf8,
                "clean_value": pl.Utf8,
                "dirty_value": pl.Utf8,
            }
        )
        dups = np.zeros(0, np.int64)
    op_expr = pl.lit(op) if isinstance(op, str) else op
    df = df.with_columns(ngay_cap_nhat=timestamp_expr(), thao_tac=op_expr).with_columns(
        _key=pl.concat_str([pl.col(c).fill_null("") for c in spec.natural_key], separator="|")
    )
    keys = df.select("_row", "_key")
    ledger = (
        ledger.join(keys, on="_row", how="left")
        .select(
            pl.lit(spec.name).alias("source"),
            pl.lit(batch_id).alias("batch_id"),
            pl.col("_key").alias("record_key"),
            "field",
            "defect_type",
            "clean_value",
            "dirty_value",
        )
        .cast(LEDGER_SCHEMA)
    )
    truth = truth_of(df, spec, batch_id)
    df_out = pl.concat([df, df[pl.Series(dups)]]) if len(dups) else df
    landed = df_out.select(spec.column_names)
    return landed, truth, ledger, df


def write_batch(out: Path, spec: SourceSpec, batch_id: str, kind: str, day: dt.date, landed: pl.DataFrame) -> Path:
    bdir = out / "landing" / spec.name / batch_id
    if bdir.exists():
        shutil.rmtree(bdir)
    files = writers.write_parts(landed, spec, bdir, batch_id, ROWS_PER_PART)
    manifest.write(bdir, manifest.build(spec, batch_id, kind, extract_time(day, spec), files))
    return bdir


def _validate(scale: float, seed: int, days: int, sources: Sequence[str] | None) -> list[str]:
    if not (0 < scale <= 10):
        raise ValueError(f"scale must be in (0, 10], got {scale}")
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    if days < 0 or days > 366:
        raise ValueError(f"days must be in [0, 366], got {days}")
    names = list(catalog.SOURCE_NAMES) if not sources else list(dict.fromkeys(sources))
    for s in names:
        catalog.get(s)
    return [s for s in catalog.SOURCE_NAMES if s in names]


def simulate(
    out: Path,
    scale: float = 0.001,
    seed: int = 42,
    days: int = 0,
    start_date: dt.date = dt.date(2025, 11, 1),
    sources: Sequence[str] | None = None,
    progress: Progress | None = None,
    defect_multiplier: float = 1.0,
) -> SimulationSummary:
    """Write landing batches and truth files under `out`; see docs/landing-zone.md for the contract."""
    names = _validate(scale, seed, days, sources)
    out = Path(out)
    n_persons = max(
        50,
        round(
            catalog.TOTAL_RECORDS_AT_SCALE_1
            * scale
            * catalog.get("dc_population").share
            / (1 + source_module("dc_population").DUP_RATE)
        ),
    )
    pop = population.generate(n_persons, seed, start_date, days)
    spec_dn = catalog.get("dn_enterprise")
    ents = enterprise.generate(
        max(10, round(spec_dn.rows_at(scale) / (1 + source_module("dn_enterprise").DUP_RATE))), pop, seed
    )
    truth_dir = out / "truth"
    tmp_dir = truth_dir / "_parts"
    if tmp_dir.exists():
        shutil.rmtree(tmp_dir)
    tmp_dir.mkdir(parents=True)
    summary = SimulationSummary(str(out), scale, seed, days, start_date.isoformat(), pop.persons.height, ents.height)

    for si, name in enumerate(names):
        spec = catalog.get(name)
        mod = source_module(name)
        truth_parts: list[pl.DataFrame] = []
        ledger_parts: list[pl.DataFrame] = []
        ctx = Context(pop=pop, enterprises=ents, seed=seed, start=start_date, rng=stream(seed, "source", name, 0))
        clean = mod.build(ctx, spec.rows_at(scale))
        bid = batch_id_for(start_date)
        landed, truth, ledger, state = finalize(clean, spec, bid, ctx.rng, defect_multiplier)
        del clean
        bdir = write_batch(out, spec, bid, "full", start_date, landed)
        summary.batches.append(BatchInfo(name, bid, "full", landed.height, str(bdir)))
        if progress:
            progress(name, bid, landed.height)
        truth_parts.append(truth)
        ledger_parts.append(ledger)
        del landed
        serial_next = max(ctx.serial_base, state.height) + 1
        prev = 0
        for day_no in range(1, days + 1):
            if not deltas.delivers(spec, day_no):
                continue
            day = start_date + dt.timedelta(days=day_no)
            bid = batch_id_for(day)
            drng = stream(seed, "source", name, day_no)
            res = deltas.delta_batch(ctx, spec, mod, state, day_no, prev, drng, bid, defect_multiplier, serial_next)
            state, serial_next, prev = res.state, res.serial_next, day_no
            bdir = write_batch(out, spec, bid, "delta", day, res.landed)
            summary.batches.append(BatchInfo(name, bid, "delta", res.landed.height, str(bdir)))
            if progress:
                progress(name, bid, res.landed.height)
            truth_parts.append(res.truth)
            ledger_parts.append(res.ledger)
        pl.concat(truth_parts).write_parquet(tmp_dir / f"truth_{si:02d}.parquet")
        pl.concat(ledger_parts).write_parquet(tmp_dir / f"ledger_{si:02d}.parquet")
        del state, truth_parts, ledger_parts

    _write_truth(out, pop, ents, tmp_dir, summary)
    return summary


def _write_truth(
    out: Path, pop: population.Population, ents: pl.DataFrame, tmp_dir: Path, summary: SimulationSummary
) -> None:
    tdir = out / "truth"
    p = pop.persons.select(
        population.person_id(pl.col("pid")).alias("person_id"),
        pl.col("cccd"),
        pl.col("cmnd"),
        pl.col("full_name"),
        pl.col("dob").alias("date_of_birth"),
        pl.when(pl.col("female")).then(pl.lit("F")).otherwise(pl.lit("M")).alias("sex"),
        pl.col("birth_prov").cast(pl.Utf8).str.zfill(2).alias("birth_province_legacy"),
        pl.format("HGD{}", pl.col("hh").cast(pl.Utf8).str.zfill(10)).alias("household_id"),
        pl.col("role_name").alias("household_role"),
        pl.when(pl.col("father") >= 0).then(population.person_id(pl.col("father"))).alias("father_person_id"),
        pl.when(pl.col("mother") >= 0).then(population.person_id(pl.col("mother"))).alias("mother_person_id"),
        pl.col("ward_legacy"),
        pl.col("commune_2025"),
        pl.col("province_2025"),
        pl.col("phone"),
        pl.col("dead").alias("is_deceased_at_start"),
        pl.col("dod").alias("date_of_death"),
        pl.col("born_day").alias("born_on_delta_day"),
        pl.col("death_day").alias("dies_on_delta_day"),
    )
    p.write_parquet(tdir / "person.parquet")
    ents.select(
        enterprise.enterprise_id(pl.col("eid")).alias("enterprise_id"),
        "mst",
        "name",
        "type",
        pl.col("founded").alias("founded_on"),
        "status",
        "commune_2025",
        "province_2025",
        population.person_id(pl.col("rep_pid")).alias("representative_person_id"),
    ).write_parquet(tdir / "enterprise.parquet")
    truths = sorted(tmp_dir.glob("truth_*.parquet"))
    ledgers = sorted(tmp_dir.glob("ledger_*.parquet"))
    # streamed concatenation: at scale 0.1 the truth table alone has ~16 M rows
    pl.scan_parquet(truths).sink_parquet(tdir / "record_truth.parquet", maintain_order=True)
    pl.scan_parquet(ledgers).sink_parquet(tdir / "defects.parquet", maintain_order=True)
    shutil.rmtree(tmp_dir)
    summary.truth_files = {k: str(tdir / f"{k}.parquet") for k in ("person", "enterprise", "record_truth", "defects")}
