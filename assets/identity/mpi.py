"""Master person index: probabilistic links (Splink, via :mod:`assets.linkage`) for the mentions the
deterministic rules left unlinked or refused, written back to the warehouse. Pure functions on a DuckDB
connection; the Dagster asset (orchestration/mpi_asset.py) is a thin wrapper.

Why this shape:
* Only mentions without a deterministic link are scored (94 % are already linked by an identifier), against the
  population register (one row per CCCD): the population is the person universe, so a link is a CCCD.
* A refused contradiction keeps its CCCD as ``id_number``: Splink weighs it like any other feature instead of
  trusting or discarding it.
* The engine returns every pair at or above a low candidate floor; each mention keeps its best candidate
  (one-to-one per mention), and the decision comes from thresholds read off the fitted model (see
  :func:`choose_cutoffs`), never from labels.
* Exactly one output row per input mention: unlinked mentions are rows too (nothing silently dropped).
"""

from __future__ import annotations

import functools
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from assets.linkage import choose_threshold, link

MENTIONS = "integration.int_person_mentions"
DETERMINISTIC = "integration.int_person_links__deterministic"
POPULATION = "staging.stg_dc_population__persons"
LINKS_TABLE = "integration.mpi_person_links"
REVIEW_TABLE = "integration.mpi_review_queue"
MODEL_FILE = Path("models") / "mpi_model.json"

# Pairs below this probability are not worth keeping as candidates (their odds are < 1:19).
CANDIDATE_FLOOR = 0.05
# A best candidate whose runner-up is within this many match-weight bits (odds < 2x) is ambiguous: review it.
AMBIGUITY_BITS = 1.0
# The review band reaches down while a reviewer still expects this share of true matches among its pairs.
REVIEW_MIN_YIELD = 0.25
DECISIONS = ("linked", "review", "unlinked")

# Standard linkage names -> the columns of the two frames built below. The father's name rides in the engine's
# `address` feature (a name key compared exactly / by Jaro-Winkler >= 0.9): the engine has no parents' group.
MAPPING = {
    "record_id": "record_id",
    "full_name": "full_name",
    "birth_date": "birth_date",
    "sex": "sex",
    "postcode": "commune_code",
    "phone": "phone",
    "address": "father_name",
    "id_number": "id_number",
}

# How the engine's feature groups read in this domain (metadata, docs).
FEATURE_LABELS = {"address": "father_name", "postcode": "commune", "id_number": "refused_cccd"}

# Birth date with its precision: a year-precision date is passed as a bare year, which the engine compares at
# year level only (a defaulted 01/01 must not disagree with the true day).
_BIRTH = (
    "case when {p}.birth_date_precision = 'year' then cast(year({p}.birth_date) as varchar) "
    "else cast({p}.birth_date as varchar) end"
)

LEFT_SQL = f"""
select m.mention_id as record_id, m.source_code, m.record_key, m.full_name, {_BIRTH.format(p="m")} as birth_date,
       m.birth_date_precision, m.sex, m.commune_code, m.phone, m.father_name, m.mother_name,
       m.cccd as id_number, d.refused_contradiction
from {MENTIONS} as m
inner join {DETERMINISTIC} as d on d.mention_id = m.mention_id
where d.linked_cccd is null
"""

RIGHT_SQL = f"""
select p.cccd as record_id, p.full_name, {_BIRTH.format(p="p")} as birth_date, p.sex,
       p.residence_commune_code as commune_code, p.phone, p.father_name, p.mother_name, p.cccd as id_number
from {POPULATION} as p
where p.cccd is not null
qualify row_number() over (partition by p.cccd order by p.source_updated_at desc nulls last, p.record_key) = 1
"""


