"""Cloud Storage: GB-months by class and location, class A/B operations, retrieval, internet egress."""
from __future__ import annotations

from decimal import Decimal

from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, PricingProblem, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    location_type = spec.location_type.replace("-", "_")
    location = spec.location or component.region
    description = f"{spec.storage_class.title()} storage, {spec.location_type} {spec.placement or location}" \
        + (" (configurable)" if spec.data_locations else "") \
        + (" (incl. noncurrent versions)" if spec.noncurrent_gb else "")
    free_tier = "storage_standard" if spec.storage_class == "standard" else False
    if spec.data_locations:
        charges = [_configurable_dual_region(component, description, free_tier)]
    elif any(key.startswith("storage_gb/") for key in component.usage.quantities):
        charges = _by_lifecycle_class(component, location_type, location)
    else:
        charges = [charge(component, "cloud_storage", f"storage_{spec.storage_class}_{location_type}",
                          component.usage["storage_gb"], description, region=location, free_tier=free_tier)]
    ops_suffix = f"standard_{location_type}" if spec.storage_class == "standard" else spec.storage_class
    if spec.class_a_ops_per_month:
        charges.append(charge(component, "cloud_storage", f"class_a_{ops_suffix}", spec.class_a_ops_per_month,
                              "Class A operations (writes, lists)", region=location, free_tier="class_a"))
    if spec.class_b_ops_per_month:
        charges.append(charge(component, "cloud_storage", f"class_b_{ops_suffix}", spec.class_b_ops_per_month,
                              "Class B operations (reads)", region=location, free_tier="class_b"))
    if spec.retrieval_gb_per_month:
        charges.append(charge(component, "cloud_storage", f"retrieval_{spec.storage_class}",
                              spec.retrieval_gb_per_month, "Data retrieval"))
    if spec.location_type != "region" and (spec.written_gb_per_month is not None or spec.turbo_replication):
        charges.append(_replication(component, location))
        if spec.turbo_premium_usd_per_gib is not None:
            charges.append(_turbo_premium(component, charges[-1], charges[0].service))
    if spec.egress_gb_per_month:
        region, how = egress_region(component)
        charges.append(charge(component, "network", "egress_internet", spec.egress_gb_per_month,
                              "Internet egress from the bucket", region=region, free_tier=("cloud_storage", "egress"),
                              note=how))
    return charges


def egress_region(component: Component) -> tuple[str, str]:
    """(the region whose internet egress rate and free tier a bucket's egress takes, how it was chosen: empty
    when it is the bucket's own region). A dual- or multi-region bucket has no egress price of its own in the
    data: a dual-region takes its first region's, a multi-region the plan region's when that is on the same
    continent, else the first region archplan prices on it; either is said as borrowed."""
    from archplan import catalog

    spec = component.spec
    location = spec.location or component.region
    if spec.location_type == "region":
        return location, ""
    facts = catalog.locations().get(location, {})
    members = list(spec.data_locations or facts.get("regions") or [])
    regions = catalog.regions()
    if members:
        chosen, why = members[0], f"its first region, {members[0]}"
    else:
        continent = facts.get("continent")
        if regions.get(component.region, {}).get("continent") == continent:
            chosen, why = component.region, f"the plan region {component.region}, on the same continent ({continent})"
        else:
            chosen = next((r for r in sorted(regions) if regions[r].get("continent") == continent), component.region)
            why = f"{chosen}, the first region archplan prices in {continent or 'its continent'}"
    return chosen, (f"internet egress from the {spec.location_type} {spec.placement or location}: no price of its own "
                    f"in the data; borrowed from {why}")


def _by_lifecycle_class(component: Component, location_type: str, location: str) -> list[Charge]:
    """Storage in each class the lifecycle rules move objects through (the split usage derives), noncurrent
    versions at the bucket's own class."""
    spec = component.spec
    stored = dict(component.usage.quantities)
    key = f"storage_gb/{spec.storage_class}"
    stored[key] = stored.get(key, Decimal(0)) + spec.noncurrent_gb
    charges = []
    for name, gb in stored.items():
        if not name.startswith("storage_gb/") or not gb:
            continue
        storage_class = name.split("/", 1)[1]
        description = f"{storage_class.title()} storage (lifecycle), {spec.location_type} {spec.placement or location}"
        charges.append(charge(component, "cloud_storage", f"storage_{storage_class}_{location_type}", gb, description,
                              region=location, free_tier="storage_standard" if storage_class == "standard" else False))
    return charges


