"""`archplan catalog`: the prices the catalog holds, with unit, source and date; with --region, the
figure that applies in that region (its own, its group's, global, derived or borrowed) and how."""
from __future__ import annotations

import json

from archplan import catalog
from archplan.errors import CatalogError, UsageError


def _services(service_name: str | None) -> list[str]:
    names = catalog.services()
    if service_name is None:
        return [name for name in names if name != "fx"]
    if service_name not in names:
        from archplan.spec.load import suggest

        raise UsageError(f"no service {service_name!r} in the catalog; " + suggest(service_name, names))
    return [service_name]


def _figure(price: catalog.Price) -> str:
    if price.tiers is None:
        return f"{price.usd:f}"  # never an exponent: 0.000000600, not 6.00E-7
    return ", ".join(f"{rate:f} up to {up:,}" if up is not None else f"{rate:f} above" for up, rate in price.tiers)


def _entries(service_name: str | None, region: str | None) -> list[dict]:
    rows = []
    for name in _services(service_name):
        book = catalog.service(name)
        if region is None:
            book.load_all_regions()
        else:
            book.load_region(region)
        for sku, entry in list(book.prices.items()):  # pricing a derived figure may load another region
            row = {"service": name, "sku": sku, "description": str(entry.get("description", "")),
                   "unit": entry.get("unit", ""), "tiered": "tiers" in entry,
                   "source": str(entry.get("source", "")), "date": str(entry.get("date", "")),
                   "confidence": entry.get("confidence", ""), "free_tier": sku in book.free_tiers}
            if region is None:
                values = entry.get("usd") or entry.get("tiers") or {}
                row["regions"] = sorted(values) + [f"{key} (derived)" for key in sorted(entry.get("derived") or {})]
                if entry.get("derive"):
                    row["regions"].append("derived by rule elsewhere")
            else:
                try:
                    price = book.price(sku, region)
                except CatalogError:
                    continue  # not sold there
                row.update({"region": region, "price_key": price.region_key, "usd": _figure(price),
                            "how": price.derived_from or "", "source": price.source, "date": price.date,
                            "confidence": price.confidence})  # a region may have a source of its own
            rows.append(row)
    if region is not None and service_name is not None and not rows:
        raise CatalogError(f"{service_name} has no price in {region}")
    return rows


def _rates(output_format: str) -> str:
    """`--service fx`: the exchange rates `--currency` converts with (facts, not prices), each dated."""
    rows = [{"currency": code, "per_usd": f"{rate.per_usd:f}", "date": rate.date, "source": rate.source}
            for code in catalog.currencies() if code != "USD" for rate in [catalog.exchange_rate(code)]]
    if output_format == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    lines = [f"{'CURRENCY':<9} {'PER USD':>14} {'DATE':<11} SOURCE"]
    lines += [f"{r['currency']:<9} {r['per_usd']:>14} {r['date']:<11} {r['source']}" for r in rows]
    return "\n".join(lines) + f"\n\n{len(rows)} exchange rates (units of the currency one US dollar buys)\n"


def render(service_name: str | None, output_format: str, region: str | None = None) -> str:
    if region is not None:
        catalog.check_region(region, locations_too=True)
    if service_name == "fx":
        return _rates(output_format)
    rows = _entries(service_name, region)
    if output_format == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    lines = []
    for row in rows:
        flags = (" tiered" if row["tiered"] else "") + (" free-tier" if row["free_tier"] else "")
        if region is None:
            where = ", ".join(row["regions"])
            where = where[:45] + "..." if len(where) > 48 else where
        else:
            where = f"{row['usd']} ({row['price_key']})" + (" DERIVED/BORROWED" if row["how"] else "")
        lines.append(f"{row['service']:<18} {row['sku']:<40} {row['unit']:<14} {row['date']:<16} "
                     f"{row['confidence'] or '-':<2} {where}{flags}")
    last = "REGIONS" if region is None else f"USD IN {region.upper()}"
    header = f"{'SERVICE':<18} {'SKU':<40} {'UNIT':<14} {'DATE':<16} {'C':<2} {last}"
    return "\n".join([header] + lines) + f"\n\n{len(rows)} prices; sources and derivations: --format json\n"
