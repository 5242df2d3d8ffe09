"""Cloud Run: request-based billing (CPU only while serving, idle min instances at the idle rate, a
per-request fee) or instance-based billing (CPU always allocated, no request fee)."""
from __future__ import annotations

from archplan import catalog
from archplan.components.base import SECONDS_PER_MONTH, Component
from archplan.pricing._serverless import instance_based, request_based
from archplan.pricing.base import Charge, PricingContext, PricingProblem, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    if spec.cpu_allocation == "request":
        return request_based(component, "cloud_run", spec.cpu, spec.memory, spec.min_instances)
    busy = component.usage["busy_instance_seconds"]
    alive = max(spec.min_instances * SECONDS_PER_MONTH, busy,
                (spec.avg_instances or 0) * SECONDS_PER_MONTH)
    charges = instance_based(component, "cloud_run", spec.cpu, spec.memory, alive)
    if spec.gpu:
        # Billed for the whole instance lifetime, like CPU and memory under instance-based billing.
        sku = "gpu_l4_instance_based" if spec.gpu_zonal_redundancy else "gpu_l4_no_zonal_redundancy_instance_based"
        _check_gpu_region(component.region, sku)
        redundancy = "zonal redundancy on" if spec.gpu_zonal_redundancy else "zonal redundancy off"
        charges.append(charge(component, "cloud_run", sku, alive * spec.gpu,
                              f"GPU: {spec.gpu} x NVIDIA L4 ({redundancy}) x {alive:,.0f} instance-seconds",
                              free_tier=False))
    return charges


def _check_gpu_region(region: str, sku: str) -> None:
    book = catalog.service("cloud_run")
    offered = book.fact("gpu_l4_regions").value
    if region not in offered:
        raise PricingProblem("gpu", f"Cloud Run offers NVIDIA L4 GPUs in {', '.join(offered)}, not in {region}")
    priced = book.sold_in(sku)
    if region not in priced:
        raise PricingProblem("gpu", f"no citable Cloud Run L4 GPU price in {region}; priced in: {', '.join(priced)}")
