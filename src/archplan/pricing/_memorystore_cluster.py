"""Valkey and Redis Cluster: every node (primaries and replicas) x 730 hours at its node type's rate."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.pricing.base import Charge, charge


def node_hours(component: Component) -> list[Charge]:
    spec = component.spec
    return [charge(component, spec.service, f"node/{spec.node_type}", component.usage["node_hours"],
                   f"{spec.nodes} nodes ({spec.shards} shards x (1 primary + {spec.replicas_per_shard} replicas)) "
                   f"of {spec.node_type} x 730 h")]
