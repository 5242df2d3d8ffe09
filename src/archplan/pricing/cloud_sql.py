"""Cloud SQL: vCPU and memory per hour (shared-core tiers per instance-hour), HA doubling instance and
storage, read replicas as zonal instances of their own, storage and backups per GB-month, CUDs."""
from __future__ import annotations

from decimal import Decimal

from archplan import catalog
from archplan.components.base import HOURS_PER_MONTH, Component
from archplan.components.cloud_sql import parse_tier
from archplan.pricing.base import (Charge, PricingContext, PricingProblem, charge, commitment_discount,
                                   generated_secret_note)


def _instance(component: Component, tier: str, label: str, multiplier: Decimal, discount: Decimal,
              edition: str, key: str, region: str | None = None) -> list[Charge]:
    shape = parse_tier(tier)
    hours = HOURS_PER_MONTH * multiplier
    availability = "HA (primary + standby)" if multiplier > 1 else "zonal"
    if shape.shared_core:
        if discount:
            raise PricingProblem("commitment", f"shared-core tier {tier} has no committed-use discount")
        sku = "shared_core_f1_micro" if tier == "db-f1-micro" else "shared_core_g1_small"
        return [charge(component, "cloud_sql", sku, hours, f"{label}: {tier}, {availability}, instance-hours",
                       region=region)]
    prefix = "enterprise_plus" if edition == "enterprise_plus" else "enterprise"
    return [
        charge(component, "cloud_sql", f"{prefix}_vcpu", shape.vcpu * hours,
               f"{label}: {tier} {shape.vcpu} vCPU, {availability}", discount=discount, region=region),
        charge(component, "cloud_sql", f"{prefix}_memory", shape.memory_gb * hours,
               f"{label}: {tier} {shape.memory_gb:.2f} GB memory, {availability}", discount=discount,
               region=region),
    ]


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    book = catalog.service("cloud_sql")
    ha_multiplier = book.fact("ha_multiplier").decimal if spec.ha else Decimal(1)
    discount = commitment_discount("cloud_sql", spec.commitment)
    storage_sku = f"storage_{spec.storage_type}"
    charges = _instance(component, spec.tier, "primary", ha_multiplier, discount, spec.edition, "tier")
    charges.append(charge(component, "cloud_sql", storage_sku, Decimal(spec.storage_gb) * ha_multiplier,
                          f"primary: {spec.storage_gb} GB {spec.storage_type.upper()} storage"
                          + (" x 2 (HA)" if spec.ha else "")))
    replica_tier = spec.replica_tier or spec.tier
    for number in range(1, spec.read_replicas + 1):
        charges += _instance(component, replica_tier, f"read replica {number}", Decimal(1), discount,
                             spec.edition, "replica_tier")
        charges.append(charge(component, "cloud_sql", storage_sku, Decimal(spec.storage_gb),
                              f"read replica {number}: {spec.storage_gb} GB {spec.storage_type.upper()} storage"))
    for number, replica in enumerate(spec.cross_region_replicas, 1):
        charges += _cross_region_replica(component, number, replica, discount, storage_sku)
    if spec.backups.enabled:
        charges.append(charge(component, "cloud_sql", "backup", component.usage["backup_gb"],
                              f"Backups: {spec.backups.retained_backups} retained"
                              + (", with point-in-time recovery logs" if spec.backups.pitr else "")))
    return charges


def _cross_region_replica(component: Component, number: int, replica, discount: Decimal, storage_sku: str) -> list[Charge]:
    """A read replica in another region: its instance and storage at that region's prices (doubled when the
    replica is itself HA), and the changes replicated to it as inter-region transfer."""
    spec = component.spec
    # The DR designation (advanced disaster recovery) is priced as the replica it is: no line of its own.
    label = f"cross-region {'DR ' if getattr(replica, 'dr_replica', False) else ''}replica {number} ({replica.region})"
    multiplier = catalog.service("cloud_sql").fact("ha_multiplier").decimal if replica.ha else Decimal(1)
    key = ("cross_region_replicas", number - 1, "tier")
    charges = _instance(component, replica.tier or spec.tier, label, multiplier, discount, spec.edition, key,
                        region=replica.region)
    charges.append(charge(component, "cloud_sql", storage_sku, Decimal(spec.storage_gb) * multiplier,
                          f"{label}: {spec.storage_gb} GB {spec.storage_type.upper()} storage"
                          + (" x 2 (HA)" if replica.ha else ""), region=replica.region))
    charges.append(replication_transfer(component, replica, Decimal(spec.storage_gb), "storage_gb"))
    return charges


def replication_transfer(component: Component, replica, stored_gb: Decimal, stored_key: str) -> Charge:
    """The changes shipped from the primary's region to a replica's: the plan's figure, or the stored data
    once a month (a stated assumption)."""
    from archplan.pricing.inter_region import transfer

    if replica.replication_gib_per_month is not None:
        gib, note = replica.replication_gib_per_month, ""
    else:
        gib = stored_gb
        note = (f"replication to {replica.region}: assumed the stored data ({stored_key} {stored_gb} GiB) changes "
                "once a month; set cross_region_replicas[].replication_gib_per_month")
    return transfer(component, component.region, replica.region, gib, "replication to the cross-region replica",
                    note)


def generated_unpriced(component: Component) -> list[str]:
    return [generated_secret_note(component, "application user's password")]
