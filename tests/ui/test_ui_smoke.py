"""UI smoke test: `dg dev` serves the code location; GraphQL lists assets, checks, schedules and sensors;
headless Chromium renders the asset graph into test-artifacts/ui/asset-graph.png."""

import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from orchestration.environment import PROJECT_ROOT, resolve_settings

pytestmark = pytest.mark.ui

ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "ui"
DG = PROJECT_ROOT / ".venv" / "bin" / "dg"
START_TIMEOUT_S = 240
GRAPH_PAGE = "/asset-groups"  # the global asset lineage: one box per layer (group), linked raw → published
LINEAGE_PAGE = "/assets/raw/dc_population?view=lineage&lineageScope=downstream&lineageDepth=2"  # assets themselves


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("chromium is missing under CI: .ci/run must install the Debian packages chromium, chromium-driver")
    pytest.skip("chromium is not installed (apt-get install chromium chromium-driver)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _graphql(base: str, query: str) -> dict:
    request = urllib.request.Request(
        f"{base}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        payload = json.loads(response.read())
    assert "errors" not in payload, payload
    return payload["data"]


REPOSITORIES = """{ repositoriesOrError { __typename ... on RepositoryConnection { nodes {
  name location { name } schedules { name cronSchedule executionTimezone } sensors { name } } } } }"""
ASSETS = """{ assetNodes { assetKey { path } groupName kinds description
  assetChecksOrError { __typename ... on AssetChecks { checks { name blocking } } } } }"""


@pytest.fixture(scope="module")
def webserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("ui") / "data"
    settings = resolve_settings({"NDC_ENV": "test", "NDC_DATA_DIR": str(data_dir)})
    settings.ensure_dirs()
    with (settings.dagster_home / "dagster.yaml").open("a") as handle:
        handle.write("nux:\n  enabled: false\n")  # no "join the community" modal over the screenshot
    env = {
        **os.environ,
        "NDC_ENV": "test",
        "NDC_DATA_DIR": str(data_dir),
        "DAGSTER_HOME": str(settings.dagster_home),
        **settings.dbt_env(),
    }
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = (ARTIFACTS / "dg-dev.log").open("wb")
    process = subprocess.Popen(
        [str(DG), "dev", "--host", "127.0.0.1", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the webserver, daemon and code server stop together
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            assert process.poll() is None, f"dg dev exited: see {ARTIFACTS / 'dg-dev.log'}"
            assert time.monotonic() < deadline, f"dg dev not ready in {START_TIMEOUT_S} s"
            try:
                repos = _graphql(base, REPOSITORIES)["repositoriesOrError"]
                if repos["__typename"] == "RepositoryConnection" and repos["nodes"]:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(2)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def test_graphql_lists_assets_checks_schedules_and_sensors(webserver: str) -> None:
    repo = _graphql(webserver, REPOSITORIES)["repositoriesOrError"]["nodes"][0]
    schedules = {s["name"]: s for s in repo["schedules"]}
    assert {"nightly_consolidation", "weekly_full_rebuild", "hourly_freshness"} <= set(schedules)
    assert all(s["executionTimezone"] == "Asia/Ho_Chi_Minh" for s in schedules.values())
    sensors = {s["name"] for s in repo["sensors"]}
    assert {"landing_batches", "automation", "notify_failed_runs", "notify_failed_checks"} <= sensors

    nodes = {"/".join(n["assetKey"]["path"]): n for n in _graphql(webserver, ASSETS)["assetNodes"]}
    raw = nodes["raw/dc_population"]
    assert raw["groupName"] == "raw" and "polars" in raw["kinds"]
    assert "Cơ sở dữ liệu quốc gia về dân cư" in raw["description"]
    checks = {c["name"]: c["blocking"] for c in raw["assetChecksOrError"]["checks"]}
    assert checks == {"reconciliation": True, "soda_contract": True, "freshness": False}
    assert nodes["core/person"]["groupName"] == "core"
    assert {n["groupName"] for n in nodes.values()} >= {"raw", "reference", "staging", "core", "marts"}


def _png_pixels(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    idat, offset = b"", 8
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        if kind == b"IDAT":
            idat += data[offset + 8 : offset + 8 + length]
        offset += 12 + length
    return width, height, zlib.decompress(idat)


def _screenshot(chromium: str, url: str, screenshot: Path, profile: Path) -> None:
    screenshot.unlink(missing_ok=True)
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--window-size=1600,1000",
            "--virtual-time-budget=20000",
            f"--screenshot={screenshot}",
            url,
        ],
        check=True,
        timeout=180,
        capture_output=True,
    )


@pytest.mark.parametrize(("page", "name"), [(GRAPH_PAGE, "asset-graph"), (LINEAGE_PAGE, "dc-population-lineage")])
def test_asset_graph_renders_in_headless_chromium(webserver: str, tmp_path: Path, page: str, name: str) -> None:
    chromium = _chromium()
    screenshot = ARTIFACTS / f"{name}.png"
    _screenshot(chromium, f"{webserver}{page}", screenshot, tmp_path / "chromium")
    assert screenshot.is_file()
    width, height, pixels = _png_pixels(screenshot)
    assert (width, height) == (1600, 1000)
    # A blank or error page compresses to a few kB and has a handful of distinct byte values.
    assert screenshot.stat().st_size > 40_000, screenshot.stat().st_size
    assert len(set(pixels[:: max(1, len(pixels) // 200_000)])) > 50
