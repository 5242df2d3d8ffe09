from archplan.check.sla import SlaChoice

MULTI_REGIONS = ("nam5", "eur3", "nam7")


def sla(spec) -> SlaChoice:
    if spec.location in MULTI_REGIONS:
        return SlaChoice("firestore_multi_region", f"Firestore multi-region {spec.location}")
    return SlaChoice("firestore_regional", "Firestore regional")
