"""`archplan regions`: every region archplan prices, its location, and which services it prices there
(own figure, derived or borrowed, or not sold); then the dual- and multi-region locations."""
from __future__ import annotations

import json

from archplan import catalog
from archplan.errors import CatalogError

# The SKU that stands for each service in the listing: the one every plan of that service pays.
PROBES = {
    "cloud_run": "cpu_request_based", "cloud_functions": "cpu_request_based", "cloud_sql": "enterprise_vcpu",
    "memorystore_redis": "basic_m1", "gke": "autopilot_vcpu", "load_balancing": "data_processed",
    "cloud_storage": "storage_standard_region", "firestore": "document_read", "bigquery": "query_on_demand",
    "compute_engine": ("instance/e2-standard-2", "instance/n2-standard-2", "instance/n4-standard-2"),
    "network": "egress_internet",
}


def _status(service: str, sku: str | tuple[str, ...], region: str) -> str:
    """The first SKU's status; where it is not sold but another listed SKU is (a region without e2 machine
    types), "partial"."""
    book = catalog.service(service)
    first, *others = (sku,) if isinstance(sku, str) else sku
    if not book.has_price(first, region):
        return "-"
    try:
        price = book.price(first, region)
    except CatalogError:
        for other in others:
            try:
                book.price(other, region)
            except CatalogError:
                continue
            return "partial"
        return "not sold"
    if "price is used (borrowed;" in price.derived_from or "borrowed from another SKU" in price.derived_from:
        return "borrowed"
    if "derived" in price.derived_from:
        return "derived"
    return "yes"


def rows() -> list[dict]:
    out = []
    probes = {service: sku for service, sku in PROBES.items() if service in catalog.services()}
    for region, info in catalog.regions().items():
        services = {service: _status(service, sku, region) for service, sku in probes.items()}
        out.append({"region": region, **info, "services": services})
    return out


def render(output_format: str) -> str:
    data = rows()
    locations = catalog.locations()
    if output_format == "json":
        return json.dumps({"regions": data, "locations": locations}, indent=2, ensure_ascii=False) + "\n"
    services = list(data[0]["services"]) if data else []
    header = f"{'REGION':<25} {'LOCATION':<18} {'COUNTRY':<15} {'CONTINENT':<14} " + \
        " ".join(f"{service[:10]:<10}" for service in services)
    lines = [header]
    for row in data:
        lines.append(f"{row['region']:<25} {row['location']:<18} {row['country']:<15} {row['continent']:<14} "
                     + " ".join(f"{row['services'][service]:<10}" for service in services))
    lines += ["", "yes: the region's own (or its price group's) figure; derived: by a stated rule; borrowed: "
                  "another region's figure; partial: some of its SKUs are not sold there (Compute Engine: no "
                  "e2 machine types); not sold: the service is not priced there", "",
              f"{'LOCATION':<15} {'KIND':<13} {'SERVICES':<30} COUNTRIES"]
    for name, info in locations.items():
        lines.append(f"{name:<15} {info['kind']:<13} {', '.join(info['services']):<30} "
                     f"{', '.join(info['countries'])}")
    return "\n".join(lines) + f"\n\n{len(data)} regions, {len(locations)} dual- and multi-region locations\n"
