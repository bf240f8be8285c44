"""Write contracts/raw/<source>.yml for every source spec (run after changing a spec)."""

from __future__ import annotations

from pathlib import Path

from assets.quality.raw_contracts import render_raw_contract
from assets.sources import SOURCES

CONTRACTS_RAW = Path(__file__).resolve().parents[1] / "contracts" / "raw"


def main() -> None:
    CONTRACTS_RAW.mkdir(parents=True, exist_ok=True)
    for spec in SOURCES.values():
        path = CONTRACTS_RAW / f"{spec.name}.yml"
        path.write_text(render_raw_contract(spec), encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
