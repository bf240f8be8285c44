"""A blocking Soda contract check for every warehouse asset that has a contract file.

`contracts/<layer>/<model>.yml` gates the asset `[<layer>, <model>]`. The coverage test
fails when an asset has no contract, so a new model cannot slip in ungated. Exchange products
are Parquet files, not warehouse tables: their contracts run on an in-memory DuckDB with a view
over the published file (`assets.exchange.publish.product_connection`), gating what consumers get.

Contracts run on the platform's *simulated* clock: every gate gets the variable ``NOW`` = the
newest extract time of any source (orchestration/freshness.py), so a Soda ``freshness`` check
(``now_variable: NOW``) measures a table against the time the platform has reached, not the wall
clock of whoever runs the simulation.
"""

from pathlib import Path

from dagster import AssetCheckExecutionContext, AssetCheckResult, AssetChecksDefinition, AssetKey, asset_check

from assets.exchange.publish import product_connection
from assets.quality.soda_gate import verify_contract
from orchestration.check_metadata import gate_check_result
from orchestration.environment import CONTRACTS_DIR, PlatformSettings
from orchestration.freshness import simulated_now
from orchestration.resources import PlatformResource

CONTRACT_CHECK = "soda_contract"
WAREHOUSE_LAYERS = ("reference", "staging", "integration", "core", "marts", "published", "history", "consent")
PARQUET_LAYERS = ("exchange",)


def contract_variables(settings: PlatformSettings) -> dict[str, str]:
    """Variables every contract receives: ``NOW`` = the simulated platform clock (none before any batch)."""
    now = simulated_now(settings.lake_root, settings.landing_root)
    return {"NOW": now.isoformat()} if now is not None else {}


def contract_files() -> dict[AssetKey, Path]:
    found: dict[AssetKey, Path] = {}
    for layer in (*WAREHOUSE_LAYERS, *PARQUET_LAYERS):
        for path in sorted((CONTRACTS_DIR / layer).glob("*.yml")):
            found[AssetKey([layer, path.stem])] = path
    return found


def build_contract_check(asset_key: AssetKey, contract: Path) -> AssetChecksDefinition:
    @asset_check(
        asset=asset_key,
        name=CONTRACT_CHECK,
        blocking=True,
        pool="duckdb",
        description=f"Soda contract {contract.relative_to(CONTRACTS_DIR.parent)}: blocks downstream assets on failure.",
    )
    def _contract_check(context: AssetCheckExecutionContext, platform: PlatformResource) -> AssetCheckResult:
        variables = contract_variables(platform.settings)
        if asset_key.path[0] in PARQUET_LAYERS:  # a published Parquet product, not a warehouse table
            connection = product_connection(platform.settings.exchange_root, asset_key.path[-1])
        else:
            connection = platform.warehouse(read_only=True)
        with connection as con:
            gate = verify_contract(con, contract, variables=variables)
        if not gate.passed:
            context.log.error(f"{asset_key.to_user_string()}: {gate.describe()}")
        return gate_check_result(
            gate,
            asset_key=asset_key,
            check_name=CONTRACT_CHECK,
            lake_root=platform.settings.lake_root,
            run_id=context.op_execution_context.run_id,
        )

    return _contract_check


def build_contract_checks(asset_keys: set[AssetKey]) -> list[AssetChecksDefinition]:
    """Checks for the contracts whose asset exists (a contract for a missing asset is a test failure)."""
    return [build_contract_check(key, path) for key, path in contract_files().items() if key in asset_keys]
