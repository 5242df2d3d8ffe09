"""Cloud Build: a service account of its own for builds (roles to push images and deploy the plan's
workloads) and, when the plan names a GitHub repository, one push trigger per workload running the
pipeline archplan writes in cloudbuild/<workload>.yaml."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.components.cloud_build import BUILD_MACHINE_TYPES
from archplan.generate.context import ident, slug
from archplan.generate.hcl import Expr, Tpl, nested, resource
from archplan.generate.terraform._builder import Terraform

ROLES = (("roles/artifactregistry.writer", "pushes the images it builds"),
         ("roles/run.developer", "deploys Cloud Run revisions and functions"),
         ("roles/logging.logWriter", "writes build logs"))


def generate(tf: Terraform, component: Component) -> None:
    ctx = tf.ctx
    spec = component.spec
    tf.api("cloudbuild.googleapis.com")
    key = f"{component.name}-builds"
    tf.service_account(key, f"Identity the builds of {component.name} run as.")
    for role, why in ROLES:
        tf.project_role(key, role, f"{component.name}'s builds: {why}.")
    tf.add("iam.tf", f"{component.name}'s builds deploy workloads that run as their own service accounts.",
           resource("google_project_iam_member", f"{ident(key)}_acts_as_workloads", {
               "#checkov:skip=CKV_GCP_41:the build account must act as each workload's account to deploy it; "
               "it is used only by the plan's build triggers": None,
               "#checkov:skip=CKV_GCP_49:same binding as above; deploying a workload as its own account needs "
               "actAs on that account": None,
               "project": Expr("var.project_id"),
               "role": "roles/iam.serviceAccountUser",
               "member": tf.member(key),
           }))
    if spec.repository is None:
        tf.add("cloudbuild.tf", f"{tf.about(component)}: the plan names no repository, so no trigger is "
                                "generated; set repository: {owner, name, branch} to generate one per workload.")
        return
    first = True
    for workload in ctx.pipeline_workloads:
        body: dict = {
            "name": Tpl(f"${{var.prefix}}-{slug(workload.key)}"),
            "location": tf.region(component),
            "description": f"Builds and deploys {workload.key} on pushes to {spec.repository.branch}.",
            "filename": f"cloudbuild/{slug(workload.key)}.yaml",
            "service_account": Tpl(f"projects/${{var.project_id}}/serviceAccounts/${{google_service_account."
                                   f"{ident(key)}.email}}"),
            "github": nested({"owner": spec.repository.owner, "name": spec.repository.name,
                              "push": nested({"branch": f"^{spec.repository.branch}$"})}),
        }
        items = [tf.about(component)] if first else []
        first = False
        tf.add("cloudbuild.tf", *items, resource("google_cloudbuild_trigger",
                                                 f"{ident(component.name)}_{ident(workload.key)}", body))
    if BUILD_MACHINE_TYPES[spec.machine_type]:
        tf.add("cloudbuild.tf", f"Builds run on {spec.machine_type}: the pipelines set options.machineType "
                                f"{BUILD_MACHINE_TYPES[spec.machine_type]}.")
