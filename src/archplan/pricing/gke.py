"""GKE: the cluster management fee (free credit for one zonal or Autopilot cluster), then either node
pools priced as Compute Engine VMs and disks, or Autopilot pod requests."""
from __future__ import annotations

from decimal import Decimal

from archplan.components.base import HOURS_PER_MONTH, Component
from archplan.components.gke import created_nodes, running_nodes_key
from archplan.pricing._machines import machine_charges
from archplan.pricing.base import Charge, PricingContext, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    credit_applies = spec.mode == "autopilot" or spec.location_type == "zonal"
    charges = [charge(component, "gke", "cluster_management", HOURS_PER_MONTH,
                      f"Cluster management fee ({spec.location_type} {spec.mode} cluster)",
                      free_tier=credit_applies,
                      note="" if credit_applies else "the GKE free credit does not apply to regional Standard clusters")]
    if spec.mode == "autopilot":
        usage = component.usage
        charges += [
            charge(component, "gke", "autopilot_vcpu", usage["pod_vcpu"] * HOURS_PER_MONTH,
                   f"Autopilot pod vCPU requests: {usage['pod_vcpu']} vCPU x 730 h"),
            charge(component, "gke", "autopilot_memory", usage["pod_memory_gib"] * HOURS_PER_MONTH,
                   f"Autopilot pod memory requests: {usage['pod_memory_gib']:.2f} GiB x 730 h"),
        ]
        return charges
    running = {pool.name: component.usage[running_nodes_key(pool)] for pool in spec.node_pools}
    for index, pool in enumerate(spec.node_pools):
        nodes, created = running[pool.name], created_nodes(spec, pool)
        if nodes != created:  # scale: the nodes the cluster autoscaler runs at a load, on average over the day
            nodes = nodes.normalize() if nodes != nodes.to_integral_value() else int(nodes)
            label = (f"node pool {pool.name} ({nodes} on average run by the cluster autoscaler at this load; "
                     f"{created} created; the sustained-use discount as for whole-month nodes)")
        else:
            label = f"node pool {pool.name}" + (
                f" ({pool.nodes} planned, {nodes} created: a regional pool has the same count in each of its 3 "
                "zones)" if nodes != pool.nodes else "")
        charges += machine_charges(component, pool.machine_type, nodes, HOURS_PER_MONTH, pool.spot,
                                   pool.commitment, pool.disk_gb, pool.disk_type, label,
                                   key=("node_pools", index, "machine_type"))
    public_nodes = sum(running.values())
    if not spec.private_nodes and public_nodes:
        # Public nodes each hold an external IP in use (a fault found by hand: they were not charged).
        charges.append(charge(component, "compute_engine", "external_ip_in_use",
                              Decimal(public_nodes) * HOURS_PER_MONTH,
                              f"External IPs of public nodes: {public_nodes} x 730 h (private_nodes is false)"))
    return charges
