"""LLM tokens: input, output and cached input, each at the model's price per token on the plan's provider."""
from __future__ import annotations

from archplan import catalog
from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, PricingProblem, charge

KINDS = (("input", "input_tokens", "Input tokens"), ("output", "output_tokens", "Output tokens"),
         ("cached_input", "cached_input_tokens", "Cached input tokens"))


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    book = catalog.service(spec.provider)
    charges = []
    for index, (model, share) in enumerate(spec.model_mix()):
        key = "model" if spec.model is not None else ("models", index, "model")
        for kind, usage_key, label in KINDS:
            tokens = component.usage[usage_key] * share
            if not tokens:
                continue
            if not book.has_price(f"{model}/{kind}"):
                raise PricingProblem(key, f"{model} has no {kind.replace('_', ' ')} price on {spec.provider} "
                                          f"({_missing_reason(kind)})")
            share_text = f" ({share * 100:.0f}% of chats)" if share != 1 else ""
            charges.append(charge(component, spec.provider, f"{model}/{kind}", tokens,
                                  f"{model} {label.lower()}{share_text}", region="global"))
    return charges


def _missing_reason(kind: str) -> str:
    return "context caching not offered" if kind == "cached_input" else "an embedding model has input tokens only"
