"""BigQuery: on-demand query bytes scanned, active and long-term logical storage, streamed ingestion."""
from __future__ import annotations

from decimal import Decimal

from archplan import catalog
from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, charge

BYTES_PER_GIB = Decimal(2) ** 30
BYTES_PER_MIB = Decimal(2) ** 20


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    where = spec.location or component.region
    charges = [
        charge(component, "bigquery", "query_on_demand", spec.query_tib_per_month, "On-demand queries (scanned)",
               region=where),
        charge(component, "bigquery", "storage_active_logical", spec.active_storage_gb, "Active logical storage",
               region=where),
    ]
    if spec.long_term_storage_gb:
        charges.append(charge(component, "bigquery", "storage_long_term_logical", spec.long_term_storage_gb,
                              "Long-term logical storage", free_tier="storage_active_logical", region=where))
    if spec.streaming is not None:
        charges.append(streaming_charge(component, where))
    return charges


def streaming_charge(component: Component, where: str) -> Charge:
    """The month's streamed rows: the Storage Write API per GiB; insertAll per MiB, each row at least 1 KB."""
    streaming = component.spec.streaming
    if streaming.api == "storage_write":
        if streaming.gib_per_month is not None:
            gib, how = streaming.gib_per_month, ""
        else:
            gib = streaming.rows_per_month * streaming.avg_row_bytes / BYTES_PER_GIB
            how = (f"Storage Write API: {streaming.rows_per_month:,f} rows x {streaming.avg_row_bytes:,f} bytes "
                   f"= {gib:,.3f} GiB a month")
        return charge(component, "bigquery", "storage_write_api", gib, "Storage Write API ingestion",
                      region=where, note=how)
    minimum = catalog.service("bigquery").fact("streaming_insert_min_row_bytes").decimal
    if streaming.gib_per_month is not None:
        mib = streaming.gib_per_month * 1024
        how = (f"insertAll: {streaming.gib_per_month:,f} GiB as stated; each row is billed as at least "
               f"{minimum:,f} bytes, which only rows_per_month with avg_row_bytes can apply")
    else:
        billed = max(streaming.avg_row_bytes, minimum)
        mib = streaming.rows_per_month * billed / BYTES_PER_MIB
        floor = f" (the {minimum:,f}-byte minimum per row, not {streaming.avg_row_bytes:,f})" \
            if billed > streaming.avg_row_bytes else ""
        how = (f"insertAll: {streaming.rows_per_month:,f} rows x {billed:,f} bytes{floor} = {mib:,.3f} MiB a month")
    return charge(component, "bigquery", "streaming_insert", mib, "Streaming inserts (tabledata.insertAll)",
                  region=where, note=how)
