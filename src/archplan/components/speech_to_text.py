"""Cloud Speech-to-Text: minutes of audio recognized a month, by API version, model and processing."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from archplan.components.base import ComponentSpec, Usage, UsageContext

EXAMPLE = {"kind": "speech_to_text", "minutes_per_month": 6000}


def sku_of(api: str, model: str, processing: str, data_logging: bool) -> str:
    """The catalog SKU (speech_to_text.yaml) a configuration is billed under."""
    if api == "v1":
        return "v1/standard_data_logging" if data_logging and model == "standard" else f"v1/{model}"
    return "v2/standard_dynamic_batch" if processing == "dynamic_batch" else f"v2/{model}"


class Spec(ComponentSpec):
    category: ClassVar[str] = "ai"
    kind: Literal["speech_to_text"]
    api: Literal["v1", "v2"] = Field(default="v2", description="Speech-to-Text API version")
    model: Literal["standard", "medical"] = Field(default="standard", description="recognition model family")
    processing: Literal["default", "dynamic_batch"] = Field(
        default="default", description="V2 only: dynamic batch is processed within 24 hours at a lower price")
    data_logging: bool = Field(default=False, description="V1 standard only: data logging opted in (lower price)")
    minutes_per_month: Decimal = Field(ge=0, description="minutes of audio sent for recognition a month")

    @model_validator(mode="after")
    def _combination_is_priced(self):
        if self.processing == "dynamic_batch" and (self.api != "v2" or self.model != "standard"):
            raise ValueError("processing dynamic_batch is priced for the V2 API's standard models only")
        if self.data_logging and (self.api != "v1" or self.model != "standard"):
            raise ValueError("data_logging changes the price of the V1 standard model only")
        return self


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    return Usage({"minutes": spec.minutes_per_month})
