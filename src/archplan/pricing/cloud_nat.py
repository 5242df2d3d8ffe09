"""Cloud NAT: per VM-hour for each gateway (billed for at most 32 VMs) and per GB processed."""
from __future__ import annotations

from decimal import Decimal

from archplan import catalog
from archplan.components.base import HOURS_PER_MONTH, Component
from archplan.pricing.base import Charge, PricingContext, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    cap = catalog.service("cloud_nat").fact("max_billed_vms").decimal
    billed_vms = min(Decimal(spec.vms), cap)
    charges = []
    if billed_vms:
        charges.append(charge(component, "cloud_nat", "gateway_vm_hour",
                              spec.gateways * billed_vms * HOURS_PER_MONTH,
                              f"Gateway: {spec.gateways} x {billed_vms} VMs (billed up to {cap}) x 730 h"))
    charges.append(charge(component, "cloud_nat", "data_processed", spec.data_processed_gb_per_month,
                          "Data processed"))
    # Each NAT IP is an external IP address in use (a fault found by hand: they were not charged).
    ips = spec.ip_addresses if spec.ip_addresses is not None else spec.gateways
    charges.append(charge(component, "compute_engine", "external_ip_in_use", Decimal(ips) * HOURS_PER_MONTH,
                          f"NAT gateway IP addresses: {ips} x 730 h"))
    return charges
