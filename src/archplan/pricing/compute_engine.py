"""Compute Engine VMs: machine hours (sustained-use, committed or Spot price), boot disks, IPs."""
from __future__ import annotations

from decimal import Decimal

from archplan.components.base import Component
from archplan.pricing._machines import machine_charges
from archplan.pricing.base import Charge, PricingContext, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    charges = machine_charges(component, spec.machine_type, spec.count, spec.hours_per_month, spec.spot,
                              spec.commitment, spec.disk_gb, spec.disk_type, "VMs")
    if spec.external_ip:
        charges.append(charge(component, "compute_engine", "external_ip_in_use",
                              Decimal(spec.count) * spec.hours_per_month, "External IP addresses"))
    return charges
