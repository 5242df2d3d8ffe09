"""Cloud Run service YAML (cloudrun/<service>.yaml) for `gcloud run services replace`: the same service the
Terraform describes, for teams that deploy without Terraform. Values only Terraform knows after it applies
(a Redis host) are listed in a comment to fill in."""
from __future__ import annotations

import json

from archplan.generate import links, units
from archplan.generate.context import Context, Workload, slug
from archplan.generate.terraform.cloud_run import invoker_iam_disabled
from archplan.generate.yamldump import dump

TARGET = "cloudrun"
ORDER = 3
FOLDER = "cloudrun"
PLACEHOLDER_IMAGE = "us-docker.pkg.dev/cloudrun/container/hello"


def needed(ctx: Context) -> bool:
    return bool(ctx.workloads_of("cloud_run"))


def probe(fields) -> dict:
    if fields.health_check_path:
        return {"httpGet": {"path": fields.health_check_path, "port": fields.port}}
    return {"tcpSocket": {"port": fields.port}}


def env(ctx: Context, workload: Workload) -> tuple[list[dict], list[str]]:
    out = [{"name": "GOOGLE_CLOUD_PROJECT", "value": ctx.project_id}] \
        if "GOOGLE_CLOUD_PROJECT" not in workload.fields.env else []
    unknown = []
    for link in links.linked_env(ctx, workload):
        if link.secret is not None:
            out.append(secret_env(link.name, link.secret))
        elif link.literal is not None:
            out.append({"name": link.name, "value": link.literal})
        else:
            unknown.append(link.name)
    out += [{"name": name, "value": value} for name, value in ctx.plain_env(workload).items()]
    out += [secret_env(name, ctx.plan_secret_id(ref.secret), ref.version) for name, ref in ctx.secret_refs(workload).items()]
    out += [secret_env(name, literal.secret_id) for name, literal in ctx.literal_secrets(workload).items()]
    return out, unknown


def secret_env(name: str, secret_id: str, version: str = "latest") -> dict:
    return {"name": name, "valueFrom": {"secretKeyRef": {"name": secret_id, "key": version}}}


def service(ctx: Context, workload: Workload) -> tuple[dict, list[str]]:
    spec = workload.fields
    template_annotations = {
        "autoscaling.knative.dev/minScale": str(spec.min_instances),
        "autoscaling.knative.dev/maxScale": str(spec.max_instances),
        "run.googleapis.com/execution-environment": "gen2",
        "run.googleapis.com/cpu-throttling": "true" if spec.cpu_allocation == "request" else "false",
        "run.googleapis.com/startup-cpu-boost": "true",
    }
    egress = ctx.vpc_egress(workload)
    if egress != "none":
        template_annotations["run.googleapis.com/network-interfaces"] = json.dumps(
            [{"network": f"{ctx.prefix}-vpc", "subnetwork": f"{ctx.prefix}-{workload.component.region}"}], separators=(",", ":"))
        template_annotations["run.googleapis.com/vpc-access-egress"] = egress
    sql = ctx.linked(workload, "cloud_sql")
    if sql:
        template_annotations["run.googleapis.com/cloudsql-instances"] = ",".join(
            ctx.sql_connection_name(s) for s in sql)
    environment, unknown = env(ctx, workload)
    container = {
        "image": spec.image or PLACEHOLDER_IMAGE,
        "ports": [{"name": "http1", "containerPort": spec.port}],
        "env": environment,
        "resources": {"limits": {"cpu": units.cpu(spec.cpu), "memory": units.memory(spec.memory)}},
        "startupProbe": {**probe(spec), "periodSeconds": 5, "timeoutSeconds": 3, "failureThreshold": 24},
        "livenessProbe": {**probe(spec), "periodSeconds": 15, "timeoutSeconds": 3, "failureThreshold": 3},
    }
    annotations = {"run.googleapis.com/ingress": spec.ingress, "run.googleapis.com/launch-stage": "GA"}
    if invoker_iam_disabled(ctx, workload.component):
        # as Terraform's invoker_iam_disabled: a replace without it turns the check back on, and the load
        # balancer's requests (no identity token) get 403 (https://cloud.google.com/run/docs/authenticating/public)
        annotations["run.googleapis.com/invoker-iam-disabled"] = "true"
    document = {
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Service",
        "metadata": {
            "name": ctx.name(workload.name),
            "namespace": ctx.project_id,  # Cloud Run reads the namespace as the project
            "labels": {"managed-by": "archplan", "plan": ctx.project.name, "cloud.googleapis.com/location": workload.component.region},
            "annotations": annotations,
        },
        "spec": {"template": {
            "metadata": {"annotations": template_annotations},
            "spec": {
                "serviceAccountName": ctx.service_account_email(workload.key),
                "containerConcurrency": spec.concurrency,
                "timeoutSeconds": spec.timeout_seconds,
                "containers": [container],
            },
        }},
    }
    return document, unknown


def render(ctx: Context, header: str) -> dict[str, str]:
    files = {}
    for workload in ctx.workloads_of("cloud_run"):
        document, unknown = service(ctx, workload)
        notes = (f"# Deploy: gcloud run services replace {FOLDER}/{slug(workload.name)}.yaml "
                 f"--region {workload.component.region} --project {ctx.project_id}\n")
        if not workload.fields.image:
            notes += "# The image is Google's sample until Cloud Build deploys the service's own.\n"
        if unknown:
            notes += (f"# Known only once Terraform has applied: {', '.join(unknown)} "
                      f"(terraform output); add them to env.\n")
        files[f"{FOLDER}/{slug(workload.name)}.yaml"] = header + notes + dump(document)
    return files
