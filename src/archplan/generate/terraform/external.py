"""Services outside GCP (payment gateways, SMS, email) are called with credentials the plan keeps in Secret
Manager: nothing to create here."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.terraform._builder import Terraform, nothing_named


created_names = nothing_named


def generate(tf: Terraform, component: Component) -> None:
    """Nothing: the provider is outside GCP."""
