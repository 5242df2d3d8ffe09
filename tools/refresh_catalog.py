"""Check archplan's catalog against the Cloud Billing Catalog API and write a reviewable diff.

Run: python tools/refresh_catalog.py --api-key KEY [--out refresh.diff]

Every catalog price that records the Billing SKU id it was read from (`sku_id`, one id or ids keyed by
region) is looked up by that id: the tool lists the billing services (services.list), and for each
service the catalog has SKU ids for (the service-level `billing_service`, its display name in the API)
reads services.skus.list in pages of 5,000. A price whose API figure differs from the catalog's is
written to a unified diff of the catalog YAML files (review it, then `git apply`), with a summary of each
change on standard output. Nothing is written to the catalog itself.
"""
from __future__ import annotations

import argparse
import difflib
import json
import sys
import urllib.parse
import urllib.request
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Callable

import yaml

API = "https://cloudbilling.googleapis.com/v1"
PAGE_SIZE = 5000
DATA = Path(__file__).resolve().parent.parent / "src" / "archplan" / "catalog" / "data"

Fetch = Callable[[str], dict]


@dataclass(frozen=True)
class Tracked:
    """One catalog figure that names its Billing SKU."""
    file: Path
    service: str
    billing_service: str
    sku: str
    region: str  # the key of the figure in `usd` (a region, a group or "global")
    sku_id: str
    usd: Decimal
    unit_factor: Decimal  # catalog units per API usage unit (e.g. 730 for an hourly SKU priced per month)


@dataclass(frozen=True)
class Change:
    tracked: Tracked
    api_usd: Decimal
    api_unit: str
    description: str


def tracked_prices(data: Path = DATA) -> list[Tracked]:
    out = []
    for path in sorted(data.glob("*.yaml")):
        document = yaml.safe_load(path.read_text()) or {}
        billing_service = document.get("billing_service")
        for sku, entry in (document.get("prices") or {}).items():
            ids = entry.get("sku_id")
            if not ids or not billing_service:
                continue
            values = entry.get("usd") or {}
            pairs = ids.items() if isinstance(ids, dict) else [(key, ids) for key in values]
            for region, sku_id in pairs:
                if region in values:
                    out.append(Tracked(path, document["service"], billing_service, sku, region, str(sku_id),
                                       Decimal(str(values[region])), Decimal(str(entry.get("sku_unit_factor", 1)))))
    return out


def http_fetch(url: str) -> dict:  # pragma: no cover - the only network call; tests pass their own fetch
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.load(response)


def _pages(fetch: Fetch, url: str, params: dict, key: str) -> list[dict]:
    items, token = [], None
    while True:
        query = dict(params, pageSize=PAGE_SIZE, **({"pageToken": token} if token else {}))
        page = fetch(f"{url}?{urllib.parse.urlencode(query)}")
        items += page.get(key, [])
        token = page.get("nextPageToken")
        if not token:
            return items


def unit_price(sku: dict) -> tuple[Decimal, str]:
    """The list price of one usage unit: the first tier above zero of the newest pricing info."""
    expression = sku["pricingInfo"][-1]["pricingExpression"]
    rates = expression["tieredRates"]
    chosen = next((rate for rate in rates if _money(rate["unitPrice"]) > 0), rates[-1])
    return _money(chosen["unitPrice"]), expression.get("usageUnit", "")


def _money(value: dict) -> Decimal:
    return Decimal(str(value.get("units", "0") or "0")) + Decimal(value.get("nanos", 0)) / Decimal(10**9)


def changes(api_key: str, fetch: Fetch = http_fetch, data: Path = DATA) -> tuple[list[Change], list[Tracked]]:
    """The catalog figures the API prices differently, and those whose SKU id the API did not list."""
    tracked = tracked_prices(data)
    wanted = {t.billing_service for t in tracked}
    services = _pages(fetch, f"{API}/services", {"key": api_key}, "services")
    names = {s["displayName"]: s["name"] for s in services if s.get("displayName") in wanted}
    found: dict[str, dict] = {}
    for display_name in sorted(wanted):
        if display_name not in names:
            continue
        for sku in _pages(fetch, f"{API}/{names[display_name]}/skus", {"key": api_key, "currencyCode": "USD"},
                          "skus"):
            found[sku["skuId"]] = sku
    out, missing = [], []
    for item in tracked:
        sku = found.get(item.sku_id)
        if sku is None:
            missing.append(item)
            continue
        price, unit = unit_price(sku)
        in_catalog_units = price * item.unit_factor
        if in_catalog_units != item.usd:
            out.append(Change(item, in_catalog_units, unit, sku.get("description", "")))
    return out, missing


def _format(value: Decimal) -> str:
    return f"{value.normalize():f}"


def proposed_diff(found: list[Change]) -> str:
    """A unified diff of the catalog files with each changed figure replaced (nothing else touched)."""
    by_file: dict[Path, list[Change]] = {}
    for change in found:
        by_file.setdefault(change.tracked.file, []).append(change)
    out = []
    for path, file_changes in sorted(by_file.items()):
        before = path.read_text().splitlines(keepends=True)
        after = list(before)
        for change in file_changes:
            line = _figure_line(after, change.tracked)
            if line is None:
                continue
            indent = after[line][: len(after[line]) - len(after[line].lstrip())]
            after[line] = f'{indent}{change.tracked.region}: "{_format(change.api_usd)}"\n'
        name = path.relative_to(path.parents[4]) if len(path.parents) > 4 else path
        out += difflib.unified_diff(before, after, f"a/{name}", f"b/{name}")
    return "".join(out)


def _figure_line(lines: list[str], tracked: Tracked) -> int | None:
    """The line of `<region>: "<usd>"` inside the sku's block under prices."""
    start = next((i for i, line in enumerate(lines) if line.rstrip() == f"  {tracked.sku}:"), None)
    if start is None:
        return None
    for i in range(start + 1, len(lines)):
        if lines[i].startswith("  ") and not lines[i].startswith("   ") and lines[i].strip():
            return None  # next SKU
        if lines[i].strip().startswith(f"{tracked.region}:"):
            return i
    return None


def summary(found: list[Change], missing: list[Tracked]) -> str:
    lines = []
    for change in found:
        t = change.tracked
        share = (change.api_usd - t.usd) / t.usd * 100 if t.usd else Decimal(0)
        lines.append(f"{t.service}.{t.sku} [{t.region}] SKU {t.sku_id} ({change.description}): "
                     f"{t.usd} -> {_format(change.api_usd)} USD ({share:+.1f}%)")
    lines += [f"{t.service}.{t.sku} [{t.region}]: SKU {t.sku_id} not listed by the API" for t in missing]
    return "\n".join(lines) + ("\n" if lines else "no tracked price changed\n")


def main(argv: list[str] | None = None, fetch: Fetch = http_fetch) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api-key", required=True, help="a Google Cloud API key with the Billing API enabled")
    parser.add_argument("--out", type=Path, default=Path("catalog-refresh.diff"),
                        help="where to write the proposed changes (a unified diff)")
    args = parser.parse_args(argv)
    found, missing = changes(args.api_key, fetch)
    args.out.write_text(proposed_diff(found))
    sys.stdout.write(summary(found, missing))
    print(f"{len(found)} changed, {len(missing)} not found; review {args.out}, then: git apply {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
