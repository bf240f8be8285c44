"""`ndc link`: probabilistic matching of person files for analysts.

    ndc link LEFT RIGHT --out PAIRS        match an external list against another one
    ndc link --dedupe FILE --out PAIRS     find duplicates within one list (adds cluster_id)

Inputs are CSV or Parquet with record_id and any of full_name | given_name + family_name,
birth_date (ISO or yyyymmdd), sex, address, postcode, phone, id_number. The model is trained on
the input itself unless --model gives a saved one. Bad input raises ValueError (one line).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

import polars as pl

HELP = "Match person files probabilistically (link two lists, or --dedupe one)."

_OUT_SUFFIXES = (".csv", ".parquet")


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """Arguments of `ndc link`."""
    parser.add_argument("files", nargs="*", metavar="FILE", help="LEFT and RIGHT person files (.csv or .parquet)")
    parser.add_argument("--dedupe", metavar="FILE", help="deduplicate this one file instead of linking two")
    parser.add_argument("--out", required=True, metavar="PAIRS", help="output pairs file (.csv or .parquet)")
    parser.add_argument(
        "--threshold",
        type=float,
        metavar="P",
        help="minimum match probability (default: chosen from the data, see docs/linkage.md)",
    )
    parser.add_argument("--model", metavar="JSON", help="reuse a saved model instead of training on the input")
    parser.add_argument("--model-out", metavar="JSON", help="save the trained model here")
    parser.add_argument("--seed", type=int, default=42, help="seed for sampling during training (default 42)")
    parser.add_argument("--verbose", action="store_true", help="show Splink's training log")


def _check_args(args: argparse.Namespace) -> list[Path]:
    if args.dedupe and args.files:
        raise ValueError("give either --dedupe FILE or two files LEFT RIGHT, not both")
    if not args.dedupe and len(args.files) != 2:
        raise ValueError(f"link needs two files LEFT RIGHT (got {len(args.files)}), or --dedupe FILE")
    if Path(args.out).suffix.lower() not in _OUT_SUFFIXES:
        raise ValueError(f"{Path(args.out).name}: output must end in .csv or .parquet")
    if args.threshold is not None and not 0 < args.threshold < 1:
        raise ValueError(f"--threshold must be a probability between 0 and 1, got {args.threshold}")
    if args.model and not Path(args.model).is_file():
        raise ValueError(f"{Path(args.model).name}: model file not found")
    return [Path(args.dedupe)] if args.dedupe else [Path(f) for f in args.files]


def write_pairs(pairs: pl.DataFrame, out: Path) -> None:
    """Write by extension; parents are created so `--out results/x.parquet` just works."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".csv":
        pairs.write_csv(out)
    else:
        pairs.write_parquet(out)


def run(args: argparse.Namespace) -> int:
    """Read, validate, match, write; prints one summary line."""
    from assets.linkage.engine import dedupe, link  # Splink import is slow: only when running
    from assets.linkage.normalise import read_person_file

    paths = _check_args(args)
    if not args.verbose:
        logging.getLogger("splink").setLevel(logging.ERROR)
    started = time.perf_counter()
    frames = [read_person_file(p) for p in paths]
    common = {"model": args.model, "threshold": args.threshold, "seed": args.seed}
    if args.dedupe:
        result = dedupe(frames[0], label=paths[0].name, **common)
        cols = ["record_id_l", "record_id_r", "match_probability", "cluster_id"]
    else:
        result = link(frames[0], frames[1], labels=(paths[0].name, paths[1].name), **common)
        cols = ["record_id_l", "record_id_r", "match_probability"]
    out = Path(args.out)
    write_pairs(result.pairs.select(cols), out)
    if args.model_out:
        result.save_model(args.model_out)
    seconds = time.perf_counter() - started
    print(
        f"{result.pairs.height} pairs at match probability >= {result.threshold:g} "
        f"({result.threshold_reason}); {result.stats.get('records', 0)} records, "
        f"{result.n_comparisons} comparisons, features: {', '.join(result.features)}; "
        f"{seconds:.1f} s -> {out}",
        file=sys.stdout,
    )
    return 0
