"""Compute Engine machines and disks, shared by GKE node pools and VMs."""
from __future__ import annotations

from decimal import Decimal

from archplan import catalog
from archplan.components.base import HOURS_PER_MONTH, Component
from archplan.pricing.base import Charge, PricingProblem, charge

DISK_SKUS = {"pd-standard": "pd_standard", "pd-balanced": "pd_balanced", "pd-ssd": "pd_ssd"}


def machine_sku(machine_type: str, spot: bool, commitment: str) -> str:
    suffix = "/spot" if spot else {"none": "/sud", "1y": "/cud_1y", "3y": "/cud_3y"}[commitment]
    return f"instance/{machine_type}{suffix}"


def _has_sustained_use_discount(region: str, machine_type: str) -> bool:
    book = catalog.service("compute_engine")
    return book.price(f"instance/{machine_type}/sud", region).usd < book.price(f"instance/{machine_type}", region).usd


def check_offered(machine_type: str, region: str, key: str | tuple = "machine_type") -> None:
    """A machine type the price data does not list in the region is not offered there: say where it is."""
    offered = catalog.service("compute_engine").machine_types.get(machine_type, {}).get("regions")
    if offered is not None and region not in offered:
        raise PricingProblem(key, f"Compute Engine machine type {machine_type} is not offered in {region}; "
                                  f"it is sold in: {', '.join(offered)}")


SUD_SOURCE = "https://cloud.google.com/compute/docs/sustained-use-discounts"


def sustained_use_fraction(full_month_discount: Decimal, hours: Decimal) -> Decimal:
    """Price paid, as a fraction of on-demand, for `hours` of a month: the discount is earned in four equal
    quarters of the month at rates 1, 1 - s, 1 - 2s, 1 - 3s with s = 2/3 of the full-month discount (so
    N1's 30% gives 100/80/60/40% and N2's 20% gives 100/86.8/73.6/60.3%, Google's published increments)."""
    step = full_month_discount * 2 / 3
    quarter = HOURS_PER_MONTH / 4
    paid = Decimal(0)
    for k in range(4):
        in_quarter = min(max(hours - k * quarter, Decimal(0)), quarter)
        paid += in_quarter * (1 - k * step)
    return paid / hours


def _part_month_charge(component: Component, machine_type: str, count: int, hours: Decimal,
                       label: str) -> Charge | None:
    """A VM that runs part of the month earns the sustained-use discount of the hours it ran."""
    book = catalog.service("compute_engine")
    on_demand = book.price(f"instance/{machine_type}", component.region).usd
    full_month = book.price(f"instance/{machine_type}/sud", component.region).usd
    if full_month >= on_demand:
        return None
    discount_full = 1 - full_month / on_demand
    fraction = sustained_use_fraction(discount_full, hours)
    line = charge(component, "compute_engine", f"instance/{machine_type}", count * hours,
                  f"{label}: {count} x {machine_type} x {hours} h (on-demand, sustained-use discount for "
                  f"{hours / HOURS_PER_MONTH:.1%} of the month)")
    line.discount = 1 - fraction
    line.discount_kind = "sustained-use"
    line.notes.append(f"sustained-use discount {line.discount:.2%} for {hours} h of 730 ({SUD_SOURCE}: four equal "
                      f"increments; step 2/3 x the full-month discount {discount_full:.2%} of the data set)")
    return line


def machine_charges(component: Component, machine_type: str, count: int, hours: Decimal, spot: bool,
                    commitment: str, disk_gb: int, disk_type: str, label: str,
                    key: str | tuple = "machine_type") -> list[Charge]:
    check_offered(machine_type, component.region, key)
    sku = machine_sku(machine_type, spot, commitment)
    if hours < HOURS_PER_MONTH and sku.endswith("/sud"):
        part_month = _part_month_charge(component, machine_type, count, hours, label)
        if part_month is not None:
            return [part_month, charge(component, "compute_engine", DISK_SKUS[disk_type], Decimal(count * disk_gb),
                                       f"{label}: boot disks {count} x {disk_gb} GiB {disk_type}")]
        sku = sku[: -len("/sud")]  # the family has no sustained-use discount: on-demand price
    has_sud = sku.endswith("/sud") and _has_sustained_use_discount(component.region, machine_type)
    pricing = "Spot" if spot else {"none": "on-demand" + (", sustained-use discount" if has_sud else ""), "1y": "1-year commitment",
                                   "3y": "3-year commitment"}[commitment]
    commitment_note = "" if commitment == "none" else f"{pricing} price (resource-based CUD)"
    return [
        charge(component, "compute_engine", sku, count * hours,
               f"{label}: {count} x {machine_type} x {hours} h ({pricing})", note=commitment_note),
        charge(component, "compute_engine", DISK_SKUS[disk_type], Decimal(count * disk_gb),
               f"{label}: boot disks {count} x {disk_gb} GiB {disk_type}"),
    ]
