"""`ndc exchange get`: purpose-checked, refused requests leave nothing, the access log only grows."""

from __future__ import annotations

import json

import pytest

from assets.exchange.access import access_log_path, get_product, list_products
from orchestration.cli import main


def log_text(world) -> str:
    path = access_log_path(world.exchange_root)
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def test_list_shows_every_product(world) -> None:
    assert [e["product"] for e in list_products(world.exchange_root)] == [
        "enterprises_by_sector_province",
        "population_by_ward_age_sex",
        "vehicle_fleet_by_province_type",
    ]


def test_the_access_log_only_grows(world, tmp_path) -> None:
    before = log_text(world)
    first = get_product(world.exchange_root, "population_by_ward_age_sex", "statistics", "GSO", tmp_path / "a")
    middle = log_text(world)
    get_product(world.exchange_root, "enterprises_by_sector_province", "commercial", "Bank X", tmp_path / "b")
    after = log_text(world)
    assert middle.startswith(before) and after.startswith(middle)
    assert len(after.splitlines()) == len(before.splitlines()) + 2
    entry = json.loads(middle.splitlines()[-1])
    assert {k: entry[k] for k in ("requester", "product", "version", "purpose", "rows")} == {
        "requester": "GSO",
        "product": "population_by_ward_age_sex",
        "version": first.version,
        "purpose": "statistics",
        "rows": first.rows,
    }
    assert entry["at"]
    assert (tmp_path / "a" / "population_by_ward_age_sex" / first.version / "data.parquet").is_file()


@pytest.mark.parametrize(
    ("product", "purpose", "message"),
    [
        ("no_such_product", "statistics", "unknown product"),
        ("population_by_ward_age_sex", "commercial", "not allowed"),
        ("vehicle_fleet_by_province_type", "marketing", "not allowed"),
    ],
)
def test_a_refused_request_leaves_no_file_and_no_log_line(world, tmp_path, product, purpose, message) -> None:
    before = log_text(world)
    out = tmp_path / "out"
    with pytest.raises(ValueError, match=message):
        get_product(world.exchange_root, product, purpose, "someone", out)
    assert not out.exists()
    assert log_text(world) == before


def test_cli_refuses_with_exit_code_2(world, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("NDC_DATA_DIR", str(world.data_dir))
    out = tmp_path / "cli"
    argv = ["exchange", "get", "population_by_ward_age_sex", "--purpose", "commercial", "--requester", "X"]
    assert main([*argv, "--out", str(out)]) == 2
    assert "not allowed" in capsys.readouterr().err
    assert not out.exists()
    argv[4] = "planning"
    assert main([*argv, "--out", str(out)]) == 0
    assert main(["exchange", "list"]) == 0
    assert "population_by_ward_age_sex" in capsys.readouterr().out
