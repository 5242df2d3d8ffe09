"""AlloyDB: every node (the primary's, two when highly available, and each read pool node) x 730 hours at
its shape's rate, a shape being vCPUs/2 n2-highmem-2 nodes; storage and backups per GB-month (storage at a
price the plan states, when it states one)."""
from __future__ import annotations

from decimal import Decimal

from archplan.components.alloydb import vcpus
from archplan.components.base import HOURS_PER_MONTH, Component
from archplan.pricing.base import Charge, PricingContext, charge, commitment_discount


def _nodes(component: Component, machine_type: str, nodes: int, label: str) -> Charge:
    units = Decimal(vcpus(machine_type)) / 2
    return charge(component, "alloydb", "node/n2-highmem-2", nodes * units * HOURS_PER_MONTH,
                  f"{label}: {nodes} node(s) of {machine_type} = {units:g} x n2-highmem-2 each, x 730 h",
                  discount=commitment_discount("alloydb", component.spec.commitment))


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    primary = "primary, highly available (active + standby node)" if spec.ha else "primary, basic (one node)"
    charges = [_nodes(component, spec.machine_type, spec.primary_nodes, primary)]
    charges += [_nodes(component, pool.machine_type, pool.nodes, f"read pool {pool.name}") for pool in spec.read_pools]
    if spec.storage_gb > 0:
        if spec.storage_usd_per_gb_month is None:
            charges.append(charge(component, "alloydb", "storage", spec.storage_gb,
                                  f"Storage: {spec.storage_gb:,} GB of data held"))
        else:
            source = spec.storage_price_source or "stated in the plan"
            charges.append(Charge(
                component=component.name, category=component.category, service="AlloyDB for PostgreSQL",
                sku="storage", description=f"Storage: {spec.storage_gb:,} GB at the plan's stated price",
                quantity=spec.storage_gb, unit="GB-month", stated_unit_usd=spec.storage_usd_per_gb_month,
                stated_source=f"{source}; {spec.storage_usd_per_gb_month} USD per GB-month (instead of the "
                              "catalog's)", location=component.region))
    backup_gb = component.usage["backup_gb"]
    if backup_gb > 0:
        charges.append(charge(component, "alloydb", "backup", backup_gb, f"Backups: {backup_gb:,} GB"))
    return charges
