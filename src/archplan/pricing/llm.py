"""LLM tokens: input, output and cached input, each at the model's price per token."""
from __future__ import annotations

from archplan import catalog
from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, PricingProblem, charge

KINDS = (("input", "input_tokens", "Input tokens"), ("output", "output_tokens", "Output tokens"),
         ("cached_input", "cached_input_tokens", "Cached input tokens"))


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    book = catalog.service("vertex_ai")
    charges = []
    for index, (model, share) in enumerate(spec.model_mix()):
        key = "model" if spec.model is not None else ("models", index, "model")
        for kind, usage_key, label in KINDS:
            tokens = component.usage[usage_key] * share
            if not tokens:
                continue
            if not book.has_price(f"{model}/{kind}"):
                raise PricingProblem(key, f"{model} has no {kind.replace('_', ' ')} price (caching not offered)")
            share_text = f" ({share * 100:.0f}% of chats)" if share != 1 else ""
            charges.append(charge(component, "vertex_ai", f"{model}/{kind}", tokens,
                                  f"{model} {label.lower()}{share_text}", region="global"))
    return charges
