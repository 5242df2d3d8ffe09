from archplan.check.sla import SlaChoice


def sla(spec) -> SlaChoice:
    if spec.provider == "vertex_ai":
        return SlaChoice("vertex_ai_prediction", "Gemini on Vertex AI")
    return SlaChoice("gemini_api", "Gemini Developer API")
