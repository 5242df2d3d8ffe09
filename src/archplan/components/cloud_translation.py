"""Cloud Translation - Basic (v2): characters sent for translation or language detection a month, once
per target language."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field

from archplan.components.base import ComponentSpec, Usage, UsageContext

EXAMPLE = {"kind": "cloud_translation", "characters_per_month": 2_000_000, "target_languages": 2}


class Spec(ComponentSpec):
    category: ClassVar[str] = "ai"
    kind: Literal["cloud_translation"]
    edition: Literal["basic"] = Field(default="basic", description="Cloud Translation - Basic (v2), NMT model "
                                                                   "(Advanced is not priced)")
    characters_per_month: Decimal = Field(ge=0, description="source characters sent a month")
    target_languages: int = Field(default=1, ge=1, description="languages each text is translated into")


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    return Usage({"characters": spec.characters_per_month * spec.target_languages})
