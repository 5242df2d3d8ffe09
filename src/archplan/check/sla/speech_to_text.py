from archplan.check.sla import SlaChoice


def sla(spec) -> SlaChoice:
    return SlaChoice("speech_to_text", "Cloud Speech-to-Text")
