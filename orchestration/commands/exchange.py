"""`ndc exchange`: list the published data-exchange products, or fetch one for a stated purpose."""

from __future__ import annotations

import argparse
from pathlib import Path

from orchestration.environment import resolve_settings

HELP = "Data exchange: list published products, or get one for a purpose (logged in the access log)."


def configure_parser(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    sub.add_parser("list", help="published products with version, rows, classification and allowed purposes")
    get = sub.add_parser("get", help="copy a product version to --out for an allowed --purpose")
    get.add_argument("product", help="product name (see `ndc exchange list`)")
    get.add_argument("--purpose", required=True, help="purpose of use; must be allowed for the product")
    get.add_argument("--requester", required=True, help="who asks (agency or person), recorded in the access log")
    get.add_argument("--out", type=Path, required=True, help="folder to copy the product into")
    get.add_argument("--version", default=None, help="a specific version (default: the latest)")


def run(args: argparse.Namespace) -> int:
    from assets.exchange.access import get_product, list_products

    exchange_root = resolve_settings().exchange_root
    if args.action == "list":
        products = list_products(exchange_root)
        if not products:
            print(f"no products published under {exchange_root} (run `ndc run` first)")
            return 0
        for entry in products:
            classification = entry["classification"]
            print(
                f"{entry['product']:<34} {entry['version']:<20} rows={entry['rows']:<6} "
                f"k={entry['anonymisation']['k']:<3} {classification['sharing']}/{classification['importance']}"
                f"/{classification['personal_data']}  purposes: {', '.join(entry['purposes_allowed'])}"
            )
        return 0
    record = get_product(exchange_root, args.product, args.purpose, args.requester, args.out, args.version)
    print(f"{record.product} {record.version}: {record.rows} rows for {record.purpose} -> {record.out}")
    print(f"access logged in {exchange_root / 'access_log.jsonl'}")
    return 0
