"""The summary `ndc run` prints: tables and row counts, gate results, where things are."""

from __future__ import annotations

import duckdb

from orchestration.environment import PlatformSettings
from orchestration.pipeline import PipelineReport

UI_COMMAND = "make ui   # Dagster UI on http://127.0.0.1:3000"


def warehouse_tables(settings: PlatformSettings) -> list[tuple[str, str, int]]:
    if not settings.warehouse_path.is_file():
        return []
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        tables = con.sql(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema not in ('information_schema', 'pg_catalog', 'main') "
            "and table_schema not like '%_audit' order by 1, 2"
        ).fetchall()
        return [(s, t, con.sql(f'select count(*) from "{s}"."{t}"').fetchall()[0][0]) for s, t in tables]


def services_and_exchange_lines(settings: PlatformSettings) -> list[str]:
    """The readiness headline, top blocking defects and published exchange products (empty before a build)."""
    from assets.exchange.access import list_products

    lines: list[str] = []
    if settings.warehouse_path.is_file():
        with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
            if (
                con.sql(
                    "select count(*) from information_schema.tables where table_schema = 'marts' "
                    "and table_name in ('service_readiness_kpis', 'service_blocking_defects')"
                ).fetchall()[0][0]
                == 2
            ):
                for eligible, online, share in con.sql(
                    "select eligible_services, fully_online, share_fully_online_pct from marts.service_readiness_kpis "
                    "where scope = 'national' and procedure_group = 'all'"
                ).fetchall():
                    lines.append(f"  fully online: {share}% of {eligible:,} eligible services ({online:,})")
                for defect, source, blocked in con.sql(
                    "select defect_code, source_must_fix, services_blocked from marts.service_blocking_defects "
                    "where scope = 'national' and rank_in_area <= 3 order by rank_in_area"
                ).fetchall():
                    lines.append(f"  blocking: {defect} (fix: {source}) blocks {blocked:,} services")
    for entry in list_products(settings.exchange_root):
        lines.append(
            f"  product {entry['product']} {entry['version']}: {entry['rows']} rows, k={entry['anonymisation']['k']}"
        )
    return lines


def print_summary(settings: PlatformSettings, report: PipelineReport) -> None:
    print("\n== National data platform: run summary ==")
    ok_batches = sum(b.success for b in report.batches)
    print(f"batches ingested: {ok_batches}/{len(report.batches)}")
    for batch in report.batches:
        if not batch.success:
            print(f"  FAILED {batch.source} {batch.batch_id}: {batch.detail}")
    print("\nwarehouse tables (rows):")
    for schema, table, rows in warehouse_tables(settings):
        print(f"  {schema}.{table:<45} {rows:>10,}")
    checks = report.latest_checks()
    passed = sum(c.passed for c in checks)
    warned = [c for c in checks if not c.passed and not c.blocking_failure]
    failed = [c for c in checks if c.blocking_failure]
    print(f"\nchecks: {passed}/{len(checks)} passed, {len(warned)} warnings, {len(failed)} failed")
    for check in failed:
        print(f"  FAILED {check.asset} [{check.check}] {check.detail}")
    for check in warned:
        print(f"  WARN   {check.asset} [{check.check}] {check.detail}")
    if report.skipped_assets:
        print(f"not materialized (blocked upstream): {', '.join(report.skipped_assets)}")
    services = services_and_exchange_lines(settings)
    if services:
        print("\npublic services and data exchange (marts.service_readiness_kpis, ndc exchange list):")
        print("\n".join(services))
    print("\nwhere things are:")
    print(f"  warehouse   {settings.warehouse_path}")
    print(f"  raw lake    {settings.lake_root / 'raw'}")
    print(f"  quarantine  {settings.lake_root / 'quarantine'}")
    print(f"  rejected    {settings.rejected_root}")
    print(f"  landing     {settings.landing_root}")
    print(f"  exchange    {settings.exchange_root}")
    print(f"\nopen the UI: {UI_COMMAND}")
    print("status: " + ("OK" if report.success else "FAILED (see above)"))
