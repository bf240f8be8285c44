"""One raw-lake asset per source, partitioned by landing batch, gated before publication.

Partitions are *dynamic* (one key per batch id) rather than daily windows: sources deliver on
their own cadence (daily, weekly, late), a day can hold several batches, and a batch id is
what operators re-run, replay and reconcile against its manifest.
"""

from pathlib import Path

from dagster import (
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    Backoff,
    DynamicPartitionsDefinition,
    Failure,
    MaterializeResult,
    MetadataValue,
    RetryPolicy,
    TableColumn,
    TableSchema,
    asset,
)

from assets.ingestion import lake
from assets.ingestion.audit import audit_staged_batch
from assets.ingestion.batch import LINEAGE_COLUMNS, stage_batch
from assets.ingestion.errors import BatchRejectedError
from assets.sources import SOURCES, SourceSpec
from orchestration.check_metadata import gate_check_result, simple_check_result
from orchestration.environment import CONTRACTS_DIR
from orchestration.resources import PlatformResource

RECONCILIATION_CHECK = "reconciliation"
CONTRACT_CHECK = "soda_contract"


def raw_asset_key(source: str) -> AssetKey:
    return AssetKey(["raw", source])


def batch_partitions(source: str) -> DynamicPartitionsDefinition:
    return DynamicPartitionsDefinition(name=f"batches__{source}")


def raw_contract_path(source: str) -> Path:
    return CONTRACTS_DIR / "raw" / f"{source}.yml"


def _column_schema(spec: SourceSpec) -> TableSchema:
    # Raw keeps source text; the logical type is what staging parses it to.
    columns = [TableColumn(c.name, f"string ({c.type})", description=c.description) for c in spec.columns]
    columns += [TableColumn(name, "lineage") for name in LINEAGE_COLUMNS]
    return TableSchema(columns=columns)


def _description(spec: SourceSpec) -> str:
    return (
        f"**{spec.code} – {spec.name_vi}** ({spec.name_en}; owner {spec.owner}).\n\n"
        f"One partition per landing batch: `{spec.format}` files are read with Polars, unreadable rows go to "
        f"`lake/quarantine/{spec.name}` with their reason, and the batch is published to "
        f"`lake/raw/{spec.name}/batch_id=<id>/` only after reconciliation (manifest rows = landed + "
        "quarantined) and the raw Soda contract pass."
    )


def build_raw_asset(spec: SourceSpec) -> AssetsDefinition:
    key = raw_asset_key(spec.name)

    @asset(
        key=key,
        partitions_def=batch_partitions(spec.name),
        group_name="raw",
        kinds={"polars", "parquet"},
        owners=[spec.owner_tag],
        tags={"source_code": spec.code, "layer": "raw", "source_group": spec.group, "format": spec.format},
        description=_description(spec),
        metadata={
            "dagster/column_schema": _column_schema(spec),
            "source_name_vi": spec.name_vi,
            "freshness_sla_hours": spec.freshness_sla_hours,
            "natural_key": ", ".join(spec.natural_key),
            "wire_format": f"{spec.format} ({spec.encoding}"
            + (f", delimiter {spec.delimiter!r})" if spec.delimiter else ")"),
            "cadence": spec.cadence,
        },
        check_specs=[
            AssetCheckSpec(
                RECONCILIATION_CHECK,
                asset=key,
                blocking=True,
                description="Rows in the manifest = rows landed + rows quarantined (nothing lost).",
            ),
            AssetCheckSpec(
                CONTRACT_CHECK,
                asset=key,
                blocking=True,
                description=f"Soda contract contracts/raw/{spec.name}.yml on the batch before it is published.",
            ),
        ],
        retry_policy=RetryPolicy(max_retries=2, delay=1, backoff=Backoff.EXPONENTIAL),
    )
    def _raw_asset(context: AssetExecutionContext, platform: PlatformResource):
        settings = platform.settings
        batch_id = context.partition_key
        batch_dir = settings.landing_root / spec.name / batch_id
        if not batch_dir.is_dir():
            raise Failure(
                description=f"{spec.name} batch {batch_id}: not in the landing zone ({batch_dir}); "
                f"a rejected batch waits in {settings.rejected_root / spec.name}",
            )
        try:
            staged = stage_batch(spec, batch_dir, settings.lake_root)
        except BatchRejectedError as exc:
            target = lake.reject_batch(batch_dir, settings.rejected_root, spec.name, exc.rule, exc.detail)
            lake.write_ledger(
                settings.lake_root,
                spec.name,
                batch_id,
                {
                    "source": spec.name,
                    "batch_id": batch_id,
                    "status": "rejected",
                    "rule": exc.rule,
                    "reason": exc.detail,
                },
            )
            raise Failure(
                description=f"{spec.name} batch {batch_id} rejected ({exc.rule}): {exc.detail}",
                metadata={"rule": exc.rule, "moved_to": MetadataValue.path(str(target))},
                allow_retries=False,
            ) from exc

        if staged.added_columns:
            context.log.warning(
                f"{spec.name} batch {batch_id}: schema drift, added column(s) kept: {', '.join(staged.added_columns)}"
            )
        if staged.type_drift:
            drifted = ", ".join(f"{c} arrived as {t}" for c, t in staged.type_drift.items())
            context.log.warning(f"{spec.name} batch {batch_id}: type drift, cast to text: {drifted}")
        audit = audit_staged_batch(staged, raw_contract_path(spec.name))
        recorded = {"lake_root": settings.lake_root, "run_id": context.run_id, "partition": batch_id}
        reconciliation = simple_check_result(
            audit.reconciles,
            {
                "rows_in_manifest": staged.rows_in_manifest,
                "rows_landed": staged.rows_landed,
                "rows_quarantined": staged.rows_quarantined,
            },
            asset_key=key,
            check_name=RECONCILIATION_CHECK,
            **recorded,
        )
        contract = gate_check_result(audit.contract, asset_key=key, check_name=CONTRACT_CHECK, **recorded)
        if not audit.passed:
            staged.discard()
            lake.write_ledger(settings.lake_root, spec.name, batch_id, {**staged.summary(), "status": "gate_failed"})
            yield reconciliation
            yield contract
            raise Failure(
                description=f"{spec.name} batch {batch_id} not published: "
                + ("rows do not reconcile with the manifest; " if not audit.reconciles else "")
                + audit.contract.describe(),
                allow_retries=False,
            )
        staged.publish()
        yield MaterializeResult(
            metadata={
                "dagster/row_count": staged.rows_landed,
                "rows_in_manifest": staged.rows_in_manifest,
                "rows_quarantined": staged.rows_quarantined,
                "quarantine_by_rule": MetadataValue.json(staged.quarantine_by_rule),
                "added_columns": ", ".join(staged.added_columns) or "none",
                "missing_optional_columns": ", ".join(staged.missing_optional_columns) or "none",
                "type_drift": MetadataValue.json(staged.type_drift),
                "batch_kind": staged.manifest.kind,
                "extract_time": str(staged.manifest.extract_time),
                "path": MetadataValue.path(str(staged.raw_final)),
            },
            check_results=[reconciliation, contract],
        )

    return _raw_asset


RAW_ASSETS: list[AssetsDefinition] = [build_raw_asset(spec) for spec in SOURCES.values()]
