"""The code location loads, its shape matches the snapshot, and every asset is gated."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from dagster import AssetKey

from orchestration.definitions import build_definitions
from orchestration.soda_checks import contract_files

SNAPSHOT = Path(__file__).parent / "snapshots" / "definitions.json"


@pytest.fixture(scope="module")
def graph():
    return build_definitions().resolve_asset_graph()


def _shape(graph) -> dict:
    assets = {
        key.to_user_string(): graph.get(key).group_name
        for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string())
        if graph.get(key).is_materializable
    }
    checks = sorted(f"{c.asset_key.to_user_string()}:{c.name}" for c in graph.asset_check_keys)
    return {"assets": assets, "checks": checks}


def test_definitions_match_snapshot(graph) -> None:
    shape = _shape(graph)
    if os.environ.get("UPDATE_SNAPSHOTS") == "1" or not SNAPSHOT.exists():
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(json.dumps(shape, indent=2) + "\n")
    assert shape == json.loads(SNAPSHOT.read_text()), "definitions changed: rerun with UPDATE_SNAPSHOTS=1 and review"


def test_every_asset_has_a_blocking_soda_contract(graph) -> None:
    ungated = []
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if not node.is_materializable:
            continue
        contract_checks = [c for c in graph.asset_check_keys if c.asset_key == key and c.name == "soda_contract"]
        if not contract_checks or not all(graph.get_check_spec(c).blocking for c in contract_checks):
            ungated.append(key.to_user_string())
    assert ungated == [], f"assets without a blocking Soda contract: {ungated}"


def test_every_contract_gates_an_existing_asset(graph) -> None:
    keys = set(graph.get_all_asset_keys())
    orphans = [str(path) for key, path in contract_files().items() if key not in keys]
    assert orphans == [], f"contracts for assets that do not exist: {orphans}"


def test_layers_are_groups_and_raw_keys_mirror_sources(graph) -> None:
    assert graph.get(AssetKey(["raw", "dc_population"])).group_name == "raw"
    assert graph.get(AssetKey(["staging", "stg_dc_population__persons"])).group_name == "staging"
    assert graph.get(AssetKey(["core", "person"])).group_name == "core"
    staging = graph.get(AssetKey(["staging", "stg_dc_population__persons"]))
    assert AssetKey(["raw", "dc_population"]) in staging.parent_keys


def test_warehouse_steps_share_the_duckdb_pool() -> None:
    defs = build_definitions()
    job = defs.resolve_job_def("consolidate")
    pools = {node.name: node.definition.pool for node in job.graph.node_dict.values()}
    assert pools and all(pool == "duckdb" for pool in pools.values()), pools
