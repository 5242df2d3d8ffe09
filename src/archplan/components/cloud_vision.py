"""Cloud Vision API: feature units a month (each feature applied to an image, or to a page of a PDF/TIFF,
is one unit)."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field

from archplan.components.base import ComponentSpec, Strict, Usage, UsageContext

FEATURES = ("label_detection", "text_detection", "document_text_detection", "safe_search_detection",
            "face_detection", "landmark_detection", "logo_detection", "image_properties", "crop_hints",
            "web_detection", "object_localization")
# Free when bought together with another feature on the same image (the pricing page's footnotes).
BUNDLED_WITH = {"safe_search_detection": "label_detection", "crop_hints": "image_properties"}


class Feature(Strict):
    feature: Literal[FEATURES] = Field(description="Vision API feature, e.g. label_detection or text_detection")
    units_per_month: Decimal = Field(ge=0, description="images (or PDF/TIFF pages) this feature is applied to")


class Spec(ComponentSpec):
    category: ClassVar[str] = "ai"
    kind: Literal["cloud_vision"]
    features: list[Feature] = Field(min_length=1, description="features the application calls, with volumes")


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    quantities: dict[str, Decimal] = {}
    for item in spec.features:
        quantities[item.feature] = quantities.get(item.feature, Decimal(0)) + item.units_per_month
    return Usage(quantities)
