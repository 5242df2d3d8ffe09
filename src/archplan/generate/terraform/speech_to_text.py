"""Cloud Speech-to-Text: enabled in the project. A caller recognizes speech with roles/speech.client, the role that
holds speech.recognizers.recognize (https://cloud.google.com/iam/docs/roles-permissions/speech, seen 2026-12-04);
without it the V2 API refuses the caller's service account."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import Workload
from archplan.generate.terraform._builder import Terraform, nothing_named


created_names = nothing_named


def generate(tf: Terraform, component: Component) -> None:
    tf.api("speech.googleapis.com")


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    # Speech-to-Text's recognizers have no IAM resource in the provider: the role is granted on the project.
    tf.project_role(workload.key, "roles/speech.client", f"{workload.key} recognizes speech with Speech-to-Text.")
