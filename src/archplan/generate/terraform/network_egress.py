"""Internet egress is billed traffic, not a resource: nothing to create."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.terraform._builder import Terraform, nothing_named


created_names = nothing_named


def generate(tf: Terraform, component: Component) -> None:
    """Nothing: egress is what the other resources send."""
