"""dbt models as Dagster assets: one op per layer so a gate between layers really blocks.

A single `dbt build` would build staging, core and marts in one step, and a failed staging
gate could not stop core. Splitting by layer (dbt tags) makes each layer a step whose
blocking Soda checks run before the next layer starts.

The manifest is prepared by `dbt parse` in setup, tests and CI (`make prepare`); importing
this module never runs dbt.
"""

from collections.abc import Mapping
from typing import Any

from dagster import AssetExecutionContext, AssetKey, AssetsDefinition
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject, dbt_assets

from orchestration.automation import condition_for_layer
from orchestration.dbt_operations import DbtLayerConfig, run_dbt_build
from orchestration.environment import DBT_PROJECT_DIR

DBT_PROJECT = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
MANIFEST_PATH = DBT_PROJECT.manifest_path

# Build order; each layer is a dbt tag (dbt_project.yml) and a Dagster asset group.
DBT_LAYERS: tuple[str, ...] = ("reference", "staging", "integration", "core", "marts", "history")


class ManifestMissingError(RuntimeError):
    pass


class NdcDbtTranslator(DagsterDbtTranslator):
    """Asset keys mirror the layer: ["raw", source], ["staging", model], ["core", model] …"""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        resource_type = dbt_resource_props["resource_type"]
        name = dbt_resource_props["name"]
        if resource_type == "source":
            # Tables written by Python assets between dbt layers keep their asset's key
            # (e.g. the master person index writes integration.mpi_person_links).
            source_name = dbt_resource_props.get("source_name")
            if source_name != "raw":
                return AssetKey([source_name, name])
            return AssetKey(["raw", name])
        if resource_type == "seed":
            return AssetKey(["reference", name])
        if resource_type == "snapshot":
            return AssetKey(["history", name])
        return AssetKey([self._layer(dbt_resource_props), name])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        if dbt_resource_props["resource_type"] == "snapshot":
            return "history"
        return self._layer(dbt_resource_props)

    def get_owners(self, dbt_resource_props: Mapping[str, Any]):
        owner = (dbt_resource_props.get("meta") or {}).get("owner") or (
            dbt_resource_props.get("config", {}).get("meta") or {}
        ).get("owner")
        return [owner] if owner else ["team:data-platform"]

    def get_automation_condition(self, dbt_resource_props: Mapping[str, Any]):
        return condition_for_layer(self.get_group_name(dbt_resource_props) or "")

    @staticmethod
    def _layer(dbt_resource_props: Mapping[str, Any]) -> str:
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "models"


TRANSLATOR = NdcDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


def _require_manifest() -> None:
    if not MANIFEST_PATH.is_file():
        raise ManifestMissingError(f"dbt manifest not found at {MANIFEST_PATH}; run `make prepare` (dbt parse) first")


def _layer_has_nodes(layer: str) -> bool:
    import json

    manifest = json.loads(MANIFEST_PATH.read_text())
    return any(
        layer in node.get("tags", [])
        for node in manifest["nodes"].values()
        if node["resource_type"] in ("model", "seed", "snapshot")
    )


def build_layer_assets(layer: str) -> AssetsDefinition:
    @dbt_assets(
        manifest=MANIFEST_PATH,
        select=f"tag:{layer}",
        name=f"dbt_{layer}",
        project=DBT_PROJECT,
        dagster_dbt_translator=TRANSLATOR,
        pool="duckdb",
    )
    def _layer_assets(context: AssetExecutionContext, dbt: DbtCliResource, config: DbtLayerConfig):
        yield from run_dbt_build(context, dbt, config)  # full refresh as run config; lock errors retried

    return _layer_assets


def build_dbt_assets() -> list[AssetsDefinition]:
    _require_manifest()
    return [build_layer_assets(layer) for layer in DBT_LAYERS if _layer_has_nodes(layer)]
