"""Write-audit-publish for the layers consumers read (core, marts).

dbt builds these layers into `<layer>_audit` schemas; their Soda contracts are blocking checks,
so the publish step below runs only when every check of the layer passed. It then copies the
audited tables into `<layer>` in one transaction: consumers always read a complete, checked
version, and a failed gate leaves the last good one in place.
"""

import duckdb
from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, MaterializeResult, MetadataValue, asset

from orchestration.resources import PlatformResource

PUBLISHED_LAYERS = ("core", "marts")


def audit_schema(layer: str) -> str:
    return f"{layer}_audit"


def publish_layer(con: duckdb.DuckDBPyConnection, layer: str) -> dict[str, int]:
    """Replace every table of `layer` by its audited copy, atomically; returns rows per table."""
    source = audit_schema(layer)
    audited = [
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables where table_schema = ? order by 1", [source]
        ).fetchall()
    ]
    if not audited:
        raise RuntimeError(f"nothing to publish: schema {source} has no tables")
    published = [
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables where table_schema = ? order by 1", [layer]
        ).fetchall()
    ]
    counts: dict[str, int] = {}
    con.execute("begin transaction")
    try:
        con.execute(f"create schema if not exists {layer}")
        for table in published:
            if table not in audited:
                con.execute(f'drop table "{layer}"."{table}"')
        for table in audited:
            con.execute(f'create or replace table "{layer}"."{table}" as select * from "{source}"."{table}"')
            counts[table] = con.execute(f'select count(*) from "{layer}"."{table}"').fetchone()[0]
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return counts


def build_publish_asset(layer: str, upstream: list[AssetKey]) -> AssetsDefinition:
    @asset(
        key=AssetKey(["published", layer]),
        deps=upstream,
        group_name="published",
        kinds={"duckdb"},
        pool="duckdb",
        owners=["team:data-platform"],
        description=(
            f"The `{layer}` schema consumers read. Copied atomically from `{audit_schema(layer)}` only after "
            f"every `{layer}` model passed its blocking Soda contract (write-audit-publish): a failed gate "
            "leaves the last good version published."
        ),
    )
    def _publish(context: AssetExecutionContext, platform: PlatformResource) -> MaterializeResult:
        with platform.warehouse(read_only=False) as con:
            counts = publish_layer(con, layer)
        context.log.info(f"published {len(counts)} {layer} tables")
        return MaterializeResult(
            metadata={
                "tables": MetadataValue.md("\n".join(f"- `{layer}.{t}`: {n:,} rows" for t, n in counts.items())),
                "dagster/row_count": sum(counts.values()),
            }
        )

    return _publish
