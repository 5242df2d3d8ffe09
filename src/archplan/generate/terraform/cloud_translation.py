"""Cloud Translation: enabled in the project. A caller translates with roles/cloudtranslate.user, the role that
holds cloudtranslate.generalModels.predict (https://cloud.google.com/iam/docs/roles-permissions/cloudtranslate,
seen 2026-12-03); without it the API refuses the caller's service account."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import Workload
from archplan.generate.terraform._builder import Terraform, nothing_named


created_names = nothing_named


def generate(tf: Terraform, component: Component) -> None:
    tf.api("translate.googleapis.com")


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    # Translation has no per-resource IAM for its general models: the role is granted on the project.
    tf.project_role(workload.key, "roles/cloudtranslate.user", f"{workload.key} translates with Cloud Translation.")
