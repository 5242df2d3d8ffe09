"""Cloud Speech-to-Text: enabled in the project; callers use their own service account."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.terraform._builder import Terraform


def generate(tf: Terraform, component: Component) -> None:
    tf.api("speech.googleapis.com")
