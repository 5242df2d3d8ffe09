"""Document AI: pages a month sent to a processor (each page of a PDF or TIFF, each image, is one page)."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field

from archplan.components.base import ComponentSpec, Usage, UsageContext

EXAMPLE = {"kind": "document_ai", "pages_per_month": 20000}


class Spec(ComponentSpec):
    category: ClassVar[str] = "ai"
    kind: Literal["document_ai"]
    processor: Literal["enterprise_ocr"] = Field(
        default="enterprise_ocr", description="processor type (only Enterprise Document OCR has a citable price)")
    pages_per_month: Decimal = Field(ge=0, description="pages processed a month")


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    return Usage({"pages": spec.pages_per_month})
