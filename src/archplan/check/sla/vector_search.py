from archplan.check.sla import SlaChoice


def sla(spec) -> SlaChoice:
    return SlaChoice("vector_search", f"Vertex AI Vector Search, {spec.nodes} node(s) of {spec.serving_machine}")