@dataclass
class MpiSummary:
    """What a run decided, for logs, asset metadata and the benchmark."""

    mentions: int
    candidates: int  # population persons
    decisions: dict[str, int]
    threshold: float
    threshold_reason: str
    review_floor: float
    review_floor_reason: str
    n_comparisons: int
    features: list[str]
    model_path: str | None
    model_reused: bool
    seconds: float
    stats: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def choose_cutoffs(con: duckdb.DuckDBPyConnection, best: str) -> tuple[float, str, float, str]:
    """Link threshold and review floor from the fitted model's own probabilities on the best candidates.

    Threshold: the engine's maximum expected F1 over the best candidate per mention (each counts as p of a true
    match). Review floor: going down from the threshold, the lowest probability at which the band [floor,
    threshold) still expects REVIEW_MIN_YIELD true matches per reviewed mention (its mean p), so that review time
    goes where a match is plausible; never below CANDIDATE_FLOOR. Below the floor a mention stays unlinked.
    """
    threshold, reason = choose_threshold(con, best)
    lowest, n_band, mean_p = con.sql(
        f"""with c as (select match_probability as p, count(*) over w as n, avg(match_probability) over w as mean_p
                      from {best} where match_probability < {threshold}
                      window w as (order by match_probability desc rows between unbounded preceding and current row))
            select min(p), max(n), min(mean_p) from c where mean_p >= {REVIEW_MIN_YIELD}"""
    ).fetchall()[0]
    if lowest is None:
        return threshold, reason, threshold, "no best candidate below the threshold: only ambiguous links to review"
    floor = round(max(float(lowest), CANDIDATE_FLOOR), 4)
    floor_reason = (
        f"lowest p at which the band [p, threshold) still expects >= {REVIEW_MIN_YIELD:.0%} true matches per "
        f"reviewed mention ({n_band} mentions, mean p {mean_p:.2f}); ambiguous links above the threshold join it"
    )
    return threshold, reason, floor, floor_reason


def _evidence_sql(l_: str, r: str) -> str:
    """A short text of which features agreed (=), were close (~) or differed (!=) between mention and candidate."""

    def part(label: str, left: str, right: str, close: str | None = None) -> str:
        agree = f"{left} = {right}"
        near = f"when {close} then '{label}~' " if close else ""
        return (
            f"case when {left} is null or {right} is null then null when {agree} then '{label}=' "
            f"{near}else '{label}!=' end"
        )

    return (
        "concat_ws(' ', "
        + ", ".join(
            [
                part(
                    "name",
                    f"{l_}.name_key",
                    f"{r}.name_key",
                    f"jaro_winkler_similarity({l_}.name_key, {r}.name_key) >= 0.88",
                ),
                part(
                    "dob", f"{l_}.birth_date", f"{r}.birth_date", f"left({l_}.birth_date, 4) = left({r}.birth_date, 4)"
                ),
                part("sex", f"{l_}.sex", f"{r}.sex"),
                part("commune", f"{l_}.commune_code", f"{r}.commune_code"),
                part("phone", f"{l_}.phone", f"{r}.phone"),
                part(
                    "father",
                    f"{l_}.father_key",
                    f"{r}.father_key",
                    f"jaro_winkler_similarity({l_}.father_key, {r}.father_key) >= 0.9",
                ),
                part(
                    "mother",
                    f"{l_}.mother_key",
                    f"{r}.mother_key",
                    f"jaro_winkler_similarity({l_}.mother_key, {r}.mother_key) >= 0.9",
                ),
                part("id", f"{l_}.cccd", f"{r}.cccd"),
            ]
        )
        + ")"
    )


def _key(col: str) -> str:
    """SQL name match key (DOMAIN.md): Đ/đ -> d, strip marks, lower, collapse spaces."""
    return (
        f"nullif(trim(regexp_replace(lower(strip_accents(replace(replace(replace({col}, 'Ð', 'D'), 'Đ', 'D'), "
        f"'đ', 'd'))), '\\s+', ' ', 'g')), '')"
    )


