"""Cloud Spanner: compute capacity as node-hours (processing units / 1,000 x 730 h) at the edition's rate in
the instance configuration; storage at the price the plan states (the catalog has no citable figure)."""
from __future__ import annotations

from archplan import catalog
from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, charge, no_citable_price


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    where = spec.config or component.region
    sku = f"node/{spec.edition.lower()}"
    book = catalog.service("spanner")
    if not book.has_price(sku):
        raise no_citable_price("edition", f"Spanner {spec.edition}", "spanner", "node", label=str.upper)
    units = spec.units
    node_hours = component.usage["node_hours"]
    configuration = f"multi-region {where}" if where in catalog.locations() else f"regional-{where}"
    charges = [charge(component, "spanner", sku, node_hours,
                      f"Compute: {units:,} processing units = {units / 1000:g} node(s) x 730 h, {spec.edition} "
                      f"edition, {configuration}", region=where)]
    if spec.storage_gib > 0:
        source = spec.storage_price_source or "stated in the plan"
        charges.append(Charge(
            component=component.name, category=component.category, service=book.display_name,
            sku="storage", description=f"Storage: {spec.storage_gib:,} GiB at the plan's stated price",
            quantity=spec.storage_gib, unit="GiB-month", stated_unit_usd=spec.storage_usd_per_gib_month,
            stated_source=f"{source}; {spec.storage_usd_per_gib_month} USD per GiB-month (archplan's catalog has "
                          "no citable Spanner storage price)",
            location=where))
    return charges
