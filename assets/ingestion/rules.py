"""Row-level rules checked at ingestion; a row that breaks one goes to quarantine.

Raw keeps source text, so only what makes a row unusable is checked here: its key, its
control columns and declared numeric types. Repairable defects (date formats, casing,
legacy codes) pass through to staging, which repairs or flags them.
"""

from __future__ import annotations

import re

import polars as pl

from assets.sources.spec import OPERATION_COLUMN, OPERATIONS, UPDATED_AT_COLUMN, SourceSpec

_TIMESTAMP = r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?"


# A typed value is tested as if stripped of surrounding whitespace (`\s` is Unicode White_Space,
# what `str.strip_chars()` removes) by one anchored regular expression that also lets a blank
# value pass (blank is the `required` rule's business): no stripped copy of the column is built.
def _breaks(col: str, pattern: str) -> pl.Expr:
    return ~pl.col(col).str.contains(rf"^\s*(?:{pattern})?\s*$")


def _blank(col: str) -> pl.Expr:
    return pl.col(col).is_null() | pl.col(col).str.contains(r"^\s*$")


def rule_expressions(spec: SourceSpec, present: set[str]) -> list[tuple[str, pl.Expr, str]]:
    """(rule name, expression that is True when the row BREAKS the rule, human reason)."""
    rules: list[tuple[str, pl.Expr, str]] = []
    for col in spec.required_columns:
        if col in present:
            rules.append((f"required:{col}", _blank(col), f"required column {col} is empty"))
    if OPERATION_COLUMN in present:
        rules.append(
            (
                "valid_operation",
                _breaks(OPERATION_COLUMN, "|".join(re.escape(op) for op in OPERATIONS)),
                f"{OPERATION_COLUMN} must be one of {'/'.join(OPERATIONS)}",
            )
        )
    if UPDATED_AT_COLUMN in present:
        rules.append(
            (
                f"type:{UPDATED_AT_COLUMN}",
                _breaks(UPDATED_AT_COLUMN, _TIMESTAMP),
                f"{UPDATED_AT_COLUMN} is not an ISO timestamp",
            )
        )
    for col in spec.columns:
        if col.type == "int" and col.name in present:
            rules.append(
                (
                    f"type:{col.name}",
                    _breaks(col.name, r"-?\d+"),
                    f"{col.name} is not an integer",
                )
            )
    return rules


def broken(spec: SourceSpec, present: set[str]) -> pl.Expr | None:
    """True for a row that breaks any rule (None: no rule applies to these columns).

    The writer keeps the rows where it is False in the same streamed pass that writes them.
    """
    rules = rule_expressions(spec, present)
    return pl.any_horizontal(expr for _, expr, _ in rules).fill_null(False) if rules else None


def label_broken(rows: pl.LazyFrame, spec: SourceSpec, present: set[str]) -> pl.DataFrame:
    """The rows that break a rule, with ``rule`` and ``reason``: the first broken rule wins."""
    rules = rule_expressions(spec, present)
    is_broken = broken(spec, present)
    if is_broken is None:
        return rows.clear().with_columns(rule=pl.lit(None, pl.String), reason=pl.lit(None, pl.String)).collect()
    rule_expr = pl.coalesce([pl.when(expr).then(pl.lit(name)) for name, expr, _ in rules])
    reason_expr = pl.coalesce([pl.when(expr).then(pl.lit(reason)) for _, expr, reason in rules])
    return rows.filter(is_broken).with_columns(rule_expr.alias("rule"), reason_expr.alias("reason")).collect()
