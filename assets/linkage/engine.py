"""Probabilistic person linkage (Splink 5 on DuckDB): pure functions, no files, no globals.

``link`` matches two person lists, ``dedupe`` finds duplicates within one. Both accept Polars
frames, Arrow tables or table names on a caller's DuckDB connection (the warehouse), a column
mapping to canonical names, and optionally a saved model; they return a :class:`LinkageResult`
whose frames are Polars. Training, the threshold and clustering are all decided from the data.
"""

from __future__ import annotations

import json
import math
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
from splink import DuckDBAPI, Linker, SettingsCreator

from assets.linkage import settings as st
from assets.linkage.normalise import FEATURE_COLUMNS, PersonInput, prepare

Source = PersonInput | str  # a frame, or a table/view name on ``con``
Model = Mapping[str, Any] | str | Path

DEFAULT_SEED = 42
FALLBACK_THRESHOLD = 0.9
THRESHOLD_BOUNDS = (0.5, 0.99)
# Pair budget for the wider optional blocking rules: small lists get them all, a population none.
MIN_EXTRA_PAIRS = 200_000
EXTRA_PAIRS_PER_RECORD = 5


@dataclass
class LinkageResult:
    """Pairs at or above the threshold, plus what was decided on the way."""

    pairs: pl.DataFrame  # record_id_l, record_id_r, match_probability, match_weight (+ cluster_id)
    threshold: float
    threshold_reason: str
    model: dict[str, Any]  # Splink settings with trained parameters (JSON-serialisable)
    features: list[str]
    n_comparisons: int  # blocked pairs scored
    clusters: pl.DataFrame | None = None  # dedupe only: record_id, cluster_id (singletons included)
    stats: dict[str, Any] = field(default_factory=dict)

    def save_model(self, path: str | Path) -> None:
        """Write the trained model; reload it with ``model=path``."""
        Path(path).write_text(json.dumps(self.model, indent=2), encoding="utf-8")


def _load(source: Source, con: duckdb.DuckDBPyConnection | None) -> PersonInput:
    if isinstance(source, str):
        if con is None:
            raise ValueError(f"{source}: a table name needs a DuckDB connection")
        return con.sql(f"select * from {source}").pl()
    return source


def _model_dict(model: Model) -> dict[str, Any]:
    if isinstance(model, Mapping):
        return json.loads(json.dumps(model))
    p = Path(model)
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{p.name}: not a readable linkage model ({exc})") from exc


def _model_features(model: dict[str, Any], label: str, available: list[str]) -> list[str]:
    wanted = [c["output_column_name"] for c in model.get("comparisons", [])]
    missing = [w for w in wanted if w not in available]
    if missing:
        raise ValueError(f"{label}: the model needs column(s) {', '.join(missing)} which the input lacks")
    return wanted


def _year_only(frames: list[pl.DataFrame]) -> bool:
    year_only = pl.col("birth_year").is_not_null() & pl.col("birth_date").is_null()
    return any("birth_year" in f.columns and f.filter(year_only).height > 0 for f in frames)


