from archplan.check.sla import SlaChoice


def sla(spec) -> SlaChoice:
    multi = spec.location_type != "region"
    where = "multi-region" if multi else "region"
    if spec.storage_class == "standard":
        return SlaChoice(f"cloud_storage_standard_{'multi_region' if multi else 'region'}",
                         f"Cloud Storage Standard, {spec.location_type}")
    return SlaChoice(f"cloud_storage_nearline_coldline_{'multi_region' if multi else 'region'}",
                     f"Cloud Storage {spec.storage_class.title()}, {where}")
