"""Cloud Vision API: enabled in the project; callers use their own service account (no IAM role is needed
to call the API beyond serviceusage on the project)."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.terraform._builder import Terraform, nothing_named


created_names = nothing_named


def generate(tf: Terraform, component: Component) -> None:
    tf.api("vision.googleapis.com")
