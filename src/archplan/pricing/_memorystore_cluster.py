"""Valkey and Redis Cluster: every node (primaries and replicas) x 730 hours at its node type's rate."""
from __future__ import annotations

from decimal import Decimal

from archplan.components.base import HOURS_PER_MONTH, Component
from archplan.pricing.base import Charge, charge, commitment_discount


def node_hours(component: Component) -> list[Charge]:
    spec = component.spec
    return [charge(component, spec.service, f"node/{spec.node_type}", component.usage["node_hours"],
                   f"{_count(spec.nodes, 'node')} ({_count(spec.shards, 'shard')} x (1 primary + "
                   f"{_count(spec.replicas_per_shard, 'replica')})) of {spec.node_type} x 730 h", discount=commitment_discount(spec.service, spec.commitment))
            ] + _secondaries(component)


def _count(number: int, word: str) -> str:
    return f"{number} {word if number == 1 else word + 's'}"


def _secondaries(component: Component) -> list[Charge]:
    """Each secondary cluster in another region has the primary's shape (cross-region replication keeps the
    shard count), billed at its region's node price; the keyspace's writes reach it as inter-region transfer."""
    from archplan.pricing.cloud_sql import replication_transfer

    spec = component.spec
    charges = []
    for number, replica in enumerate(spec.cross_region_replicas, 1):
        node_type = replica.tier or spec.node_type
        charges.append(charge(component, spec.service, f"node/{node_type}", spec.nodes * HOURS_PER_MONTH,
                              f"secondary cluster {number} ({replica.region}): {_count(spec.nodes, 'node')} of {node_type} "
                              "x 730 h", region=replica.region,
                              discount=commitment_discount(spec.service, spec.commitment)))
        charges.append(replication_transfer(component, replica, Decimal(component.usage["keyspace_gb"]),
                                            "keyspace_gb"))
    return charges
