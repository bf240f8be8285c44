"""`ndc simulate` command module: parser, progress on stderr, one-line ValueErrors."""

from __future__ import annotations

import argparse
import json

import pytest

from simulator import cli


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cli.configure_parser(parser)
    return parser.parse_args(list(argv))


def test_run_writes_landing_and_reports_progress(tmp_path, capsys):
    rc = cli.run(
        _args(
            "--scale",
            "0.0002",
            "--seed",
            "1",
            "--out",
            str(tmp_path),
            "--sources",
            "dc_population,xc_passport",
            "--json",
        )
    )
    assert rc == 0
    captured = capsys.readouterr()
    assert "dc_population" in captured.err and "xc_passport" in captured.err
    summary = json.loads(captured.out)
    assert set(summary["rows_by_source"]) == {"dc_population", "xc_passport"}
    assert (tmp_path / "landing" / "dc_population" / "20251101-01" / "_manifest.json").exists()


@pytest.mark.parametrize(
    "argv, message",
    [
        (("--scale", "0"), "scale"),
        (("--days", "-1"), "days"),
        (("--start-date", "2025-13-01"), "start-date"),
        (("--sources", "nope"), "unknown source"),
        (("--defect-multiplier", "-1"), "defect-multiplier"),
    ],
)
def test_bad_arguments_raise_value_error(tmp_path, argv, message):
    with pytest.raises(ValueError, match=message) as exc:
        cli.run(_args("--out", str(tmp_path), *argv))
    assert "\n" not in str(exc.value)


def test_help_is_a_string():
    assert isinstance(cli.HELP, str) and cli.HELP
