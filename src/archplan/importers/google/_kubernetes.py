"""Kubernetes deployments written in Terraform (the kubernetes provider's kubernetes_deployment and its _v1
twin, with a kubernetes_horizontal_pod_autoscaler for the HPA bounds) -> the gke kind's deployments: name,
replicas, CPU and memory requests per pod (summed over its containers), limits and the HPA maximum."""
from __future__ import annotations

import re
from decimal import Decimal

from archplan.importers.google._base import MapContext, invalid, number
from archplan.importers.hcl.expressions import unknown
from archplan.importers.resources import TfResource
from archplan.spec.units import parse_cpu, parse_memory_gib

DEPLOYMENT_TYPES = ("kubernetes_deployment", "kubernetes_deployment_v1")
AUTOSCALER_TYPES = ("kubernetes_horizontal_pod_autoscaler", "kubernetes_horizontal_pod_autoscaler_v1",
                    "kubernetes_horizontal_pod_autoscaler_v2")
_NAME = re.compile(r"^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")


CONTAINERS = ("spec", "template", "spec", "container")


def _amount(resource: TfResource, index: int, section: str, key: str, parse) -> Decimal | None:
    """A container's request or limit: None where it is not written or not known before apply; one line where
    Kubernetes would refuse it (not a quantity, 0 or less)."""
    path = (*CONTAINERS, index, "resources", section, key)
    raw = resource._at(path)
    if raw is None or unknown(raw):
        return None
    try:
        return parse(raw)
    except ValueError as exc:
        raise invalid(resource, path, str(exc)) from None


def _pod(resource: TfResource, key: str, parse) -> tuple[Decimal | None, Decimal | None]:
    """The pod's request and limit of one resource, summed over its containers: a container's request is its
    limit where it states only a limit (Kubernetes copies it); None where a container states neither (the
    request) or no limit (the limit)."""
    requests, limits = [], []
    containers = resource.blocks(*CONTAINERS)
    for index, _container in enumerate(containers):
        limit = _amount(resource, index, "limits", key, parse)
        request = _amount(resource, index, "requests", key, parse)
        requests.append(request if request is not None else limit)
        limits.append(limit)
    request = sum(requests, Decimal(0)) if containers and None not in requests else None
    limit = sum(limits, Decimal(0)) if containers and None not in limits else None
    return request, limit


def deployments(ctx: MapContext) -> tuple[list[dict], list[TfResource], list[str]]:
    """(the deployments, the resources read, notes on what was left out or assumed)."""
    found, read, notes = [], [], []
    autoscalers = {str(a.get("spec", "scale_target_ref", "name")): a for a in ctx.of_type(*AUTOSCALER_TYPES)}
    for resource in ctx.of_type(*DEPLOYMENT_TYPES):
        name = resource.get("metadata", "name")
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            notes.append(f"{resource.address}: its metadata.name is not a literal Kubernetes name: left out")
            continue
        replicas = number(resource, ctx, "spec", "replicas", default=1, minimum=0, assumed="read as 1")
        deployment: dict = {"name": name, "replicas": replicas}  # Kubernetes' default 1
        for key, parse, shown in (("cpu", parse_cpu, lambda vcpu: vcpu),
                                  ("memory", parse_memory_gib, lambda gib: f"{(gib * 1024).normalize():f}Mi")):
            request, limit = _pod(resource, key, parse)
            if request is None:
                notes.append(f"{resource.address}: a container states neither a {key} request nor a limit: the "
                             "deployment is left out (add it by hand with its requests)")
                break
            deployment[key] = shown(request)
            if limit is not None and limit != request:
                deployment[f"{key}_limit"] = shown(limit)
        else:
            autoscaler = autoscalers.get(name)
            high = number(autoscaler, ctx, "spec", "max_replicas", minimum=1) if autoscaler else None
            if high is not None and high >= deployment["replicas"]:
                deployment["max_replicas"] = high
            target = number(autoscaler, ctx, "spec", "target_cpu_utilization_percentage", minimum=1) \
                if autoscaler else None
            if target is not None and target <= 100:  # above 100: the HPA scales on more than the requests
                deployment["target_cpu_utilization_percent"] = target
            found.append(deployment)
            read += [resource] + ([autoscaler] if autoscaler else [])
    return found, read, notes
