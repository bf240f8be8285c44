"""The master person index as a Dagster asset between the integration and core dbt layers.

dbt builds the mentions and the deterministic links; this asset runs Splink on the same warehouse for the
mentions those rules could not link, and core reads its table as the dbt source `integration.mpi_person_links`.
"""

from typing import Any

from dagster import AssetExecutionContext, AssetKey, Config, MaterializeResult, MetadataValue, asset

from assets.identity.mpi import LINKS_TABLE, REVIEW_TABLE, run_mpi
from assets.identity.scoring import score_links, truth_available
from orchestration.resources import PlatformResource

MPI_KEY = AssetKey(["integration", "mpi_person_links"])
MPI_DEPS = [
    AssetKey(["integration", "int_person_links__deterministic"]),
    AssetKey(["integration", "int_person_mentions"]),
    AssetKey(["staging", "stg_dc_population__persons"]),
]


class MpiConfig(Config):
    """Retrain on demand; otherwise the saved model is reused so that a re-run gives the same links."""

    retrain: bool = False


def _score_md(scores: dict[str, Any]) -> str:
    def row(label: str, f: dict[str, Any]) -> str:
        return f"| {label} | {f['mentions']:,} | {f['linked']:,} | {f['precision']} | {f['recall']} |"

    lines = [
        "| scope | mentions | linked | precision | recall |",
        "|---|---:|---:|---:|---:|",
        row("overall", scores["overall"]),
        row("no usable identifier", scores["no_usable_identifier"]),
    ]
    lines += [row(code, f) for code, f in scores["per_source"].items()]
    return "\n".join(lines)


@asset(
    key=MPI_KEY,
    deps=MPI_DEPS,
    group_name="integration",
    kinds={"splink", "duckdb"},
    pool="duckdb",
    owners=["team:data-platform"],
    description=(
        "Master person index: a population CCCD for the person mentions the deterministic identifier rules "
        "could not link (no valid id, or an id refused because it contradicts the record). Splink scores each "
        "against the population on name, birth date (with its precision), sex, father's name, commune, phone and "
        "any refused CCCD; the best candidate is linked above a threshold read off the fitted model, sent to "
        "`integration.mpi_review_queue` in the uncertain band, or left unlinked. One row per mention: nothing "
        "is dropped."
    ),
)
def mpi_person_links(
    context: AssetExecutionContext, config: MpiConfig, platform: PlatformResource
) -> MaterializeResult:
    settings = platform.settings
    with platform.warehouse(read_only=False) as con:
        summary = run_mpi(con, data_dir=settings.data_dir, reuse_model=not config.retrain)
        review_rows = con.sql(f"select count(*) from {REVIEW_TABLE}").fetchall()[0][0]
        rows = con.sql(f"select count(*) from {LINKS_TABLE}").fetchall()[0][0]
        scores = score_links(con, settings.truth_root) if truth_available(settings.truth_root) else None
    decisions = summary["decisions"]
    context.log.info(f"MPI: {summary['mentions']} mentions -> {decisions} in {summary['seconds']} s")
    metadata: dict[str, Any] = {
        "dagster/row_count": rows,
        "mentions_resolved": summary["mentions"],
        "linked": decisions["linked"],
        "review": decisions["review"],
        "unlinked": decisions["unlinked"],
        "review_queue_rows": review_rows,
        "threshold": summary["threshold"],
        "threshold_reason": summary["threshold_reason"],
        "review_floor": summary["review_floor"],
        "review_floor_reason": summary["review_floor_reason"],
        "comparisons": summary["n_comparisons"],
        "features": ", ".join(summary["features"]),
        "seconds": summary["seconds"],
        "model_path": MetadataValue.path(summary["model_path"]) if summary["model_path"] else "none",
        "model_reused": summary["model_reused"],
    }
    if scores is not None:
        metadata["precision"] = scores["overall"]["precision"]
        metadata["recall"] = scores["overall"]["recall"]
        metadata["recall_no_usable_identifier"] = scores["no_usable_identifier"]["recall"]
        metadata["precision_no_usable_identifier"] = scores["no_usable_identifier"]["precision"]
        metadata["scores"] = MetadataValue.md(_score_md(scores))
    return MaterializeResult(metadata=metadata)
