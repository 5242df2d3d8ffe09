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


def machine_charges(component: Component, machine_type: str, count: int, hours: Decimal, spot: bool,
                    commitment: str, disk_gb: int, disk_type: str, label: str,
                    key: str | tuple = "machine_type") -> list[Charge]:
    check_offered(machine_type, component.region, key)
    sku = machine_sku(machine_type, spot, commitment)
    if hours < HOURS_PER_MONTH and sku.endswith("/sud"):
        sku = sku[: -len("/sud")]  # a part-month VM earns little sustained-use discount: on-demand price
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
