"""Memorystore for Valkey: node-hours by node type."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.pricing._memorystore_cluster import node_hours
from archplan.pricing.base import Charge, PricingContext


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    return node_hours(component)
