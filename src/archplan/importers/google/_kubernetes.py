"""Kubernetes deployments written in Terraform (the kubernetes provider's kubernetes_deployment and its _v1
twin, with a kubernetes_horizontal_pod_autoscaler for the HPA bounds) -> the gke kind's deployments: name,
replicas, CPU and memory requests per pod (summed over its containers), limits and the HPA maximum."""
from __future__ import annotations

import re
from decimal import Decimal

from archplan.importers.google._base import MapContext, whole
from archplan.importers.resources import TfResource
from archplan.spec.units import parse_cpu, parse_memory_gib

DEPLOYMENT_TYPES = ("kubernetes_deployment", "kubernetes_deployment_v1")
AUTOSCALER_TYPES = ("kubernetes_horizontal_pod_autoscaler", "kubernetes_horizontal_pod_autoscaler_v1",
                    "kubernetes_horizontal_pod_autoscaler_v2")
_NAME = re.compile(r"^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")


def _amount(container: dict, section: str, key: str, parse) -> Decimal | None:
    resources = container.get("resources") or {}
    resources = resources[0] if isinstance(resources, list) and resources else resources
    amounts = resources.get(section) if isinstance(resources, dict) else None
    amounts = amounts[0] if isinstance(amounts, list) and amounts else amounts
    try:
        return parse(amounts.get(key)) if isinstance(amounts, dict) and amounts.get(key) is not None else None
    except ValueError:
        return None


def _pod(containers: list[dict], key: str, parse) -> tuple[Decimal | None, Decimal | None]:
    """The pod's request and limit of one resource, summed over its containers: a container's request is its
    limit where it states only a limit (Kubernetes copies it); None where a container states neither (the
    request) or no limit (the limit)."""
    requests, limits = [], []
    for container in containers:
        limit = _amount(container, "limits", key, parse)
        request = _amount(container, "requests", key, parse)
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
        containers = resource.blocks("spec", "template", "spec", "container")
        replicas = whole(resource.get("spec", "replicas"))
        deployment: dict = {"name": name, "replicas": 1 if replicas is None else replicas}  # Kubernetes' default 1
        for key, parse, shown in (("cpu", parse_cpu, lambda vcpu: vcpu),
                                  ("memory", parse_memory_gib, lambda gib: f"{(gib * 1024).normalize():f}Mi")):
            request, limit = _pod(containers, key, parse)
            if request is None:
                notes.append(f"{resource.address}: a container states neither a {key} request nor a limit: the "
                             "deployment is left out (add it by hand with its requests)")
                break
            deployment[key] = shown(request)
            if limit is not None and limit != request:
                deployment[f"{key}_limit"] = shown(limit)
        else:
            autoscaler = autoscalers.get(name)
            high = whole(autoscaler.get("spec", "max_replicas")) if autoscaler else None
            if high is not None and high >= deployment["replicas"]:
                deployment["max_replicas"] = high
            target = whole(autoscaler.get("spec", "target_cpu_utilization_percentage")) if autoscaler else None
            if target is not None and 1 <= target <= 100:
                deployment["target_cpu_utilization_percent"] = target
            found.append(deployment)
            read += [resource] + ([autoscaler] if autoscaler else [])
    return found, read, notes
