"""Run one Soda v4 contract on an open DuckDB connection and summarise it for a gate.

`dagster-soda` pins Soda v3, so this thin layer calls Soda Core v4 directly. It reuses the
caller's connection (DuckDB requires identical settings for every connection to one file in
a process) and gates on ``is_ok``: a typo or a missing table is an error, never a pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

DATA_SOURCE_NAME = "ndc"


@dataclass(frozen=True)
class CheckOutcome:
    name: str
    type: str
    column: str | None
    outcome: str  # passed / failed / warn / not_evaluated
    metrics: dict[str, float | int]

    @property
    def label(self) -> str:
        return f"{self.column}.{self.type}" if self.column else self.type


@dataclass(frozen=True)
class GateResult:
    contract: Path
    passed: bool
    checks: tuple[CheckOutcome, ...] = ()
    errors: str = ""
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def failed_checks(self) -> tuple[CheckOutcome, ...]:
        return tuple(c for c in self.checks if c.outcome == "failed")

    @property
    def warned_checks(self) -> tuple[CheckOutcome, ...]:
        return tuple(c for c in self.checks if c.outcome == "warn")

    def describe(self) -> str:
        if self.errors:
            return f"contract {self.contract.name} could not be verified: {self.errors.splitlines()[0]}"
        if self.passed and self.warned_checks:
            warned = ", ".join(c.label for c in self.warned_checks)
            return f"{len(self.checks)} checks passed, {len(self.warned_checks)} with a warning: {warned}"
        if self.passed:
            return f"{len(self.checks)} checks passed"
        failed = ", ".join(c.label for c in self.failed_checks)
        return f"{len(self.failed_checks)} of {len(self.checks)} checks failed: {failed}"


def _data_source(con: duckdb.DuckDBPyConnection):
    """Soda's DuckDB data source on ``con``, reading table metadata from ``<database>/<schema>`` prefixes.

    Our datasets are ``ndc/<database>/<schema>/<table>`` (a file warehouse has a catalog name). Soda's DuckDB
    dialect reads the *first* prefix as the schema when it looks up columns, so the ``schema`` check found no
    columns and ended ``not_evaluated`` – silently passing every gate. Reading both prefixes fixes that.
    """
    from soda_core.common.metadata_types import DbSchemaDataSourceNamespace
    from soda_duckdb.common.data_sources.duckdb_data_source import DuckDBDataSourceImpl

    data_source = DuckDBDataSourceImpl.from_existing_cursor(con, name=DATA_SOURCE_NAME)
    default_namespace = data_source._build_columns_metadata_namespace

    def namespace(prefixes: list[str]):
        if len(prefixes) >= 2:
            return DbSchemaDataSourceNamespace(database=prefixes[0], schema=prefixes[1])
        return default_namespace(prefixes)

    # per instance: subclassing registers a new data source type with Soda's plugin registry
    data_source._build_columns_metadata_namespace = namespace
    return data_source


def _outcome_name(outcome: object) -> str:
    return str(getattr(outcome, "name", outcome)).lower()


def verify_contract(
    con: duckdb.DuckDBPyConnection, contract_path: Path, variables: dict[str, str] | None = None
) -> GateResult:
    """Verify ``contract_path`` against the database behind ``con``."""
    # Imported here: Soda's import costs ~1 s and is only needed when a gate runs.
    from soda_core.contracts import verify_contract_locally

    if not contract_path.is_file():
        return GateResult(contract=contract_path, passed=False, errors=f"contract file {contract_path} does not exist")
    data_source = _data_source(con)
    try:
        session = verify_contract_locally(
            data_sources=[data_source], contract_file_path=str(contract_path), variables=variables
        )
    except Exception as exc:  # a contract Soda cannot parse is a failed gate, reported, never a crash
        return GateResult(contract=contract_path, passed=False, errors=f"{type(exc).__name__}: {exc}")
    checks: list[CheckOutcome] = []
    errors: list[str] = []
    for result in session.contract_verification_results:
        if result.has_errors:
            errors.append(result.get_errors_str())
        for check_result in result.check_results:
            check = check_result.check
            metrics = {
                k: v for k, v in (check_result.diagnostic_metric_values or {}).items() if isinstance(v, int | float)
            }
            checks.append(
                CheckOutcome(
                    name=str(check.name or check.type),
                    type=str(check.type),
                    column=check.column_name,
                    outcome=_outcome_name(check_result.outcome),
                    metrics=metrics,
                )
            )
    if not session.contract_verification_results:
        errors.append(session.get_errors_str() if hasattr(session, "get_errors_str") else "no result")
    return GateResult(
        contract=contract_path,
        passed=bool(session.is_ok) and not errors,
        checks=tuple(checks),
        errors="\n".join(e for e in errors if e),
    )
