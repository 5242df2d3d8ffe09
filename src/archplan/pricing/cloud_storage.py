"""Cloud Storage: GB-months by class and location, class A/B operations, retrieval, internet egress."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    location_type = spec.location_type.replace("-", "_")
    location = spec.location or component.region
    charges = [charge(component, "cloud_storage", f"storage_{spec.storage_class}_{location_type}",
                      component.usage["storage_gb"],
                      f"{spec.storage_class.title()} storage, {spec.location_type} {location}"
                      + (" (incl. noncurrent versions)" if spec.noncurrent_gb else ""),
                      region=location, free_tier="storage_standard" if spec.storage_class == "standard" else False)]
    ops_suffix = f"standard_{location_type}" if spec.storage_class == "standard" else spec.storage_class
    if spec.class_a_ops_per_month:
        charges.append(charge(component, "cloud_storage", f"class_a_{ops_suffix}", spec.class_a_ops_per_month,
                              "Class A operations (writes, lists)", region=location, free_tier="class_a"))
    if spec.class_b_ops_per_month:
        charges.append(charge(component, "cloud_storage", f"class_b_{ops_suffix}", spec.class_b_ops_per_month,
                              "Class B operations (reads)", region=location, free_tier="class_b"))
    if spec.retrieval_gb_per_month:
        charges.append(charge(component, "cloud_storage", f"retrieval_{spec.storage_class}",
                              spec.retrieval_gb_per_month, "Data retrieval"))
    if spec.location_type != "region" and (spec.written_gb_per_month is not None or spec.turbo_replication):
        charges.append(_replication(component, location))
    if spec.egress_gb_per_month:
        charges.append(charge(component, "network", "egress_internet", spec.egress_gb_per_month,
                              "Internet egress from the bucket", free_tier=("cloud_storage", "egress")))
    return charges


def _replication(component: Component, location: str) -> Charge:
    """Writes to a dual- or multi-region bucket are copied between its regions: charged once per GiB written
    at the inter-region rate of the location's continent (a derivation, catalog inter_region). Turbo
    replication's premium has no citable figure here: it is left out and the line says so."""
    from archplan import catalog
    from archplan.pricing.inter_region import transfer

    spec = component.spec
    book = catalog.service("inter_region")
    written = spec.written_gb_per_month
    notes = [book.fact("gcs_replication_rate_rule").note]
    if written is None:
        written = spec.storage_gb
        notes.append(f"replication: written data assumed equal to storage_gb ({written} GB) a month; set "
                     "written_gb_per_month")
    line = transfer(component, location, location, written, f"{spec.location_type} replication of writes",
                    " ".join(notes))
    if spec.turbo_replication:
        line.description = f"turbo replication of writes (15-minute target): {location}"
        line.notes.append(f"turbo replication: its premium over default replication is not priced "
                          f"({book.fact('gcs_turbo_premium').note})")
    return line
