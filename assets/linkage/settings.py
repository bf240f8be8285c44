"""Splink 5 settings built from whichever feature groups the inputs share.

Comparisons are plain Splink dicts (SQL conditions on the canonical columns of
:mod:`assets.linkage.normalise`), so a trained model saved with ``save_model_to_json`` is
self-contained and reloadable. Name comparisons are order-insensitive (sorted tokens), because
Vietnamese names are written surname first and Western names given name first.
"""

from __future__ import annotations

from typing import Any

from splink import SettingsCreator, block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator

Level = dict[str, Any]


def _null(cond: str) -> Level:
    return {"sql_condition": cond, "label_for_charts": "Null", "is_null_level": True}


def _lvl(cond: str, label: str, tf_column: str | None = None) -> Level:
    out: Level = {"sql_condition": cond, "label_for_charts": label}
    if tf_column:
        out["tf_adjustment_column"] = tf_column
        out["tf_adjustment_weight"] = 1.0
    return out


_ELSE: Level = {"sql_condition": "ELSE", "label_for_charts": "All other comparisons"}

_JW = "greatest(jaro_winkler_similarity(name_key_l, name_key_r), jaro_winkler_similarity(name_sorted_l, name_sorted_r))"


def _fuzzy_hits(a: str, b: str) -> str:
    """Tokens of name ``a`` that have a Jaro-Winkler >= 0.88 partner in name ``b``."""
    return (
        f"len(list_filter(name_tokens_{a}, lambda x: list_bool_or("
        f"list_transform(name_tokens_{b}, lambda y: jaro_winkler_similarity(x, y) >= 0.88))))"
    )


_HL, _HR = _fuzzy_hits("l", "r"), _fuzzy_hits("r", "l")
_LL, _LR = "len(name_tokens_l)", "len(name_tokens_r)"
_COVERED = f"least({_LL}, {_LR}) >= 2 AND ({_HL} = {_LL} OR {_HR} = {_LR})"
_ALL_BUT_ONE = f"{_HL} >= 2 AND {_HL} >= {_LL} - 1 AND {_HR} >= {_LR} - 1"


def _name() -> dict[str, Any]:
    return {
        "output_column_name": "name",
        "comparison_description": "Name match key, order-insensitive",
        "comparison_levels": [
            _null("name_sorted_l IS NULL OR name_sorted_r IS NULL"),
            _lvl("name_sorted_l = name_sorted_r", "Same tokens (any order)", tf_column="name_sorted"),
            _lvl(f"{_JW} >= 0.92", "Jaro-Winkler >= 0.92"),
            _lvl(_COVERED, "Every token of one name has a close token in the other"),
            _lvl(_ALL_BUT_ONE, "All tokens but one have a close partner"),
            _lvl(f"{_JW} >= 0.80", "Jaro-Winkler >= 0.80"),
            _ELSE,
        ],
    }


def _birth_date() -> dict[str, Any]:
    return {
        "output_column_name": "birth_date",
        "comparison_description": "Birth date with its precision",
        "comparison_levels": [
            _null("birth_year_l IS NULL OR birth_year_r IS NULL"),
            _lvl("birth_date_l = birth_date_r", "Exact date"),
            _lvl(
                "(birth_date_l IS NULL OR birth_date_r IS NULL) AND birth_year_l = birth_year_r",
                "Same year, one side known to the year only",
            ),
            _lvl(
                "levenshtein(birth_date_str_l, birth_date_str_r) <= 1 OR "
                "(birth_year_l = birth_year_r AND birth_month_l = birth_day_r AND birth_day_l = birth_month_r)",
                "One digit off, or day and month swapped",
            ),
            _lvl("birth_year_l = birth_year_r", "Same year"),
            _ELSE,
        ],
    }


def _exact(col: str, description: str, fuzzy: str | None = None, label: str = "") -> dict[str, Any]:
    levels = [_null(f"{col}_l IS NULL OR {col}_r IS NULL"), _lvl(f"{col}_l = {col}_r", "Exact")]
    if fuzzy:
        levels.append(_lvl(fuzzy, label))
    levels.append(_ELSE)
    return {"output_column_name": col, "comparison_description": description, "comparison_levels": levels}