def load_inputs(con: duckdb.DuckDBPyConnection) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The mentions to resolve (no deterministic link) and the population persons (one row per CCCD)."""
    return con.sql(LEFT_SQL).pl(), con.sql(RIGHT_SQL).pl()


def _model_reusable(path: Path, features: list[str]) -> bool:
    if not path.is_file():
        return False
    try:
        saved = [c["output_column_name"] for c in json.loads(path.read_text(encoding="utf-8"))["comparisons"]]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return sorted(saved) == sorted(features)


def complete_model(model: dict[str, Any], n_population: int) -> tuple[dict[str, Any], list[str]]:
    """Cap the u of the identity-number agreement level at 1 / population size.

    Against a register where every CCCD is unique, two random records share a CCCD with probability at most
    1 / population size. Random sampling rarely meets such a pair: at scale 0.01 u stayed untrained (Splink's
    default made a shared, refused CCCD nearly worthless, so records whose only defect was a one-year birth-date
    slip fell below the threshold), at 0.001 it was estimated from a handful of pairs. The name and birth-date
    comparisons still decide a borrowed CCCD (a different person disagrees on both; see tests/identity).
    """
    patched: list[str] = []
    out = json.loads(json.dumps(model))
    for comparison in out.get("comparisons", []):
        if comparison.get("output_column_name") != "id_number":
            continue
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level") or level.get("sql_condition") == "ELSE":
                continue
            cap = 1.0 / max(n_population, 2)
            u = level.get("u_probability")
            if level.get("label_for_charts") == "Exact" and (u is None or u > cap):
                level["u_probability"] = cap
                patched.append(f"id_number exact: u {u} -> 1/{n_population}")
    return out, patched


def _common_features(left: pl.DataFrame, right: pl.DataFrame) -> list[str]:
    """Feature groups both inputs can provide (what the engine would compare)."""
    from assets.linkage.normalise import apply_mapping, features_available

    lf, rf = (set(features_available(apply_mapping(f, MAPPING))) for f in (left, right))
    return sorted(lf & rf)


def run_mpi(
    con: duckdb.DuckDBPyConnection,
    data_dir: Path | None = None,
    *,
    reuse_model: bool = False,
    seed: int = 42,
) -> dict[str, Any]:
    """Link the unresolved mentions, write ``integration.mpi_person_links`` and ``integration.mpi_review_queue``.

    The trained model is saved under ``<data_dir>/models/mpi_model.json``. With ``reuse_model`` a saved model
    whose comparisons match today's features is used as is: Splink's sampling for u and EM is not bit-for-bit
    reproducible on DuckDB's threads, so retraining moves the threshold slightly between runs on the same data;
    a pinned model makes a re-run give the same tables (the platform's idempotency rule). Retrain deliberately
    (delete the file, or ``reuse_model=False``) when the sources change shape.
    """
    clock = time.perf_counter()
    left, right = load_inputs(con)
    model_path = data_dir / MODEL_FILE if data_dir is not None else None
    stats: dict[str, Any] = {}
    result = None
    features: list[str] = []
    threshold, reason, floor, floor_reason = 1.0, "no mention to resolve", 1.0, "no mention to resolve"
    n_comparisons = 0
    reused = False
    pairs = pl.DataFrame(
        schema={
            "record_id_l": pl.String,
            "record_id_r": pl.String,
            "match_probability": pl.Float64,
            "match_weight": pl.Float64,
        }
    )
    if left.height and right.height:
        reused = reuse_model and model_path is not None and _model_reusable(model_path, _common_features(left, right))
        link_mentions = functools.partial(
            link,
            left,
            right,
            left_mapping=MAPPING,
            right_mapping=MAPPING,
            con=con,
            threshold=CANDIDATE_FLOOR,
            labels=("unresolved mentions", "population"),
            seed=seed,
        )
        result = link_mentions(model=model_path if reused else None)
        features, n_comparisons, stats = result.features, result.n_comparisons, dict(result.stats)
        completed, patched = complete_model(result.model, right.height)
        if patched:  # predict again with the completed model (no training); the saved model is the completed one
            stats["model_completed"] = patched
            result = link_mentions(model=completed)
            stats["predict_seconds_completed"] = result.stats.get("predict_seconds")
        pairs = result.pairs.select("record_id_l", "record_id_r", "match_probability", "match_weight")
        if model_path is not None and not reused:
            model_path.parent.mkdir(parents=True, exist_ok=True)
            result.save_model(model_path)

    con.register("__mpi_left", left.to_arrow())
    con.register("__mpi_right", right.to_arrow())
    con.register("__mpi_pairs", pairs.to_arrow())
    try:
        con.execute(
            """create or replace temp table __mpi_ranked as
               select record_id_l as mention_id, record_id_r as cccd, match_probability, match_weight,
                      row_number() over w as rank,
                      match_weight - lead(match_weight) over w as gap_bits
               from __mpi_pairs
               window w as (partition by record_id_l order by match_weight desc, record_id_r)"""
        )
        con.execute("create or replace temp view __mpi_best as select * from __mpi_ranked where rank = 1")
        if pairs.height:
            threshold, reason, floor, floor_reason = choose_cutoffs(con, "__mpi_best")
        _write(con, threshold, floor)
    finally:
        for name in ("__mpi_left", "__mpi_right", "__mpi_pairs"):
            con.unregister(name)
        con.execute("drop view if exists __mpi_best")
        con.execute("drop table if exists __mpi_ranked")
    counts = dict(con.sql(f"select decision, count(*) from {LINKS_TABLE} group by 1").fetchall())
    return MpiSummary(
        mentions=left.height,
        candidates=right.height,
        decisions={d: int(counts.get(d, 0)) for d in DECISIONS},
        threshold=threshold,
        threshold_reason=reason,
        review_floor=floor,
        review_floor_reason=floor_reason,
        n_comparisons=n_comparisons,
        features=[FEATURE_LABELS.get(f, f) for f in features],
        model_path=str(model_path) if model_path is not None and result is not None else None,
        model_reused=reused,
        seconds=round(time.perf_counter() - clock, 2),
        stats=stats,
    ).as_dict()


def _write(con: duckdb.DuckDBPyConnection, threshold: float, floor: float) -> None:
    """Both output tables in one transaction: one links row per input mention, the review band beside it."""
    keyed = "select *, {name} as name_key, {father} as father_key, {mother} as mother_key from {src}"
    decision = f"""case
        when b.match_probability >= {threshold} and coalesce(b.gap_bits, 99) >= {AMBIGUITY_BITS} then 'linked'
        when b.match_probability >= {floor} then 'review'
        else 'unlinked' end"""
    con.execute("begin transaction")
    try:
        con.execute("create schema if not exists integration")
        con.execute(
            f"""create or replace temp table __mpi_decided as
                with l as ({
                keyed.format(
                    name=_key("full_name"), father=_key("father_name"), mother=_key("mother_name"), src="__mpi_left"
                )
            }),
                     r as ({
                keyed.format(
                    name=_key("full_name"), father=_key("father_name"), mother=_key("mother_name"), src="__mpi_right"
                )
            })
                select l.record_id as mention_id, l.source_code, l.record_key,
                       b.cccd as candidate_cccd, b.match_probability, b.match_weight, b.gap_bits,
                       {decision} as decision,
                       case when b.match_probability >= {threshold} and coalesce(b.gap_bits, 99) < {AMBIGUITY_BITS}
                            then 'ambiguous: runner-up within {AMBIGUITY_BITS:g} bit'
                            when b.match_probability >= {floor} and b.match_probability < {threshold}
                            then 'uncertain band' end as review_reason,
                       {_evidence_sql("ls", "rs")} as evidence
                from l
                left join __mpi_best as b on b.mention_id = l.record_id
                left join (select record_id, name_key, birth_date, sex, commune_code, phone,
                                  father_key, mother_key, id_number as cccd from l) as ls
                    on ls.record_id = l.record_id
                left join (select record_id, name_key, birth_date, sex, commune_code, phone,
                                  father_key, mother_key, id_number as cccd from r) as rs
                    on rs.record_id = b.cccd"""
        )
        con.execute(
            f"""create or replace table {LINKS_TABLE} as
                select mention_id, source_code, record_key,
                       case when decision = 'linked' then candidate_cccd end as linked_cccd,
                       candidate_cccd, match_probability, match_weight, decision,
                       'probabilistic' as link_rule, evidence,
                       coalesce(case when decision = 'linked' then candidate_cccd end, 'M-' || mention_id)
                           as cluster_id,
                       cast({threshold} as double) as threshold, cast({floor} as double) as review_floor
                from __mpi_decided order by mention_id"""
        )
        con.execute(
            f"""create or replace table {REVIEW_TABLE} as
                select d.mention_id, d.source_code, d.record_key, d.review_reason, d.match_probability,
                       d.match_weight, d.gap_bits, d.evidence,
                       l.full_name as mention_full_name, l.birth_date as mention_birth_date,
                       l.birth_date_precision as mention_birth_date_precision, l.sex as mention_sex,
                       l.commune_code as mention_commune_code, l.phone as mention_phone,
                       l.father_name as mention_father_name, l.mother_name as mention_mother_name,
                       l.id_number as mention_cccd, l.refused_contradiction as mention_refused_contradiction,
                       d.candidate_cccd, r.full_name as candidate_full_name, r.birth_date as candidate_birth_date,
                       r.sex as candidate_sex, r.commune_code as candidate_commune_code, r.phone as candidate_phone,
                       r.father_name as candidate_father_name, r.mother_name as candidate_mother_name
                from __mpi_decided as d
                inner join __mpi_left as l on l.record_id = d.mention_id
                left join __mpi_right as r on r.record_id = d.candidate_cccd
                where d.decision = 'review'
                order by d.match_probability desc, d.mention_id"""
        )
        con.execute("drop table __mpi_decided")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
