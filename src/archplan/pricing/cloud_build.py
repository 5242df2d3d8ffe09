"""Cloud Build: build minutes at the machine type's rate; the free minutes apply to e2-standard-2 in the
default pool only.

`generate` writes one pipeline per Cloud Function, and per Cloud Run service and GKE deployment whose image
the plan does not pin, and runs the
pipelines of GKE clusters with private nodes in a private pool (billed per vCPU and GB for each build
minute). The plan states build minutes for the whole project, not per pipeline, so they are split evenly
between the pipelines (a derived share, said in the line): the private pool's share at its rate, the rest at
the default pool's."""
from __future__ import annotations

from decimal import Decimal

from archplan import catalog
from archplan.components._workload import built_by_pipeline
from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, charge

PIPELINE_KINDS = ("cloud_run", "cloud_functions")  # one pipeline per component; GKE: one per deployment


def pipelines(components) -> tuple[int, int]:
    """(pipelines in the private pool, all pipelines) that generate writes for these components."""
    private = total = 0
    for component in components:
        if component.kind in PIPELINE_KINDS:
            total += built_by_pipeline(component.kind, component.spec)
        elif component.kind == "gke":
            count = sum(built_by_pipeline("gke", deployment) for deployment in component.spec.deployments)
            total += count
            if component.spec.private_nodes:
                private += count
    return private, total


READS_OTHER_COMPONENTS = True  # its price depends on the plan's other pipelines (ctx.components)


def reads(components) -> list[str]:
    """The components a build's price depends on, to be priced with it (optimize prices groups of
    components): every pipeline's component when a private GKE cluster's pipelines run in the private pool,
    else none (all minutes are default-pool minutes)."""
    if not any(c.kind == "gke" and c.spec.private_nodes for c in components):
        return []
    return [c.name for c in components if c.kind in PIPELINE_KINDS or c.kind == "gke"]


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    minutes = component.usage["build_minutes"]
    how = (f"Build minutes: {spec.builds_per_month:,.0f} builds x {spec.minutes_per_build} min"
           if spec.build_minutes_per_month is None else "Build minutes (stated)")
    private, total = pipelines(ctx.components)
    if not private:
        return [charge(component, "cloud_build", f"build_minute/{spec.machine_type}", minutes,
                       f"{how} on {spec.machine_type}", region="global")]
    share = f"{private} of {total} pipelines"
    pool_minutes = minutes * Decimal(private) / Decimal(total)
    charges = []
    if private < total:
        charges.append(charge(component, "cloud_build", f"build_minute/{spec.machine_type}", minutes - pool_minutes,
                              f"{how}, less the private pool's share ({share}), on {spec.machine_type} in the "
                              "default pool", region="global"))
    pool_sku = f"private_build_minute/{spec.machine_type}"
    if pool_sku not in catalog.service("cloud_build").prices:
        charges.append(charge(component, "cloud_build", f"build_minute/{spec.machine_type}", Decimal(0),
                              f"Private pool share ({share}, {pool_minutes:,.0f} min) on {spec.machine_type}: not "
                              "priced", region="global", free_tier=False,
                              note=f"https://cloud.google.com/build/pricing publishes no private-pool price for "
                                   f"{spec.machine_type}"))
        return charges
    charges.append(charge(component, "cloud_build", pool_sku, pool_minutes,
                          f"{how} x {private}/{total} ({share}: private GKE clusters' deployments, derived even "
                          f"split) on {spec.machine_type} in the private pool", region="global", free_tier=False))
    return charges
