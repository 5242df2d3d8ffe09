"""Vertex AI Vector Search: index building per GiB processed, serving per node-hour of the machine type."""
from __future__ import annotations

from archplan import catalog
from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, charge, no_citable_price


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    book = catalog.service("vector_search")
    sku = f"serving/{spec.serving_machine}"
    if not book.has_price(sku):
        raise no_citable_price("machine_type", f"Vector Search serving on {spec.serving_machine}", "vector_search",
                               ("serving",))
    usage = component.usage
    charges = [charge(component, "vector_search", sku, usage["node_hours"],
                      f"Index serving: {spec.nodes} node(s) of {spec.serving_machine} x 730 h")]
    if usage["build_gib"] > 0:
        charges.append(charge(component, "vector_search", "index_building", usage["build_gib"],
                              f"Index building: {usage['build_gib']:,} GiB processed a month"))
    return charges


def generated_unpriced(component: Component) -> list[str]:
    return [f"the Private Service Connect endpoint the clients of {component.name} query it at (a forwarding rule and "
            "an internal address in the VPC): Private Service Connect's endpoint and data-processing charges are not "
            "in archplan's catalog"]
