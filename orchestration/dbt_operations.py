"""How a dbt layer op runs: run configuration (full refresh) and a retry for the transient lock error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dagster import AssetExecutionContext, Config, RetryRequested
from dagster_dbt import DbtCliResource

# DuckDB has one writer: another process holding the file (an analyst's session, a stray run) gives this.
TRANSIENT_DBT_ERRORS = ("Could not set lock on file",)
LOCK_RETRIES = 3
LOCK_RETRY_SECONDS = 5


class DbtLayerConfig(Config):
    """Run configuration of a dbt layer op (launchpad, job config or schedule)."""

    full_refresh: bool = False  # rebuild incremental models and snapshots-free tables from scratch


def dbt_build_args(config: DbtLayerConfig) -> list[str]:
    # "buildable": a test runs in the layer of its last parent. The default ("eager") would run a staging
    # model's relationship test to a reference seed in the reference layer, before staging exists.
    return ["build", "--indirect-selection", "buildable", *(["--full-refresh"] if config.full_refresh else [])]


def is_transient(error: BaseException) -> bool:
    return any(marker in str(error) for marker in TRANSIENT_DBT_ERRORS)


def run_dbt_build(context: AssetExecutionContext, dbt: DbtCliResource, config: DbtLayerConfig) -> Iterator[Any]:
    """`dbt build` of the op's selection; a lock conflict is retried with backoff, other errors fail."""
    invocation = dbt.cli(dbt_build_args(config), context=context, raise_on_error=False)
    yield from invocation.stream()
    error = invocation.get_error()
    if error is None:
        return
    if is_transient(error):
        attempt = context.retry_number + 1
        context.log.warning(f"warehouse locked by another writer; retry {attempt}/{LOCK_RETRIES}")
        raise RetryRequested(max_retries=LOCK_RETRIES, seconds_to_wait=LOCK_RETRY_SECONDS * attempt) from error
    raise error
