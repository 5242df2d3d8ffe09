"""Small pieces several kinds share."""
from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

Commitment = Literal["none", "1y", "3y"]

COMMITMENT_FIELD = Field(default="none", description="committed-use discount: none, 1y or 3y")


def per_month(value: Decimal | None) -> Decimal:
    return Decimal(0) if value is None else Decimal(value)
