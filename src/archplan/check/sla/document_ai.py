from archplan.check.sla import SlaChoice


def sla(spec) -> SlaChoice:
    return SlaChoice("document_ai", "Document AI")
