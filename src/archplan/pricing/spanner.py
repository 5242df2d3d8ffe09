"""Cloud Spanner: compute capacity as node-hours (processing units / 1,000 x 730 h) at the edition's rate in
the instance configuration; storage at the price the plan states (the catalog has no citable figure)."""
from __future__ import annotations

from archplan import catalog
from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, charge, no_citable_price

CONFIDENCE = {"H": "high", "M": "medium", "L": "low"}


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    """An edition priced per node (the Standard figures) bills node-hours; one priced per read-write replica
    (Enterprise) bills node-hours x the replicas of a regional configuration (multi-region needs Enterprise
    Plus, which has no figure)."""
    spec = component.spec
    where = spec.config or component.region
    edition = spec.edition.lower()
    book = catalog.service("spanner")
    per_replica = not book.has_price(f"node/{edition}") and book.has_price(f"replica/{edition}")
    sku = f"replica/{edition}" if per_replica else f"node/{edition}"
    if not book.has_price(sku):
        raise no_citable_price("edition", f"Spanner {spec.edition}", "spanner", ("node", "replica"),
                               label=str.upper)
    units = spec.units
    node_hours = component.usage["node_hours"]
    configuration = f"multi-region {where}" if where in catalog.locations() else f"regional-{where}"
    price = book.price(sku, where)
    source = (f"Spanner {spec.edition} compute price in {where}: from {price.source} (dated {price.date}, "
              f"confidence {CONFIDENCE.get(price.confidence, 'not stated')}); not read from Google's price page, "
              "which could not be read: check it before relying on the figure")
    how = f"Compute: {units:,} processing units = {units / 1000:g} node(s) x 730 h"
    quantity = node_hours
    if per_replica:
        replicas = book.fact("read_write_replicas_regional").decimal
        how += f" x {replicas} read-write replicas"
        quantity = node_hours * replicas
    charges = [charge(component, "spanner", sku, quantity, f"{how}, {spec.edition} edition, {configuration}",
                      region=where, note=source)]
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
