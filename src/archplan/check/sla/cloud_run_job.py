from archplan.check.sla import SlaChoice


def sla(spec) -> SlaChoice:
    # The Cloud Run SLA covers a Cloud Run service; no SLA for jobs was found.
    return SlaChoice("cloud_run_job", "Cloud Run job")
