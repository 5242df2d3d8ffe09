"""What the Cloud Build pipelines (../cloudbuild) need from Terraform: the Docker repository they push to
(created here when the plan lists none), a build service account of their own, and exactly the roles
their steps use."""
from __future__ import annotations

from archplan.generate.context import ident
from archplan.generate.hcl import Expr, Tpl, nested, resource
from archplan.generate.terraform._builder import Terraform

BUILD_KEY = "cloud-build"


def images_needed(tf: Terraform) -> bool:
    return any(w.kind in ("cloud_run", "gke") for w in tf.ctx.pipeline_workloads)


def repository(tf: Terraform) -> str:
    """The Terraform address of the Docker repository the pipelines push to."""
    registry = tf.ctx.registry
    if registry is not None:
        return f"google_artifact_registry_repository.{ident(registry.name)}"
    from archplan.generate.terraform.artifact_registry import cleanup_policies

    tf.api("artifactregistry.googleapis.com")
    tf.add("artifact_registry.tf", "The plan lists no Docker repository; the pipelines push the services' images here.",
           resource("google_artifact_registry_repository", "images", {
               tf.cmek_skip("CKV_GCP_84"): None,
               "repository_id": Expr("var.prefix"),
               "location": Expr("var.region"),
               "format": "DOCKER",
               "labels": Expr("local.labels"),
               **cleanup_policies(),
           }))
    return "google_artifact_registry_repository.images"


def repository_of(registry) -> str:
    return f"google_artifact_registry_repository.{ident(registry.name)}"


def generate(tf: Terraform) -> None:
    ctx = tf.ctx
    if not ctx.pipeline_workloads:
        return
    tf.api("cloudbuild.googleapis.com")
    email = tf.service_account(BUILD_KEY, "Runs the Cloud Build pipelines in ../cloudbuild (build, push, deploy).")
    member = tf.member(BUILD_KEY)
    tf.project_role(BUILD_KEY, "roles/logging.logWriter", "Cloud Build writes its build logs.")
    if images_needed(tf):
        repo = repository(tf)
        building = [w for w in ctx.pipeline_workloads if w.kind in ("cloud_run", "gke")]
        used = []
        for workload in building:
            if ctx.registry_for(workload) not in used:
                used.append(ctx.registry_for(workload))
        elsewhere = sorted({w.component.region for w in building
                            if w.component.region != (ctx.registry_for(w).region if ctx.registry_for(w) else ctx.region)})
        if elsewhere:
            tf.warnings.append(f"workloads in {', '.join(elsewhere)} pull their images from a repository in another "
                               "region, and cannot start new instances while that region is down (list a docker "
                               "artifact_registry in each region)")
        for registry in used:
            # The pipelines push each image to the repository in its workload's region.
            name = "cloud_build_pushes" if registry is ctx.registry else f"cloud_build_pushes_{ident(registry.name)}"
            tf.add("iam.tf", resource("google_artifact_registry_repository_iam_member", name, {
                "location": tf.region(registry) if registry is not None else Expr("var.region"),
                "repository": Expr(f"{repo if registry is ctx.registry else repository_of(registry)}.name"),
                "role": "roles/artifactregistry.writer",
                "member": member,
            }))
    kinds = {w.kind for w in ctx.pipeline_workloads}
    if "cloud_run" in kinds:
        tf.project_role(BUILD_KEY, "roles/run.developer", "Cloud Build deploys Cloud Run revisions and moves traffic.")
    if "cloud_functions" in kinds:
        tf.project_role(BUILD_KEY, "roles/cloudfunctions.developer", "Cloud Build deploys the functions.")
        # the pipelines deploy with --build-service-account, which needs actAs on that account as well
        tf.add("iam.tf", resource("google_service_account_iam_member", "cloud_build_acts_as_functions_build", {
            "service_account_id": Expr(f"google_service_account.{ident(ctx.FUNCTION_BUILD_KEY)}.name"),
            "role": "roles/iam.serviceAccountUser",
            "member": member,
        }))
        tf.add("iam.tf", resource("google_storage_bucket_iam_member", "cloud_build_uploads_sources", {
            "bucket": Expr("google_storage_bucket.function_sources.name"),
            "role": "roles/storage.objectUser",
            "member": member,
        }))
    if "gke" in kinds:
        tf.project_role(BUILD_KEY, "roles/container.developer", "Cloud Build rolls out Deployments (DNS endpoint).")
    if ctx.private_build_pool:
        private_pool(tf)
    # Deploying a revision or function that runs as a service account needs actAs on that account.
    for workload in ctx.pipeline_workloads:
        if workload.kind != "gke" and workload.key in tf._service_accounts:
            tf.add("iam.tf", resource("google_service_account_iam_member", f"cloud_build_acts_as_{ident(workload.key)}", {
                "service_account_id": Expr(f"google_service_account.{ident(workload.key)}.name"),
                "role": "roles/iam.serviceAccountUser",
                "member": member,
            }))
    tf.output("cloud_build_service_account", email, "Service account the Cloud Build pipelines run as.")


def private_pool(tf: Terraform) -> None:
    """The pipelines of a private GKE cluster run in a private pool peered with the plan's VPC (through
    private services access): builds reach the VPC's private addresses, and their own public egress reaches
    the cluster's IAM-authenticated DNS endpoint. VPC peering is not transitive, so the pool cannot reach a
    peering-based control-plane IP; the pipelines use the DNS endpoint."""
    from archplan.components.cloud_build import Spec

    ctx = tf.ctx
    builds = ctx.of_kind("cloud_build")
    machine_type = builds[0].spec.machine_type if builds else Spec.model_fields["machine_type"].default
    tf.add("cloudbuild.tf", "Private pool for the pipelines of the private GKE cluster(s): workers peered with the VPC.",
           resource("google_cloudbuild_worker_pool", "private", {
               "#checkov:skip=CKV_GCP_86:builds pull public base images and reach the cluster's DNS endpoint over "
               "the internet, through the workers' external IPs": None,
               "name": Tpl("${var.prefix}-builds"),
               "location": Expr("var.region"),
               "worker_config": nested({"machine_type": machine_type, "no_external_ip": False}),
               "network_config": nested({"peered_network": tf.network()[0]}),
               "depends_on": [tf.private_services()],
           }))
    tf.output("cloud_build_private_pool", Expr("google_cloudbuild_worker_pool.private.id"),
              "Private pool the GKE pipelines run in (options.pool.name).")
