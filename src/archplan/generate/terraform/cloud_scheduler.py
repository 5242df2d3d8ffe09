"""Cloud Scheduler jobs that call a Cloud Run service or a function with an OIDC token of their own
service account, which may invoke only their targets."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import ident
from archplan.generate.hcl import Expr, Tpl, nested, resource
from archplan.generate.terraform import _workloads
from archplan.generate.terraform._builder import Terraform


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
        if target is None or target.kind not in _workloads.SERVICE_URLS:
            raise ctx.error(component, ("jobs", index, "target"),
                            "a scheduler job's target must be a cloud_run or cloud_functions component")
        url = Expr(_workloads.SERVICE_URLS[target.kind].format(ident(target.name)))
        items = [tf.about(component)] if first else []
        first = False
        job_name = f"{ident(component.name)}_{ident(job.name)}"
        tf.add("scheduler.tf", *items, resource("google_cloud_scheduler_job", job_name, {
            "name": Tpl(f"${{var.prefix}}-{job.name}"),
            "region": Expr("var.region"),
            "schedule": job.schedule,
            "time_zone": "Etc/UTC",
            "attempt_deadline": "320s",
            "retry_config": nested({"retry_count": 3}),
            "http_target": nested({
                "http_method": "POST",
                "uri": url,
                "oidc_token": nested({"service_account_email": email, "audience": url}),
            }),
        }))
        if target.name not in invoked:
            invoked.add(target.name)
            service = Expr(_workloads.SERVICE_NAMES[target.kind].format(ident(target.name)))
            _workloads.invoker(tf, target, key, service)
