"""The project-wide files: versions.tf (pinned providers), providers.tf, the common variables, and main.tf
(labels and the APIs the plan's services need)."""
from __future__ import annotations

from archplan.generate.hcl import Block, Expr, nested, resource
from archplan.generate.terraform import _lock
from archplan.generate.terraform._builder import ARCHIVE_PROVIDER, GOOGLE_PROVIDER, RANDOM_PROVIDER, TERRAFORM_VERSION, Terraform


def begin(tf: Terraform) -> None:
    ctx = tf.ctx
    tf.variable("project_id", "string", "GCP project to deploy into.", default=ctx.project_id, validations=[
        ("can(regex(\"^[a-z][a-z0-9-]{4,28}[a-z0-9]$\", var.project_id))",
         "project_id must be 6-30 lowercase letters, digits or hyphens, starting with a letter.")])
    tf.variable("region", "string", "Region for every regional resource (the plan's project.region).",
                default=ctx.region, validations=[
                    ("can(regex(\"^[a-z]+-[a-z]+[0-9]$\", var.region))", "region must look like asia-south1.")])
    tf.variable("prefix", "string", "Prefix of every resource name (the plan's name, and its environment).",
                default=ctx.prefix, validations=[
                    ("can(regex(\"^[a-z]([a-z0-9-]{0,22}[a-z0-9])?$\", var.prefix))",
                     "prefix must be 1-24 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen.")])
    tf.variable("labels", "map(string)", "Labels added to every resource that takes labels.", default={})


def finish(tf: Terraform) -> None:
    ctx = tf.ctx
    tf.api("serviceusage.googleapis.com", "cloudresourcemanager.googleapis.com", "logging.googleapis.com",
           "monitoring.googleapis.com")
    providers = {"google": {"source": "hashicorp/google", "version": GOOGLE_PROVIDER}}
    if "google-beta" in tf.flags:  # API Gateway's resources are in the beta provider only
        providers["google-beta"] = {"source": "hashicorp/google-beta", "version": GOOGLE_PROVIDER}
    if "random" in tf.flags:
        providers["random"] = {"source": "hashicorp/random", "version": RANDOM_PROVIDER}
    if "archive" in tf.flags:
        providers["archive"] = {"source": "hashicorp/archive", "version": ARCHIVE_PROVIDER}
    tf.files["versions.tf"] = [Block("terraform", (), {
        "required_version": TERRAFORM_VERSION,
        "required_providers": nested(providers),
        "# State in a Cloud Storage bucket (locking included); init gives the bucket, see ../README.md.": None,
        "backend": nested({}, "gcs"),
    })]
    tf.extra_files[".terraform.lock.hcl"], tf.unlocked_providers = _lock.lock_file(providers)
    provider: dict = {
        "project": Expr("var.project_id"),
        "region": Expr("var.region"),
        "default_labels": Expr("local.labels"),
    }
    if "quota_project" in tf.flags:
        # The Billing Budgets API, called with user credentials, needs a quota project: bill API quota to
        # the project itself instead of the credentials' own.
        provider["user_project_override"] = True
        provider["billing_project"] = Expr("var.project_id")
    tf.files["providers.tf"] = [Block("provider", ("google",), provider)]
    if "google-beta" in tf.flags:
        tf.files["providers.tf"].append(Block("provider", ("google-beta",), {
            "project": Expr("var.project_id"),
            "region": Expr("var.region"),
            "default_labels": Expr("local.labels"),
        }))
    labels = {"managed-by": "archplan", "plan": ctx.project.name}
    if ctx.environment:
        labels["environment"] = ctx.environment
    main = [Block("locals", (), {"labels": Expr("merge(" + _object(labels) + ", var.labels)"),
                                 "bucket_prefix": Expr('var.prefix == var.project_id ? var.project_id : '
                                                       '"${var.project_id}-${var.prefix}"'),
                                 "services": sorted(tf.apis)}),
            "Every other resource depends on these APIs, so one `terraform apply` enables them first.",
            resource("google_project_service", "enabled", {
                "for_each": Expr("toset(local.services)"),
                "project": Expr("var.project_id"),
                "service": Expr("each.value"),
                "disable_on_destroy": False,
            })]
    if "project_data" in tf.flags:
        main.append(Block("data", ("google_project", "this"), {"project_id": Expr("var.project_id")}))
    tf.files["main.tf"] = main


def _object(values: dict[str, str]) -> str:
    inner = ", ".join(f'"{k}" = "{v}"' for k, v in values.items())
    return "{ " + inner + " }"
