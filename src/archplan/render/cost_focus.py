"""The cost estimate in the FinOps FOCUS 1.0 columns (one CSV row per line item), so it loads into the same
tools as a real bill. Every column of FOCUS 1.0 is present, in the specification's order; the values are
the estimate's: list prices from archplan's catalog for one month of the plan."""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from archplan.analysis.cost import CostReport
from archplan.render.numbers import round_money
from archplan.render.csv_cells import text_cell

MICRO = "0.000001"
PICO = Decimal("0.000000000001")

COLUMNS = [
    "AvailabilityZone", "BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency",
    "BillingPeriodEnd", "BillingPeriodStart", "ChargeCategory", "ChargeClass", "ChargeDescription",
    "ChargeFrequency", "ChargePeriodEnd", "ChargePeriodStart", "CommitmentDiscountCategory",
    "CommitmentDiscountId", "CommitmentDiscountName", "CommitmentDiscountStatus", "CommitmentDiscountType",
    "ConsumedQuantity", "ConsumedUnit", "ContractedCost", "ContractedUnitPrice", "EffectiveCost",
    "InvoiceIssuerName", "ListCost", "ListUnitPrice", "PricingCategory", "PricingQuantity", "PricingUnit",
    "ProviderName", "PublisherName", "RegionId", "RegionName", "ResourceId", "ResourceName", "ResourceType",
    "ServiceCategory", "ServiceName", "SkuId", "SkuPriceId", "SubAccountId", "SubAccountName", "Tags",
]

# FOCUS ServiceCategory per archplan kind; a kind not listed falls back to its cost category.
SERVICE_CATEGORY = {
    "cloud_storage": "Storage", "artifact_registry": "Storage", "cloud_sql": "Databases",
    "memorystore_redis": "Databases", "firestore": "Databases", "bigquery": "Analytics",
    "pubsub": "Integration", "cloud_scheduler": "Integration", "cloud_armor": "Security",
    "secret_manager": "Security", "llm": "AI and Machine Learning",
}
CATEGORY = {"compute": "Compute", "data": "Databases", "network": "Networking",
            "operations": "Management and Governance", "ai": "AI and Machine Learning", "external": "Other"}
GOOGLE = "Google Cloud"


def _number(value) -> str:
    """A decimal rounded once, to a millionth (of a dollar, or of a unit), without trailing zeros."""
    text = f"{round_money(value, MICRO).normalize():f}"
    return "0" if text == "-0" else text


def _precise(value) -> str:
    """A unit price or quantity to twelve decimals, without trailing zeros: Cloud Run's $0.0000004 a request
    and Armor's $0.00000075 are not a millionth's multiples, nor is 0.00886 TiB of Pub/Sub throughput at $40,
    and PricingQuantity x ListUnitPrice must give ListCost."""
    text = f"{value.quantize(PICO, rounding=ROUND_HALF_UP).normalize():f}"
    return "0" if text == "-0" else text


def billing_period(report: CostReport, period: str | None) -> tuple[str, str]:
    """(start, end) of the month priced: `period` (YYYY-MM), else the month of the newest price date the
    report uses, so the file is the same on every run."""
    if period is None:
        months = sorted(match.group(0) for item in report.line_items
                        if (match := re.search(r"[0-9]{4}-[0-9]{2}", item.date or "")))
        period = months[-1] if months else "1970-01"
    year, month = (int(part) for part in period.split("-"))
    start = date(year, month, 1)
    end = date(year + month // 12, month % 12 + 1, 1)
    return f"{start.isoformat()}T00:00:00Z", f"{end.isoformat()}T00:00:00Z"


NUMBER_COLUMNS = {"BilledCost", "ConsumedQuantity", "ContractedCost", "ContractedUnitPrice", "EffectiveCost",
                  "ListCost", "ListUnitPrice", "PricingQuantity"}


def render(report: CostReport, period: str | None = None) -> str:
    start, end = billing_period(report, period)
    account = f"archplan-estimate:{report.project}"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for item in report.line_items:
        # A sustained-use discount (a part-month VM) lowers the price without any commitment.
        committed = item.discount > 0 and item.discount_kind == "committed-use"
        list_unit = item.unit_price_usd / (1 - item.discount) if item.discount else item.unit_price_usd
        list_cost = item.monthly_usd / (1 - item.discount) if item.discount else item.monthly_usd
        external = item.kind == "external"
        issuer = item.service if external else GOOGLE
        row = {
            "AvailabilityZone": "", "BilledCost": _number(item.monthly_usd), "BillingAccountId": account,
            "BillingAccountName": "", "BillingCurrency": "USD", "BillingPeriodEnd": end,
            "BillingPeriodStart": start, "ChargeCategory": "Usage", "ChargeClass": "",
            "ChargeDescription": item.description, "ChargeFrequency": "Usage-Based", "ChargePeriodEnd": end,
            "ChargePeriodStart": start,
            "CommitmentDiscountCategory": "Usage" if committed else "",
            "CommitmentDiscountId": f"{item.component}:{item.sku}:committed-use" if committed else "",
            "CommitmentDiscountName": f"committed use {item.discount * 100:.0f}% off" if committed else "",
            "CommitmentDiscountStatus": "Used" if committed else "",
            "CommitmentDiscountType": "Committed use discount" if committed else "",
            "ConsumedQuantity": _precise(item.quantity), "ConsumedUnit": item.unit,
            "ContractedCost": _number(item.monthly_usd), "ContractedUnitPrice": _precise(item.unit_price_usd),
            "EffectiveCost": _number(item.monthly_usd), "InvoiceIssuerName": issuer,
            "ListCost": _number(list_cost), "ListUnitPrice": _precise(list_unit),
            "PricingCategory": "Committed" if committed else "Standard",
            "PricingQuantity": _precise(item.billable_quantity), "PricingUnit": item.unit,
            "ProviderName": issuer, "PublisherName": issuer, "RegionId": "" if external else report.region,
            "RegionName": "" if external else report.region,
            "ResourceId": f"{report.project}/{item.component}", "ResourceName": item.component,
            "ResourceType": item.kind,
            "ServiceCategory": SERVICE_CATEGORY.get(item.kind, CATEGORY.get(item.category, "Other")),
            "ServiceName": item.service, "SkuId": item.sku, "SkuPriceId": f"{item.sku}@{report.region}",
            "SubAccountId": report.project, "SubAccountName": report.project,
            "Tags": json.dumps({"archplan-component": item.component, "archplan-category": item.category,
                                "archplan-environment": report.environment or "default"}, sort_keys=True),
        }
        writer.writerow([row[column] if column in NUMBER_COLUMNS else text_cell(row[column]) for column in COLUMNS])
    return out.getvalue()