def dual_region_ratio(storage_class: str) -> tuple[Decimal, str]:
    """(ratio, how): a predefined dual-region's price over the sum of its two regions' regional prices, for
    each predefined dual-region the catalog prices (all from one data set); the largest when they differ."""
    from archplan import catalog

    book = catalog.service("cloud_storage")
    seen = []
    for name, facts in catalog.locations().items():
        members = facts.get("regions") or []
        if facts.get("kind") != "dual-region" or "cloud_storage" not in facts.get("services", []) or len(members) != 2:
            continue
        dual = book.price(f"storage_{storage_class}_dual_region", name)
        parts = [book.price(f"storage_{storage_class}_region", r) for r in members]
        if dual.derived_from or any(p.derived_from for p in parts):
            continue  # only published figures make the ratio
        seen.append((name, dual.usd, parts[0].usd, parts[1].usd, dual.usd / (parts[0].usd + parts[1].usd)))
    if not seen:
        raise PricingProblem(("data_locations",), "no predefined dual-region price to derive a configurable one from")
    ratio = max(r for *_, r in seen)
    terms = ", ".join(f"{name} {d.normalize():f} / ({a.normalize():f} + {b.normalize():f}) = {r.quantize(Decimal('0.001'))}"
                      for name, d, a, b, r in seen)
    same = len({r.quantize(Decimal("0.001")) for *_, r in seen}) == 1
    return ratio, (f"each predefined dual-region's price over its two regions' ({terms})"
                   + ("" if same else "; they differ, so the largest is used"))


def _configurable_dual_region(component: Component, description: str, free_tier) -> Charge:
    """Storage in a configurable dual-region: not in the price data, so derived. Google bills a dual-region to
    both of its regions; in the data set every predefined dual-region costs a fixed multiple of its two
    regions' regional prices, and the same multiple is applied to the chosen pair."""
    from dataclasses import replace

    from archplan import catalog

    spec = component.spec
    book = catalog.service("cloud_storage")
    first, second = (book.price(f"storage_{spec.storage_class}_region", r) for r in spec.data_locations)
    ratio, how = dual_region_ratio(spec.storage_class)
    usd = ((first.usd + second.usd) * ratio).quantize(Decimal("0.000001"))
    derivation = (f"configurable dual-region {spec.placement}: derived, not published: "
                  f"({first.usd.normalize():f} {spec.data_locations[0]} + {second.usd.normalize():f} "
                  f"{spec.data_locations[1]}) x {ratio.quantize(Decimal('0.001'))} = {usd.normalize():f} per "
                  f"{first.unit}; the multiple is {how}")
    line = charge(component, "cloud_storage", f"storage_{spec.storage_class}_region", component.usage["storage_gb"],
                  description, region=spec.data_locations[0], free_tier=free_tier)
    line.price = replace(first, sku=f"storage_{spec.storage_class}_dual_region", usd=usd, region_key=spec.placement,
                         derived_from=derivation, confidence="L")
    line.sku = line.price.sku
    line.location = spec.placement
    line.notes = [n for n in line.notes if n != first.derived_from] + [derivation]
    return line


def _replication(component: Component, location: str) -> Charge:
    """Writes to a dual- or multi-region bucket are copied between its regions: charged once per GiB written
    at the inter-region rate of the location's continent (a derivation, catalog inter_region). Turbo
    replication's premium has no citable figure here: it is left out and the line says so."""
    from archplan import catalog
    from archplan.pricing.inter_region import transfer

    spec = component.spec
    book = catalog.service("inter_region")
    written = spec.written_gb_per_month
    notes = [book.fact("gcs_replication_rate_rule").note]
    if written is None:
        written = spec.storage_gb
        notes.append(f"replication: written data assumed equal to storage_gb ({written} GB) a month; set "
                     "written_gb_per_month")
    source, destination = spec.data_locations or (location, location)
    line = transfer(component, source, destination, written, f"{spec.location_type} replication of writes",
                    " ".join(notes))
    if spec.turbo_replication:
        line.description = f"turbo replication of writes (15-minute target): {spec.placement or location}"
        if spec.turbo_premium_usd_per_gib is None:
            line.notes.append(f"turbo replication: its premium over default replication is not priced "
                              f"({book.fact('gcs_turbo_premium').note}); state it with turbo_premium_usd_per_gib")
    return line


def _turbo_premium(component: Component, replication: Charge, service: str) -> Charge:
    """Turbo replication's premium (a Cloud Storage charge) at the price the plan states, per GiB the
    replication line carries."""
    spec = component.spec
    source = spec.turbo_premium_source or "stated in the plan"
    return Charge(component=component.name, category=replication.category, service=service,
                  sku="turbo_replication_premium",
                  description=f"Turbo replication premium: {replication.quantity:,} GiB written at the plan's "
                              "stated price",
                  quantity=replication.quantity, unit="GiB", stated_unit_usd=spec.turbo_premium_usd_per_gib,
                  stated_source=f"{source}; {spec.turbo_premium_usd_per_gib} USD per GiB (archplan's catalog has no "
                                "citable turbo replication price)",
                  location=replication.location)
