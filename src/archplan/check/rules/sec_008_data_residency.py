"""Every place a plan keeps data, against project.data_residency: one country, a group of countries (EU,
EEA) or a continent (catalog.residency)."""
from dataclasses import replace

from archplan import catalog
from archplan.check.rules import Rule

RULE = Rule("SEC-008", "error", "security", "data stored outside the country the plan must keep it in",
            "Data-residency rules (RBI payment data, DPDPA) require every store of the data in the named country.",
            "regional resources in a region of that country (multi-regions such as 'asia' span several countries)")


def check(plan):
    named = plan.spec.project.data_residency
    if not named:
        return []
    residency = catalog.residency(named)
    if residency is None:  # the loader refuses such a name; nothing to compare with
        return []
    regions = catalog.regions()
    locations = catalog.locations()
    # a country as the plan wrote it keeps its old words ("not India"); a group or continent its own
    outside = f"not {named}" if residency.kind == "country" else residency.outside
    fix = None if residency.kind == "country" else (
        f"regional resources in a region {residency.outside.replace('outside', 'inside', 1)}, and dual- or "
        f"multi-region locations whose regions are all inside it")
    out = []

    def country(region: str) -> str:
        return regions.get(region, {}).get("country", "")

    if not residency.holds_region(plan.region):
        out.append(RULE.finding(plan, f"the project region {plan.region} is in {country(plan.region)}, {outside}.",
                                key=("project", "region")))
    for component in plan.components:
        spec = component.spec
        if component.kind == "cloud_storage" and spec.data_locations:
            for index, region in enumerate(spec.data_locations):  # a configurable dual-region: its two regions
                if not residency.holds_region(region):
                    out.append(RULE.finding(plan, f"{component.name} is a dual-region bucket ({spec.placement}) "
                                                  f"that stores data in {region} ({country(region)}).",
                                            component.name, ("data_locations", index)))
        elif component.kind == "cloud_storage" and spec.location_type != "region":
            if not residency.holds_location(spec.location):
                where = ("which stores data in more than one country" if residency.kind == "country" else
                         f"which stores data in {_countries(locations.get(spec.location, {}))}, {outside}")
                out.append(RULE.finding(plan, f"{component.name} is a {spec.location_type} bucket ({spec.location}), "
                                              f"{where}.", component.name, ("location_type",)))
        elif component.kind == "cloud_storage" and spec.location and spec.location in regions \
                and not residency.holds_region(spec.location):
            out.append(RULE.finding(plan, f"{component.name} is in {spec.location} ({country(spec.location)}).",
                                    component.name, ("location",)))
        elif component.kind != "cloud_storage" and component.spec.location_field is not None:
            location = getattr(spec, spec.location_field, None)
            out += _located(plan, component, location, residency, outside, locations)
        own = getattr(spec, "region", None)
        if own is not None and own in regions and not residency.holds_region(own):
            out.append(RULE.finding(plan, f"{component.name} runs in {own} ({country(own)}).",
                                    component.name, ("region",)))
        for index, region in enumerate(getattr(spec, "replication_regions", None) or []):
            if not residency.holds_region(region):
                out.append(RULE.finding(plan, f"{component.name} keeps secret replicas in {region} ({country(region)}).",
                                        component.name, ("replication_regions", index)))
        for index, replica in enumerate(getattr(spec, "cross_region_replicas", None) or []):
            if not residency.holds_region(replica.region):
                out.append(RULE.finding(plan, f"{component.name} replicates to {replica.region} "
                                              f"({country(replica.region)}).",
                                        component.name, ("cross_region_replicas", index, "region")))
    return [replace(finding, fix=fix) for finding in out] if fix else out


def _located(plan, component, location, residency, outside, locations) -> list:
    """A kind placed by its own location key (Firestore, BigQuery, Spanner's config): a region or a dual- or
    multi-region location; unset is the project region, checked with the project."""
    if location is None:
        return []
    key = (component.spec.location_field,)
    if location in locations:
        if residency.holds_location(location):
            return []
        return [RULE.finding(plan, f"{component.name} is in {location}, a {locations[location]['kind']} location "
                                   f"that stores data in {_countries(locations[location])}, {outside}.",
                             component.name, key)]
    if residency.holds_region(location):
        return []
    country = catalog.regions().get(location, {}).get("country", "")
    return [RULE.finding(plan, f"{component.name} is in {location} ({country}), {outside}.", component.name, key)]


def _countries(facts: dict) -> str:
    """A location's countries in words; those Google does not list (asia) as the continent's."""
    countries = [str(c) for c in facts.get("countries", ())]
    known = {r["country"] for r in catalog.regions().values()}
    if countries and all(c in known for c in countries):
        return ", ".join(countries)
    if facts.get("group"):
        return f"the {facts['group']} member states"
    return f"several countries of {facts.get('continent', 'several continents')}"
