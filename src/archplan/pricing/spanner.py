"""Cloud Spanner: compute capacity as node-hours (processing units / 1,000 x 730 h) at the edition's rate in
the regional configuration; storage as GiB-months of data in each read-write replica at the catalog's SSD rate,
or at the price the plan states. Dual- and multi-region configurations have no citable price."""
from __future__ import annotations

from archplan import catalog
from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, charge, commitment_discount, no_citable_price

CONFIDENCE = {"H": "high", "M": "medium", "L": "low"}


def _source(what: str, where: str, price) -> str:
    return (f"{what} price in {where}: from {price.source} (dated {price.date}, confidence "
            f"{CONFIDENCE.get(price.confidence, 'not stated')}); not read from Google's price page, which could not "
            "be read: check it before relying on the figure")


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    """An edition priced per node (the Standard figures) bills node-hours; one priced per read-write replica
    (Enterprise, Enterprise Plus) bills node-hours x the replicas of a regional configuration. Storage is
    billed per replica: GiB x the regional configuration's read-write replicas."""
    spec = component.spec
    where = spec.config or component.region
    edition = spec.edition.lower()
    book = catalog.service("spanner")
    if where in catalog.locations():  # Google's figures read give only the lowest per-replica rate
        raise no_citable_price("config", f"Spanner multi-region configuration {where}", "spanner",
                               ("node", "replica"), label=lambda edition: f"{edition.upper()} regional")
    per_replica = not book.has_price(f"node/{edition}") and book.has_price(f"replica/{edition}")
    sku = f"replica/{edition}" if per_replica else f"node/{edition}"
    if not book.has_price(sku):
        raise no_citable_price("edition", f"Spanner {spec.edition}", "spanner", ("node", "replica"),
                               label=str.upper)
    units = spec.units
    node_hours = component.usage["node_hours"]
    replicas = book.fact("read_write_replicas_regional").decimal
    how = f"Compute: {units:,} processing units = {units / 1000:g} node(s) x 730 h"
    quantity = node_hours
    if per_replica:
        how += f" x {replicas} read-write replicas"
        quantity = node_hours * replicas
    note = _source(f"Spanner {spec.edition} compute", where, book.price(sku, where))
    charges = [charge(component, "spanner", sku, quantity, f"{how}, {spec.edition} edition, regional-{where}",
                      region=where, note=note, discount=commitment_discount("spanner", spec.commitment))]
    if spec.storage_gib > 0 and spec.storage_usd_per_gib_month is not None:
        source = spec.storage_price_source or "stated in the plan"
        charges.append(Charge(
            component=component.name, category=component.category, service=book.display_name,
            sku="storage", description=f"Storage: {spec.storage_gib:,} GiB at the plan's stated price",
            quantity=spec.storage_gib, unit="GiB-month", stated_unit_usd=spec.storage_usd_per_gib_month,
            stated_source=f"{source}; {spec.storage_usd_per_gib_month} USD per GiB-month, stated instead of the "
                          "catalog's SSD figure",
            location=where))
    elif spec.storage_gib > 0:
        note = _source("Spanner SSD storage", where, book.price("storage/ssd", where))
        charges.append(charge(component, "spanner", "storage/ssd", spec.storage_gib * replicas,
                              f"Storage: {spec.storage_gib:,} GiB x {replicas} read-write replicas (SSD), "
                              f"regional-{where}", region=where, note=note))
    return charges
