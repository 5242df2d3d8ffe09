"""Document AI: enabled in the project; the processor itself is created by the application's setup, which
archplan does not see (it names no processor id)."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.terraform._builder import Terraform


def generate(tf: Terraform, component: Component) -> None:
    tf.api("documentai.googleapis.com")
