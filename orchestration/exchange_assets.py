"""Dagster assets of the data exchange: the consent register and one asset per exchange product.

`consent/consent_register` rebuilds the register from the published person register and the
consent events, before the marts (the personal-data products read it as a dbt source), so a
withdrawal takes effect at the next build. `exchange/<product>` publishes the product's audited
mart (published `marts` schema) as a versioned Parquet with its contract and catalog entry; the
publisher re-checks k-anonymity and identifiers before writing. Each asset is gated by a Soda
contract: `contracts/consent/consent_register.yml` on the warehouse table and
`contracts/exchange/<product>.yml` on the published Parquet itself (see soda_checks.py).
"""

import csv

from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, MaterializeResult, MetadataValue, asset

from assets.exchange.consent import build_consent_register
from assets.exchange.publish import load_specs, publish_product
from orchestration.environment import CONTRACTS_DIR, DBT_PROJECT_DIR
from orchestration.resources import PlatformResource

EXCHANGE_GROUP = "exchange"
PRODUCTS_SEED = DBT_PROJECT_DIR / "seeds" / "exchange" / "exchange_products.csv"
CONSENT_KEY = AssetKey(["consent", "consent_register"])


def product_names() -> list[str]:
    """Product names from the catalogue seed (read at definition time: asset keys must be static)."""
    with PRODUCTS_SEED.open(encoding="utf-8") as handle:
        return sorted(row["product"] for row in csv.DictReader(handle))


@asset(
    key=CONSENT_KEY,
    deps=[AssetKey(["published", "core"])],
    group_name=EXCHANGE_GROUP,
    kinds={"duckdb"},
    pool="duckdb",
    owners=["team:data-platform"],
    description=(
        "Consent register (simulated): latest consent status per person and purpose, from the published "
        "person register and the append-only events of `ndc consent withdraw`. Personal-data exchange "
        "products leave out every person with a withdrawal."
    ),
)
def consent_register(context: AssetExecutionContext, platform: PlatformResource) -> MaterializeResult:
    with platform.warehouse(read_only=False) as con:
        rows = build_consent_register(con, platform.settings.data_dir)
        withdrawn = con.sql(
            "select count(distinct person_id) from consent.consent_register where status = 'withdrawn'"
        ).fetchall()[0][0]
    context.log.info(f"consent register: {rows:,} rows, {withdrawn:,} persons with a withdrawal")
    return MaterializeResult(metadata={"dagster/row_count": rows, "persons_withdrawn": withdrawn})


def build_product_asset(product: str) -> AssetsDefinition:
    @asset(
        key=AssetKey([EXCHANGE_GROUP, product]),
        deps=[AssetKey(["published", "marts"])],
        group_name=EXCHANGE_GROUP,
        kinds={"parquet"},
        pool="duckdb",
        owners=["team:data-platform"],
        description=(
            f"Data-exchange product `{product}`: k-anonymised Parquet with its contract and catalog entry under "
            f"`<data_dir>/exchange/{product}/<version>/`; fetched with `ndc exchange get {product}`."
        ),
    )
    def _product(context: AssetExecutionContext, platform: PlatformResource) -> MaterializeResult:
        with platform.warehouse(read_only=True) as con:
            spec = next(s for s in load_specs(con) if s.product == product)
            frame = con.sql(f"select * from marts.{spec.model}").pl()
        contract_text = (CONTRACTS_DIR / EXCHANGE_GROUP / f"{product}.yml").read_text(encoding="utf-8")
        published = publish_product(frame, spec, platform.settings.exchange_root, contract_text)
        context.log.info(f"{product} {published.version}: {published.rows} rows, min cell {published.min_cell}")
        return MaterializeResult(
            metadata={
                "dagster/row_count": published.rows,
                "version": published.version,
                "new_version": published.new_version,
                "k": spec.k,
                "min_cell": published.min_cell,
                "path": MetadataValue.path(str(published.path)),
            }
        )

    return _product


EXCHANGE_ASSETS: list[AssetsDefinition] = [consent_register, *(build_product_asset(p) for p in product_names())]
