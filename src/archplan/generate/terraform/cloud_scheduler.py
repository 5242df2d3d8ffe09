"""Cloud Scheduler jobs that call a Cloud Run service or a function with an OIDC token of their own
service account, or start a Cloud Run job through the Cloud Run Admin API's `jobs.run` with an OAuth token
(https://cloud.google.com/run/docs/execute/jobs-on-schedule, seen 2026-12-02: the caller needs Cloud Run
Invoker on the job); the account may invoke only its targets."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import ident
from archplan.generate.hcl import Expr, Tpl, nested, resource
from archplan.generate.terraform import _workloads
from archplan.generate.terraform._builder import Terraform


def created_names(ctx, component: Component) -> list[str]:
    """The jobs' names (<prefix>-<job>); none for jobs the plan only counts (none is generated)."""
    jobs = component.spec.jobs
    return [] if isinstance(jobs, int) else [f"{ctx.prefix}-{job.name}" for job in jobs]


def generate(tf: Terraform, component: Component) -> None:
    ctx = tf.ctx
    spec = component.spec
    tf.api("cloudscheduler.googleapis.com")
    if isinstance(spec.jobs, int):
        if spec.jobs:
            tf.warnings.append(f"{component.name}: the plan counts {spec.jobs} Cloud Scheduler jobs without naming "
                               "them, so none is generated; list them as jobs: [{name, schedule, target}]")
        return
    key = component.name
    email = tf.service_account(key, "Identity Cloud Scheduler jobs call their targets with.")
    invoked = set()
    first = True
    for index, job in enumerate(spec.jobs):
        target = ctx.components.get(job.target or "")
        if target is None or (target.kind not in _workloads.SERVICE_URLS and target.kind != "cloud_run_job"):
            raise ctx.error(component, ("jobs", index, "target"),
                            "a scheduler job's target must be a cloud_run, cloud_functions or cloud_run_job "
                            f"component (got {job.target!r})")
        if target.kind == "cloud_run_job":
            job_ref = f"google_cloud_run_v2_job.{ident(target.name)}"
            url = Tpl(f"https://run.googleapis.com/v2/projects/${{var.project_id}}/locations/${{{job_ref}.location}}"
                      f"/jobs/${{{job_ref}.name}}:run")
            token = {"oauth_token": nested({"service_account_email": email,
                                            "scope": "https://www.googleapis.com/auth/cloud-platform"})}
        else:
            url = Expr(_workloads.SERVICE_URLS[target.kind].format(ident(target.name)))
            token = {"oidc_token": nested({"service_account_email": email, "audience": url})}
        items = [tf.about(component)] if first else []
        first = False
        job_name = f"{ident(component.name)}_{ident(job.name)}"
        tf.add("scheduler.tf", *items, resource("google_cloud_scheduler_job", job_name, {
            "name": Tpl(f"${{var.prefix}}-{job.name}"),
            "region": tf.region(component),
            "schedule": job.schedule,
            "time_zone": "Etc/UTC",
            "attempt_deadline": "320s",
            "retry_config": nested({"retry_count": 3}),
            "http_target": nested({
                "http_method": "POST",
                "uri": url,
                **token,
            }),
        }))
        if target.name not in invoked:
            invoked.add(target.name)
            if target.kind == "cloud_run_job":
                _workloads.job_invoker(tf, target, key)
                continue
            service = Expr(_workloads.SERVICE_NAMES[target.kind].format(ident(target.name)))
            _workloads.invoker(tf, target, key, service)
