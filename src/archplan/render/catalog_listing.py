"""`archplan catalog`: every price the catalog holds, with unit, regions, source and date."""
from __future__ import annotations

import json

from archplan import catalog
from archplan.errors import UsageError


def _entries(service_name: str | None) -> list[dict]:
    names = catalog.services()
    if service_name is not None:
        if service_name not in names:
            from archplan.spec.load import suggest

            raise UsageError(f"no service {service_name!r} in the catalog; " + suggest(service_name, names))
        names = [service_name]
    rows = []
    for name in names:
        book = catalog.service(name)
        for sku, entry in book.prices.items():
            values = entry.get("usd") or entry.get("tiers") or {}
            regions = sorted(values) + [f"{key} (derived)" for key in sorted(entry.get("derived") or {})]
            rows.append({"service": name, "sku": sku, "unit": entry.get("unit", ""), "regions": regions,
                         "tiered": "tiers" in entry, "source": str(entry.get("source", "")),
                         "date": str(entry.get("date", "")), "confidence": entry.get("confidence", ""),
                         "free_tier": sku in book.free_tiers})
    return rows


def render(service_name: str | None, output_format: str) -> str:
    rows = _entries(service_name)
    if output_format == "json":
        return json.dumps(rows, indent=2) + "\n"
    lines = []
    for row in rows:
        regions = ", ".join(row["regions"])
        if len(regions) > 48:
            regions = regions[:45] + "..."
        flags = (" tiered" if row["tiered"] else "") + (" free-tier" if row["free_tier"] else "")
        lines.append(f"{row['service']:<18} {row['sku']:<40} {row['unit']:<14} {row['date']:<12} "
                     f"{row['confidence'] or '-':<2} {regions}{flags}")
    header = f"{'SERVICE':<18} {'SKU':<40} {'UNIT':<14} {'DATE':<12} {'C':<2} REGIONS"
    return "\n".join([header] + lines) + f"\n\n{len(rows)} prices; sources: archplan catalog --format json\n"
