"""google_cloud_run_v2_service (and the v1 google_cloud_run_service) -> cloud_run: CPU and memory, scaling
bounds, concurrency, CPU allocation, ingress, timeout, VPC egress, public invoker, port and probe path."""
from __future__ import annotations

import re

from archplan.importers.google._base import (MapContext, Mapped, placeholders, cpu, label_name, memory, owned, seconds,
                                             whole)
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_cloud_run_v2_service", "google_cloud_run_service")
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {"request_duration_ms": (100, "mean time to serve a request"), "requests_per_month": (None, "requests"), "traffic_share": (None, "share of the traffic"), "avg_instances": (None, "mean instances alive")}
INGRESS = {"INGRESS_TRAFFIC_ALL": "all", "INGRESS_TRAFFIC_INTERNAL_ONLY": "internal",
           "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER": "internal-and-cloud-load-balancing"}
# What a probe's URL path may hold (RFC 3986 path characters, and a query): nothing that means something in
# the files generate writes it into (quotes, newlines, ${).
_URL_PATH = re.compile(r"/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*")
EGRESS = {"ALL_TRAFFIC": "all-traffic", "PRIVATE_RANGES_ONLY": "private-ranges-only"}


def public_invoker(service: TfResource, ctx: MapContext, *types: str) -> bool:
    return any(b.get("member") == "allUsers" or "allUsers" in (b.get("members") or [])
               for b in ctx.referrers(service, *types) if "invoker" in str(b.get("role")))


def service_account(resource: TfResource, ctx: MapContext) -> list[TfResource]:
    return ctx.referenced(resource, "google_service_account")


def _v2(service: TfResource) -> dict:
    """The settings of a google_cloud_run_v2_service, by the names _fields reads."""
    template, container = ("template",), ("template", "containers")
    minimum = service.get(*template, "scaling", "min_instance_count")
    return {"limits": service.get(*container, "resources", "limits", default={}) or {},
            "min": minimum if minimum is not None else service.get("scaling", "min_instance_count"),
            "max": service.get(*template, "scaling", "max_instance_count"),
            "concurrency": service.get(*template, "max_instance_request_concurrency"),
            "cpu_always": service.get(*container, "resources", "cpu_idle") is False,
            "gpu_redundancy_off": service.get(*template, "gpu_zonal_redundancy_disabled") is True,
            "ingress": INGRESS.get(service.get("ingress", default="INGRESS_TRAFFIC_ALL")),
            "egress": EGRESS.get(service.get(*template, "vpc_access", "egress")),
            "direct_vpc": bool(service.get(*template, "vpc_access", "network_interfaces")),
            "connector": service.given(*template, "vpc_access", "connector"),
            "timeout": service.get(*template, "timeout"), "container": container,
            "invokers": ("google_cloud_run_v2_service_iam_member", "google_cloud_run_v2_service_iam_binding")}


def _v1(service: TfResource) -> dict:
    """The same of a v1 google_cloud_run_service: Knative's spec, scaling and the rest in annotations."""
    container = ("template", "spec", "containers")
    annotations = service.get("template", "metadata", "annotations", default={}) or {}
    ingress = (service.get("metadata", "annotations", default={}) or {}).get("run.googleapis.com/ingress", "all")
    egress = annotations.get("run.googleapis.com/vpc-access-egress")
    concurrency = whole(service.get("template", "spec", "container_concurrency"))
    return {"limits": service.get(*container, "resources", "limits", default={}) or {},
            "min": annotations.get("autoscaling.knative.dev/minScale"),
            "max": annotations.get("autoscaling.knative.dev/maxScale"),
            "concurrency": concurrency if concurrency else None,  # 0: the platform's own limit
            "cpu_always": annotations.get("run.googleapis.com/cpu-throttling") in (False, "false"),
            "gpu_redundancy_off": False,
            "ingress": ingress if ingress in INGRESS.values() else None,
            "egress": "all-traffic" if egress == "all" else egress if egress in EGRESS.values() else None,
            "direct_vpc": "run.googleapis.com/network-interfaces" in annotations,
            "connector": "run.googleapis.com/vpc-access-connector" in annotations,
            "timeout": service.get("template", "spec", "timeout_seconds"), "container": container,
            "invokers": ("google_cloud_run_service_iam_member", "google_cloud_run_service_iam_binding")}


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    found = []
    for service in resources:
        read = _v1(service) if service.type == "google_cloud_run_service" else _v2(service)
        container, limits = read["container"], read["limits"]
        fields: dict = {"cpu": cpu(limits.get("cpu")) or 1, "memory": memory(limits.get("memory")) or "512Mi"}
        notes = [] if limits else [f"{service.address}: no resources.limits: Cloud Run's defaults (1 vCPU, "
                                   "512Mi) are used"]
        for field_name, key in (("min_instances", "min"), ("max_instances", "max"), ("concurrency", "concurrency")):
            if whole(read[key]) is not None:
                fields[field_name] = whole(read[key])
        if read["cpu_always"]:
            fields["cpu_allocation"] = "always"
        gpus = limits.get("nvidia.com/gpu")
        if gpus is not None and str(gpus).isdigit() and int(gpus) > 0:
            fields["gpu"] = int(gpus)
            if read["gpu_redundancy_off"]:
                fields["gpu_zonal_redundancy"] = False
        fields["request_duration_ms"] = USAGE["request_duration_ms"][0]
        if read["ingress"] and read["ingress"] != "all":
            fields["ingress"] = read["ingress"]
        if public_invoker(service, ctx, *read["invokers"]):
            fields["allow_unauthenticated"] = True
        elif ctx.referrers(service, "google_cloud_run_service_iam_policy", "google_cloud_run_v2_service_iam_policy"):
            notes.append(f"{service.address}: who may invoke it is an IAM policy (policy_data) not read here: "
                         "allow_unauthenticated left false; set it if the policy grants allUsers roles/run.invoker")
        # Direct VPC egress (network interfaces); through a connector, known only after apply or not, the
        # connector is a component of its own that the service depends on.
        if read["egress"] and (read["direct_vpc"] or not read["connector"]):
            fields["vpc_egress"] = read["egress"]
        timeout = seconds(read["timeout"])
        if timeout and timeout != 300:
            fields["timeout_seconds"] = timeout
        port = whole(service.get(*container, "ports", "container_port"))
        if port is not None and port != 8080:
            fields["port"] = port
        path = service.get(*container, "startup_probe", "http_get", "path") or \
            service.get(*container, "liveness_probe", "http_get", "path")
        if isinstance(path, str) and _URL_PATH.fullmatch(path):
            fields["health_check_path"] = path
        elif isinstance(path, str):
            notes.append(f"{service.address}: probe path {path[:40]!r} is not a URL path: left out")
        found.append(Mapped(label_name(service), "cloud_run", fields, owned(service, *service_account(service, ctx)),
                            service, placeholders(USAGE), notes))
    return found


def protocol(mapped: Mapped) -> str:
    return "HTTPS"
