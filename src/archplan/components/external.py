"""A paid service outside GCP (email, SMS, WhatsApp, payment gateway...) at its own stated prices."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from archplan.components.base import ComponentSpec, Strict, Usage, UsageContext


class Item(Strict):
    description: str = Field(description="the line item as `archplan cost` lists it, e.g. 'SMS to India'")
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="USD, INR or any currency with a dated rate")
    unit: str | None = Field(default=None, description="what one unit is, e.g. SMS, email, month")
    unit_price: Decimal | None = Field(default=None, ge=0, description="price of one unit, in currency (with unit "
                                                                       "and quantity_per_month)")
    quantity_per_month: Decimal | None = Field(default=None, ge=0, description="units used a month")
    free_quantity_per_month: Decimal = Field(default=Decimal(0), ge=0, description="units a month the provider "
                                                                                   "does not charge for (default 0)")
    percent_of_volume: Decimal | None = Field(default=None, ge=0, le=100, description="payment gateways")
    volume_per_month: Decimal | None = Field(default=None, ge=0, description="money processed, in currency")
    source: str | None = Field(default=None, description="where the price comes from")

    @model_validator(mode="after")
    def _one_model(self) -> "Item":
        per_unit = self.unit_price is not None or self.quantity_per_month is not None
        percent = self.percent_of_volume is not None or self.volume_per_month is not None
        if per_unit == percent:
            raise ValueError("give unit_price with quantity_per_month, or percent_of_volume with volume_per_month")
        if per_unit and (self.unit_price is None or self.quantity_per_month is None or self.unit is None):
            raise ValueError("a per-unit item needs unit, unit_price and quantity_per_month")
        if percent and (self.percent_of_volume is None or self.volume_per_month is None):
            raise ValueError("a percentage item needs percent_of_volume and volume_per_month")
        return self


class Spec(ComponentSpec):
    category: ClassVar[str] = "external"
    kind: Literal["external"]
    provider: str = Field(description="e.g. Twilio, SendGrid, Razorpay")
    service: Literal["email", "sms", "whatsapp", "payments", "search", "ai", "other"] = Field(
        description="what it provides (ai is costed in the ai category, the rest as external)")
    items: list[Item] = Field(min_length=1, description="what the provider charges for, at the prices the plan "
                                                        "states: per unit, or a percent of volume")

    def billing_category(self) -> str:
        return "ai" if self.service == "ai" else "external"


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    return Usage()
