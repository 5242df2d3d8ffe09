"""LLM usage on Vertex AI or the Gemini Developer API: input, output and cached input tokens by model.

Each provider has its own price book (catalog service `vertex_ai` or `gemini_api`), so a model is
checked against the models the chosen provider prices."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from archplan.components.base import DAYS_PER_MONTH, ComponentSpec, Strict, Usage, UsageContext


class Tokens(Strict):
    input: Decimal = Field(default=Decimal(0), ge=0, description="uncached input tokens")
    output: Decimal = Field(default=Decimal(0), ge=0, description="output tokens, thinking included")
    cached_input: Decimal = Field(default=Decimal(0), ge=0, description="input tokens read from a context cache")


class ModelShare(Strict):
    model: str = Field(description="model name in the provider's price list, e.g. gemini-2.5-flash")
    share: Decimal = Field(gt=0, le=1, description="share of chats served by this model")


class Spec(ComponentSpec):
    category: ClassVar[str] = "ai"
    kind: Literal["llm"]
    provider: Literal["vertex_ai", "gemini_api"] = Field(
        default="gemini_api", description="vertex_ai (its API and roles/aiplatform.user are generated) or "
                                          "gemini_api (an API key; nothing generated); its price list prices the "
                                          "models (default gemini_api)")
    model: str | None = Field(default=None, description="e.g. gemini-2.5-flash")
    models: list[ModelShare] | None = Field(default=None, description="a mix of models by share of chats")
    tokens_per_month: Tokens | None = Field(default=None, description="tokens a month, all chats (instead of "
                                                                      "per_chat with chats_per_day)")
    per_chat: Tokens | None = Field(default=None, description="tokens in one chat (all its calls)")
    chats_per_day: Decimal | None = Field(default=None, ge=0, description="chats a day, with per_chat")
    requests_per_chat: Decimal | None = Field(default=None, ge=0, description="model calls per chat (for quotas)")
    quota_requests_per_minute: Decimal | None = Field(default=None, gt=0, description="the project's model "
                                                                                      "requests-per-minute quota, "
                                                                                      "for scale and simulate (not set "
                                                                                      "by the generated files)")
    quota_tokens_per_minute: Decimal | None = Field(default=None, gt=0, description="the project's model "
                                                                                    "tokens-per-minute quota, for "
                                                                                    "scale and simulate (not set by "
                                                                                    "the generated files)")
    latency_ms: Decimal | None = Field(default=None, gt=0, description="simulate: mean time of one model call")
    latency_p95_ms: Decimal | None = Field(default=None, gt=0, description="simulate: 95th percentile of a "
                                                                           "model call (lognormal)")

    @model_validator(mode="after")
    def _one_volume(self) -> "Spec":
        if (self.model is None) == (self.models is None):
            raise ValueError("give model, or models with shares")
        if self.models is not None and sum(m.share for m in self.models) != 1:
            raise ValueError("models shares must add up to 1")
        if (self.tokens_per_month is None) == (self.per_chat is None):
            raise ValueError("give tokens_per_month, or per_chat with chats_per_day")
        if self.per_chat is not None and self.chats_per_day is None:
            raise ValueError("per_chat needs chats_per_day")
        if self.tokens_per_month is not None and self.chats_per_day is not None:
            raise ValueError("chats_per_day goes with per_chat, not tokens_per_month")
        if self.latency_p95_ms is not None and (self.latency_ms is None or self.latency_p95_ms <= self.latency_ms):
            raise ValueError("latency_p95_ms needs latency_ms below it")
        return self

    def model_mix(self) -> list[tuple[str, Decimal]]:
        if self.model is not None:
            return [(self.model, Decimal(1))]
        return [(m.model, m.share) for m in self.models]


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    from archplan import catalog
    from archplan.spec.load import suggest

    known = sorted({sku.split("/")[0] for sku in catalog.service(spec.provider).prices})
    for index, (model, _share) in enumerate(spec.model_mix()):
        if model not in known:
            key = "model" if spec.model is not None else ("models", index, "model")
            raise ctx.error(key, f"unknown model {model!r} for provider {spec.provider}; " + suggest(model, known))
    result = Usage()
    if spec.tokens_per_month is not None:
        tokens = spec.tokens_per_month
        scale = Decimal(1)
    else:
        tokens = spec.per_chat
        scale = spec.chats_per_day * DAYS_PER_MONTH
        result.quantities["chats"] = scale
    result.quantities.update(input_tokens=tokens.input * scale, output_tokens=tokens.output * scale,
                             cached_input_tokens=tokens.cached_input * scale)
    return result