def comparisons(features: list[str]) -> list[dict[str, Any]]:
    """One comparison per feature group present in both inputs."""
    out: list[dict[str, Any]] = []
    if "name" in features:
        out.append(_name())
    if "birth_date" in features:
        out.append(_birth_date())
    if "sex" in features:
        out.append(_exact("sex", "Sex"))
    if "address" in features:
        out.append(
            _exact("address", "Address key", "jaro_winkler_similarity(address_l, address_r) >= 0.9", "JW >= 0.9")
        )
    if "postcode" in features:
        out.append(_exact("postcode", "Postcode / commune code"))
    if "phone" in features:
        out.append(_exact("phone", "Phone, last 9 digits", "levenshtein(phone_l, phone_r) <= 1", "One digit off"))
    if "id_number" in features:
        out.append(_exact("id_number", "Identity number", "levenshtein(id_number_l, id_number_r) <= 1", "One char off"))
    return out


def optional_blocking_keys(features: list[str]) -> list[tuple[str, ...]]:
    """Wider rules, in order of preference, admitted only while their pair count fits the budget.

    They recover defaulted or swapped days (name + year), garbled names (birth date alone) and
    missing dates (name alone); at national scale the budget keeps them out automatically.
    """
    f = set(features)
    keys: list[tuple[str, ...]] = []
    if "name" in f and "birth_date" in f:
        keys += [("name_sorted", "birth_year"), ("birth_date",)]
    if "name" in f:
        keys.append(("name_sorted",))
    return keys


def blocking_rules(
    features: list[str], year_only_dates: bool = False, extra: list[tuple[str, ...]] | None = None
) -> list[BlockingRuleCreator | str]:
    """Candidate-pair rules; each carries a discriminating key (date, place, phone or id).

    A name-only rule grows with the square of the most common name (ARCHITECTURE.md: 98x for
    10x records), so it is used only when the inputs have nothing but a name.
    """
    f = set(features)
    rules: list[BlockingRuleCreator | str] = []
    if "id_number" in f:
        rules.append(block_on("id_number"))
    if "phone" in f:
        rules.append(block_on("phone"))
    if "name" in f and "birth_date" in f:
        rules += [
            block_on("birth_date", "name_tok_min"),  # typo in any token but the smallest
            block_on("birth_date", "name_tok_max"),  # typo in any token but the largest
            block_on("name_sorted", "birth_year", "birth_month"),  # day wrong or defaulted
            block_on("name_sorted", "birth_month", "birth_day"),  # year wrong
        ]
        if year_only_dates:
            rules.append(
                "l.name_sorted = r.name_sorted AND l.birth_year = r.birth_year "
                "AND (l.birth_date IS NULL OR r.birth_date IS NULL)"
            )
    elif "birth_date" in f:
        rules.append(block_on("birth_date", "sex") if "sex" in f else block_on("birth_date"))
    for place in ("postcode", "address"):
        if place not in f:
            continue
        if "name" in f:
            rules.append(block_on("name_sorted", place))  # birth date wrong or missing
        elif "birth_date" in f:
            rules.append(block_on("birth_year", place))
        else:
            rules.append(block_on(place))
    rules += [block_on(*keys) for keys in extra or []]
    if not rules and "name" in f:
        rules.append(block_on("name_sorted"))  # nothing else to block on: small lists only
    if not rules and "sex" in f:
        rules.append(block_on("sex"))
    return rules


def training_rules(features: list[str]) -> list[BlockingRuleCreator]:
    """EM blocking rules: each leaves the other comparisons free to be estimated."""
    f = set(features)
    rules: list[BlockingRuleCreator] = []
    if "birth_date" in f:
        rules.append(block_on("birth_date"))
    if "name" in f:
        rules.append(block_on("name_sorted"))
    if not rules:
        for col in ("postcode", "phone", "id_number", "address"):
            if col in f:
                rules.append(block_on(col))
                break
    return rules


def deterministic_rules(features: list[str]) -> list[BlockingRuleCreator]:
    """Near-certain rules used to estimate the prior probability that two records match."""
    f = set(features)
    rules: list[BlockingRuleCreator] = []
    if "name" in f and "birth_date" in f:
        rules.append(block_on("name_sorted", "birth_date"))
    if "id_number" in f:
        rules.append(block_on("id_number"))
    if "phone" in f and "name" in f:
        rules.append(block_on("phone", "name_sorted"))
    return rules


def build_settings(
    link_type: str,
    features: list[str],
    year_only_dates: bool = False,
    extra: list[tuple[str, ...]] | None = None,
) -> SettingsCreator:
    """Settings for ``dedupe_only`` or ``link_only`` on the canonical feature frame."""
    return SettingsCreator(
        link_type=link_type,  # type: ignore[arg-type]
        unique_id_column_name="unique_id",
        comparisons=comparisons(features),
        blocking_rules_to_generate_predictions=blocking_rules(features, year_only_dates, extra),
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
        max_iterations=20,
    )
