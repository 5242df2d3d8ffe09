"""google_cloud_run_v2_service (and the v1 google_cloud_run_service) -> cloud_run: CPU and memory, scaling
bounds, concurrency, CPU allocation, ingress, timeout, VPC egress, public invoker, port and probe path."""
from __future__ import annotations

import re

from archplan.importers.google._base import (MapContext, Mapped, cpu_limit, duration, label_name, memory_limit, number,
                                             owned, placeholders)
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
    """Where a google_cloud_run_v2_service holds the settings _fields reads: paths for numbers, else values."""
    template, container = ("template",), ("template", "containers")
    scaling = (*template, "scaling") if service.given(*template, "scaling", "min_instance_count") else ("scaling",)
    return {"limits": (*container, "resources", "limits"),
            "min": (*scaling, "min_instance_count"), "max": (*template, "scaling", "max_instance_count"),
            "concurrency": (*template, "max_instance_request_concurrency"),
            "cpu_always": service.get(*container, "resources", "cpu_idle") is False,
            "gpu_redundancy_off": service.get(*template, "gpu_zonal_redundancy_disabled") is True,
            "ingress": INGRESS.get(service.get("ingress", default="INGRESS_TRAFFIC_ALL")),
            "egress": EGRESS.get(service.get(*template, "vpc_access", "egress")),
            "direct_vpc": bool(service.get(*template, "vpc_access", "network_interfaces")),
            "connector": service.given(*template, "vpc_access", "connector"),
            "timeout": (*template, "timeout"), "container": container,
            "invokers": ("google_cloud_run_v2_service_iam_member", "google_cloud_run_v2_service_iam_binding")}


def _v1(service: TfResource) -> dict:
    """The same of a v1 google_cloud_run_service: Knative's spec, scaling and the rest in annotations."""
    container = ("template", "spec", "containers")
    annotations = service.get("template", "metadata", "annotations", default={}) or {}
    at = ("template", "metadata", "annotations")
    ingress = (service.get("metadata", "annotations", default={}) or {}).get("run.googleapis.com/ingress", "all")
    egress = annotations.get("run.googleapis.com/vpc-access-egress")
    return {"limits": (*container, "resources", "limits"),
            "min": (*at, "autoscaling.knative.dev/minScale"), "max": (*at, "autoscaling.knative.dev/maxScale"),
            "concurrency": ("template", "spec", "container_concurrency"),  # 0: the platform's own limit
            "cpu_always": annotations.get("run.googleapis.com/cpu-throttling") in (False, "false"),
            "gpu_redundancy_off": False,
            "ingress": ingress if ingress in INGRESS.values() else None,
            "egress": "all-traffic" if egress == "all" else egress if egress in EGRESS.values() else None,
            "direct_vpc": "run.googleapis.com/network-interfaces" in annotations,
            "connector": "run.googleapis.com/vpc-access-connector" in annotations,
            "timeout": ("template", "spec", "timeout_seconds"), "container": container,
            "invokers": ("google_cloud_run_service_iam_member", "google_cloud_run_service_iam_binding")}


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    found = []
    for service in resources:
        read = _v1(service) if service.type == "google_cloud_run_service" else _v2(service)
        container, limits = read["container"], read["limits"]
        fields: dict = {"cpu": cpu_limit(service, ctx, *limits, "cpu", assumed="read as 1, Cloud Run's default") or 1,
                        "memory": memory_limit(service, ctx, *limits, "memory",
                                               assumed="read as 512Mi, Cloud Run's default") or "512Mi"}
        notes = [] if service.get(*limits) else [f"{service.address}: no resources.limits: Cloud Run's defaults "
                                                 "(1 vCPU, 512Mi) are used"]
        # Cloud Run scales from 0 instances up, to at least 1; a request at a time up to 1000 per instance (0
        # in the v1 spec: the platform's own limit).
        v1 = service.type == "google_cloud_run_service"
        for field_name, key, lowest in (("min_instances", "min", 0), ("max_instances", "max", 1),
                                        ("concurrency", "concurrency", 0 if v1 else 1)):
            value = number(service, ctx, *read[key], minimum=lowest, maximum=1000 if key == "concurrency" else None)
            if value is not None and not (key == "concurrency" and value == 0):
                fields[field_name] = value
        if read["cpu_always"]:
            fields["cpu_allocation"] = "always"
        gpus = number(service, ctx, *limits, "nvidia.com/gpu", minimum=0, assumed="no GPU read")
        if gpus:
            fields["gpu"] = gpus
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
        timeout = duration(service, ctx, *read["timeout"], minimum=1, assumed="read as 300 s, Cloud Run's default")
        if timeout and timeout != 300:
            fields["timeout_seconds"] = timeout
        port = number(service, ctx, *container, "ports", "container_port", minimum=1, maximum=65535,
                      assumed="read as 8080, Cloud Run's default")
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
