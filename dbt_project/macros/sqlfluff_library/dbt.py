"""Lint-time stand-ins for dbt's cross-database macros (`dbt.hash`, `dbt.split_part` …) for sqlfluff's jinja
templater (see /.sqlfluff `library_path`). Only sqlfluff loads this folder; dbt reads *.sql macros only."""

from __future__ import annotations


def hash(expr: str) -> str:
    return f"md5(cast({expr} as varchar))"


def split_part(expr: str, delimiter: str, part: int) -> str:
    return f"split_part({expr}, {delimiter}, {part})"


def safe_cast(expr: str, type_: str) -> str:
    return f"try_cast({expr} as {type_})"


def type_string() -> str:
    return "varchar"


def type_bigint() -> str:
    return "bigint"


def type_float() -> str:
    return "double"


def concat(fields: list[str]) -> str:
    return " || ".join(fields)


def current_timestamp() -> str:
    return "current_timestamp"


def datediff(first_date: str, second_date: str, datepart: str) -> str:
    return f"date_diff('{datepart}', cast({first_date} as timestamp), cast({second_date} as timestamp))"


def listagg(measure: str, delimiter_text: str = "','", order_by_clause: str | None = None, limit_num=None) -> str:
    order_by = f" {order_by_clause}" if order_by_clause else ""
    return f"string_agg({measure}, {delimiter_text}{order_by})"
