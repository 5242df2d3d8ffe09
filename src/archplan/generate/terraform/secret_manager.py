"""Secret Manager: one secret per name the plan lists (values are added outside Terraform)."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import Workload
from archplan.generate.terraform import _workloads
from archplan.generate.terraform._builder import Terraform


def created_names(ctx, component: Component) -> list[str]:
    """The secrets the plan names; none for secrets it only counts (none is generated)."""
    secrets = component.spec.secrets
    return [ctx.plan_secret_id(secret) for secret in secrets] if isinstance(secrets, list) else []


def generate(tf: Terraform, component: Component) -> None:
    tf.api("secretmanager.googleapis.com")
    if isinstance(component.spec.secrets, list):
        for secret_id in component.spec.secrets:
            _workloads.plan_secret(tf, secret_id)


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    """A workload that depends on Secret Manager reads the secrets the plan names there."""
    if isinstance(component.spec.secrets, list):
        used = tf.workload_secrets.setdefault(workload.key, [])
        for secret_id in component.spec.secrets:
            used.append(_workloads.plan_secret_name(tf, secret_id))
