from archplan.check.sla import SlaChoice


def sla(spec) -> SlaChoice:
    # Events ride on Pub/Sub; no Eventarc SLA figure was found.
    return SlaChoice("eventarc", "Eventarc Standard (Google sources)")
