from archplan import catalog
from archplan.check.rules import Rule

RULE = Rule("SEC-008", "error", "security", "data stored outside the country the plan must keep it in",
            "Data-residency rules (RBI payment data, DPDPA) require every store of the data in the named country.",
            "regional resources in a region of that country (multi-regions such as 'asia' span several countries)")


def check(plan):
    country = plan.spec.project.data_residency
    if not country:
        return []
    regions = catalog.regions()
    out = []
    home = regions[plan.region]["country"]
    if home.lower() != country.lower():
        out.append(RULE.finding(plan, f"the project region {plan.region} is in {home}, not {country}.",
                                key=("project", "region")))
    for component in plan.components:
        spec = component.spec
        if component.kind == "cloud_storage" and spec.data_locations:
            for index, region in enumerate(spec.data_locations):  # a configurable dual-region: its two regions
                there = regions[region]["country"]
                if there.lower() != country.lower():
                    out.append(RULE.finding(plan, f"{component.name} is a dual-region bucket ({spec.placement}) "
                                                  f"that stores data in {region} ({there}).", component.name,
                                            ("data_locations", index)))
        elif component.kind == "cloud_storage" and spec.location_type != "region":
            out.append(RULE.finding(plan, f"{component.name} is a {spec.location_type} bucket ({spec.location}), "
                                          f"which stores data in more than one country.", component.name,
                                    ("location_type",)))
        if component.kind == "cloud_storage" and spec.location_type == "region" and spec.location \
                and spec.location in regions and regions[spec.location]["country"].lower() != country.lower():
            out.append(RULE.finding(plan, f"{component.name} is in {spec.location} "
                                          f"({regions[spec.location]['country']}).", component.name, ("location",)))
        own = getattr(spec, "region", None)
        if own is not None and own in regions and regions[own]["country"].lower() != country.lower():
            out.append(RULE.finding(plan, f"{component.name} runs in {own} ({regions[own]['country']}).",
                                    component.name, ("region",)))
        for index, region in enumerate(getattr(spec, "replication_regions", None) or []):
            there = regions.get(region, {}).get("country", "")
            if there.lower() != country.lower():
                out.append(RULE.finding(plan, f"{component.name} keeps secret replicas in {region} ({there}).",
                                        component.name, ("replication_regions", index)))
        for index, replica in enumerate(getattr(spec, "cross_region_replicas", None) or []):
            there = regions.get(replica.region, {}).get("country", "")
            if there.lower() != country.lower():
                out.append(RULE.finding(plan, f"{component.name} replicates to {replica.region} ({there}).",
                                        component.name, ("cross_region_replicas", index, "region")))
        if component.kind == "firestore" and spec.location and spec.location != plan.region:
            out.append(RULE.finding(plan, f"{component.name} is in {spec.location}, not {plan.region}.",
                                    component.name, ("location",)))
    return out