def count_pairs(frames: list[pl.DataFrame], keys: tuple[str, ...]) -> int:
    """Pairs an equi-join blocking rule on ``keys`` would create (dedupe: one frame; link: two)."""
    groups = [f.drop_nulls(list(keys)).group_by(list(keys)).len() for f in frames]
    if len(groups) == 1:
        n = groups[0].get_column("len").cast(pl.Int64)
        return int((n * (n - 1) // 2).sum())
    j = groups[0].join(groups[1], on=list(keys))
    return int((j.get_column("len").cast(pl.Int64) * j.get_column("len_right").cast(pl.Int64)).sum())


def budgeted_rules(frames: list[pl.DataFrame], features: list[str], budget: int) -> list[tuple[str, ...]]:
    """The optional blocking rules whose pairs, added up in order of preference, fit the budget."""
    chosen: list[tuple[str, ...]] = []
    used = 0
    for keys in st.optional_blocking_keys(features):
        n = count_pairs(frames, keys)
        if used + n <= budget:
            chosen.append(keys)
            used += n
    return chosen


def train(linker: Linker, features: list[str], n_records: int, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """Prior from near-certain rules, u by random sampling, m by EM on one or two blocking rules."""
    info: dict[str, Any] = {}
    det = st.deterministic_rules(features)
    if det:
        try:
            linker.training.estimate_probability_two_random_records_match(det, recall=0.7)
            info["prior"] = "deterministic rules, recall 0.7"
        except ValueError as exc:  # tiny inputs: more exact matches than the recall allows
            info["prior"] = f"default ({exc})"
    max_u = float(min(5e6, max(2e5, 5 * n_records)))
    linker.training.estimate_u_using_random_sampling(max_pairs=max_u, seed=seed)
    info["em"] = []
    for rule in st.training_rules(features):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True, max_pairs=2e6
            )
            info["em"].append(str(rule.get_blocking_rule("duckdb").blocking_rule_sql))
        except Exception as exc:  # EM needs pairs; a small or odd input may give none
            info["em"].append(f"skipped: {type(exc).__name__}: {exc}")
    return info


def choose_threshold(con: duckdb.DuckDBPyConnection, predictions: str) -> tuple[float, str]:
    """The probability that maximises the expected F1 of the scored pairs under the fitted model.

    Each scored pair counts as ``p`` of a true match: above a cut-off t the expected true
    positives are the sum of p and the false positives the sum of 1-p; below it the expected
    misses are the sum of p. The F1 of those expectations is maximised over t, then clamped to
    [0.5, 0.99] so that a badly fitted model cannot make every pair (or none) a match. With
    fewer than 20 scored pairs there is nothing to learn from: p = 0.9.
    """
    n_pairs, mass = con.sql(f"select count(*), coalesce(sum(match_probability), 0) from {predictions}").fetchall()[0]
    if n_pairs < 20 or mass <= 0:
        return FALLBACK_THRESHOLD, f"fixed p={FALLBACK_THRESHOLD}: only {n_pairs} scored pairs"
    best = con.sql(
        f"""with c as (
              select match_probability as p,
                     sum(match_probability) over w as tp,
                     count(*) over w as n
              from {predictions}
              window w as (order by match_probability desc rows between unbounded preceding and current row))
            select p, 2 * tp / (2 * tp + (n - tp) + ({mass} - tp)) as f1
            from c order by f1 desc, p desc limit 1"""
    ).fetchall()[0]
    prob, f1 = float(best[0]), float(best[1])
    lo, hi = THRESHOLD_BOUNDS
    clamped = round(min(max(prob, lo), hi), 4)
    reason = f"maximum expected F1 under the fitted model ({f1:.3f}) at p={prob:.3f}"
    if clamped != round(prob, 4):
        reason += f", clamped to p={clamped}"
    return clamped, reason


def _run(
    frames: list[tuple[PersonInput, str, Mapping[str, str] | None]],
    link_type: str,
    con: duckdb.DuckDBPyConnection | None,
    model: Model | None,
    threshold: float | None,
    seed: int,
) -> LinkageResult:
    prepared = [prepare(frame, label, mapping) for frame, label, mapping in frames]
    common = [f for f in prepared[0][1] if all(f in p[1] for p in prepared)]
    labels = " and ".join(label for _, label, _ in frames)
    if not common:
        raise ValueError(f"{labels}: no usable matching column in common")
    model_dict = _model_dict(model) if model is not None else None
    features = _model_features(model_dict, labels, common) if model_dict else common
    std = [p[0].select(["unique_id"] + [c for g in features for c in FEATURE_COLUMNS[g]]) for p in prepared]

    own_con = con is None
    if con is None:
        con = duckdb.connect()
        con.execute("set enable_progress_bar = false")
    before = {t for (t,) in con.sql("show tables").fetchall()}
    db_api = DuckDBAPI(connection=con)
    tag = uuid.uuid4().hex[:8]
    names = [f"__ndc_link_{tag}_{i}" for i in range(len(std))]
    sdfs = [db_api.register(df.to_arrow(), table_name=n) for df, n in zip(std, names, strict=True)]
    try:
        if model_dict is not None:
            model_dict["link_type"] = link_type
            model_dict.pop("linker_uid", None)
            settings: SettingsCreator | dict[str, Any] = model_dict
        else:
            budget = max(MIN_EXTRA_PAIRS, EXTRA_PAIRS_PER_RECORD * sum(df.height for df in std))
            extra = budgeted_rules(std, features, budget)
            settings = st.build_settings(link_type, features, year_only_dates=_year_only(std), extra=extra)
        linker = Linker(sdfs if len(sdfs) > 1 else sdfs[0], settings, log_level=None)
        stats: dict[str, Any] = {"records": sum(df.height for df in std)}
        clock = time.perf_counter()
        if model_dict is None:
            stats["training"] = train(linker, features, stats["records"], seed)
        stats["train_seconds"] = round(time.perf_counter() - clock, 2)
        clock = time.perf_counter()
        predictions = linker.inference.predict()
        stats["predict_seconds"] = round(time.perf_counter() - clock, 2)
        pred = predictions.physical_name
        n_comparisons = int(con.sql(f"select count(*) from {pred}").fetchall()[0][0])
        if threshold is None:
            threshold, reason = choose_threshold(con, pred)
        else:
            reason = "given by the caller"
        orient = f"source_dataset_l = '{names[0]}'" if link_type == "link_only" else "true"
        pairs = con.sql(
            f"""select case when {orient} then unique_id_l else unique_id_r end as record_id_l,
                       case when {orient} then unique_id_r else unique_id_l end as record_id_r,
                       match_probability, match_weight
                from {pred} where match_probability >= {threshold}
                order by match_probability desc, record_id_l, record_id_r"""
        ).pl()
        clusters = None
        if link_type == "dedupe_only":
            cl = linker.clustering.cluster_pairwise_predictions_at_threshold(
                predictions, threshold_match_probability=threshold
            )
            clusters = con.sql(
                f"select unique_id as record_id, cluster_id from {cl.physical_name} order by record_id"
            ).pl()
            pairs = pairs.join(clusters.rename({"record_id": "record_id_l"}), on="record_id_l", how="left")
        trained = linker.misc.save_model_to_json()
        return LinkageResult(
            pairs=pairs,
            threshold=float(threshold),
            threshold_reason=reason,
            model=trained,
            features=features,
            n_comparisons=n_comparisons,
            clusters=clusters,
            stats=stats,
        )
    finally:
        db_api.delete_tables_created_by_splink_from_db()
        if "result_df" not in before:  # registered by Splink's prior estimation, never dropped
            con.unregister("result_df")
        for n in names:
            kind = con.sql(f"select table_type from information_schema.tables where table_name = '{n}'").fetchall()
            if kind:
                con.execute(f"drop {'view' if kind[0][0] == 'VIEW' else 'table'} if exists {n}")
        if own_con:
            con.close()


def link(
    left: Source,
    right: Source,
    *,
    left_mapping: Mapping[str, str] | None = None,
    right_mapping: Mapping[str, str] | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    model: Model | None = None,
    threshold: float | None = None,
    labels: tuple[str, str] = ("left", "right"),
    seed: int = DEFAULT_SEED,
) -> LinkageResult:
    """Pairs (left record, right record) that refer to the same person."""
    if threshold is not None and not 0 < threshold < 1:
        raise ValueError(f"threshold must be a probability strictly between 0 and 1, got {threshold}")
    return _run(
        [(_load(left, con), labels[0], left_mapping), (_load(right, con), labels[1], right_mapping)],
        "link_only",
        con,
        model,
        threshold,
        seed,
    )


def dedupe(
    frame: Source,
    *,
    mapping: Mapping[str, str] | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    model: Model | None = None,
    threshold: float | None = None,
    label: str = "input",
    seed: int = DEFAULT_SEED,
) -> LinkageResult:
    """Duplicate pairs within one list, clustered by connected components at the threshold."""
    if threshold is not None and not 0 < threshold < 1:
        raise ValueError(f"threshold must be a probability strictly between 0 and 1, got {threshold}")
    return _run([(_load(frame, con), label, mapping)], "dedupe_only", con, model, threshold, seed)


def probability_to_weight(p: float) -> float:
    """Match weight (log2 Bayes factor incl. prior) of a probability, for documentation and logs."""
    return math.log2(p / (1 - p))
