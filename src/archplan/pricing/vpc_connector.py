"""Serverless VPC Access: its always-running minimum instances at their Compute Engine price."""
from __future__ import annotations

from decimal import Decimal

from archplan import catalog
from archplan.components.base import HOURS_PER_MONTH, Component
from archplan.pricing._machines import check_offered
from archplan.pricing.base import Charge, PricingContext, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    check_offered(component.spec.machine_type, component.region)
    spec = component.spec
    model = catalog.service("vpc_connector").fact("billing_model")
    return [charge(component, "compute_engine", f"instance/{spec.machine_type}/sud",
                   Decimal(spec.min_instances) * HOURS_PER_MONTH,
                   f"Connector instances: {spec.min_instances} x {spec.machine_type} x 730 h (minimum, always on)",
                   free_tier=False,  # Always Free covers a VM you run, not a connector's managed instances
                   note=f"connector billed as its VM instances ({model.source.split(' ')[0]})")]
