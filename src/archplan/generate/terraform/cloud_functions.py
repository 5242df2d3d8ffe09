"""Cloud Functions (2nd gen): runtime, sizes, scaling, a service account of its own, secrets from Secret
Manager, and an HTTP or Pub/Sub trigger. A placeholder source is created with the function; Cloud Build
uploads the real one (see ../cloudbuild)."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate import hcl, units
from archplan.generate.context import Workload, ident, slug
from archplan.generate.hcl import Expr, Tpl, nested, resource
from archplan.generate.terraform import _workloads
from archplan.generate.terraform._function_sources import placeholder_files
from archplan.generate.terraform._builder import Terraform
from archplan.generate.terraform.cloud_run import workload_of


# What the account a function's build runs as needs (https://cloud.google.com/functions/docs/securing/build-custom-sa,
# "Grant permissions"). Project-wide: the build pushes to gcf-artifacts and reads the source from
# gcf-v2-sources-<project number>-<region>, a repository and a bucket the service creates on the first deploy
# (https://cloud.google.com/functions/docs/building), so no grant on either can be made before it.
BUILD_ROLES = (("roles/logging.logWriter", "write the build logs"),
               ("roles/artifactregistry.writer", "push the built image to the gcf-artifacts repository"),
               ("roles/storage.objectViewer", "read the function's source"))


def build_account(tf: Terraform) -> tuple[Expr, list[Expr]]:
    """The functions' build service account, made once with its roles: its id (what build_config.service_account
    takes, projects/<project>/serviceAccounts/<email>) and the grants a build waits for. Without it a build runs
    as the project's default build account, which has no role in projects created since mid-2024, so the
    first build fails (the same page)."""
    key = tf.ctx.FUNCTION_BUILD_KEY
    tf.service_account(key, "Cloud Build builds the functions' sources as this account (build_config.service_account).")
    grants = [tf.project_role(key, role, f"The functions' builds {why} ({role}).") for role, why in BUILD_ROLES]
    return Expr(f"google_service_account.{ident(key)}.id"), grants


def source_bucket(tf: Terraform) -> Expr:
    if "function_sources" not in tf.flags:
        tf.flags.add("function_sources")
        tf.add("cloud_functions.tf", "Source archives of the functions, uploaded by Cloud Build.",
               resource("google_storage_bucket", "function_sources", {
                   "#checkov:skip=CKV_GCP_62:access is recorded by Cloud Audit Logs; build sources need no usage "
                   "logs": None,
                   "name": Tpl("${local.bucket_prefix}-function-sources"),
                   "location": Expr("upper(var.region)"),
                   "uniform_bucket_level_access": True,
                   "public_access_prevention": "enforced",
                   "labels": Expr("local.labels"),
                   "versioning": nested({"enabled": True}),
                   "lifecycle_rule": nested({"action": nested({"type": "Delete"}),
                                             "condition": nested({"num_newer_versions": 10})}),
               }))
        tf.output("function_sources_bucket", Expr("google_storage_bucket.function_sources.name"),
                  "Bucket Cloud Build uploads function sources to.")
    return Expr("google_storage_bucket.function_sources.name")


def source_object(tf: Terraform, component: Component) -> str:
    """The source archive the function is created from, in this configuration: a placeholder for its runtime
    (_function_sources), zipped by the archive provider and uploaded to the sources bucket, so the first apply
    creates the function before Cloud Build has uploaded the real source. Returns the object's address."""
    name = ident(component.name)
    folder = f"function_sources/{slug(component.name)}"
    object_name = f"{component.name}/source.zip"  # where Cloud Build uploads it
    spec = component.spec
    files = placeholder_files(spec.runtime, spec.entry_point, spec.trigger == "pubsub")
    tf.flags.add("archive")
    for filename, text in files.items():
        tf.extra_files[f"{folder}/{filename}"] = text
    tf.add("cloud_functions.tf", hcl.Block("data", ("archive_file", f"{name}_placeholder"), {
        "type": "zip",
        "source_dir": Tpl(f"${{path.module}}/{folder}"),
        "output_path": Tpl(f"${{path.module}}/.build/{slug(component.name)}-placeholder.zip"),
    }), resource("google_storage_bucket_object", f"{name}_source", {
        "name": object_name,
        "bucket": source_bucket(tf),
        "source": Expr(f"data.archive_file.{name}_placeholder.output_path"),
        "# Cloud Build uploads the real source over it; Terraform only creates the first one.": None,
        "lifecycle": nested({"ignore_changes": [Expr("detect_md5hash"), Expr("source")]}),
    }))
    return f"google_storage_bucket_object.{name}_source.name"


def ingress(tf: Terraform, component: Component) -> str:
    if component.spec.allow_unauthenticated or _workloads.outside_callers(tf, component):
        return "ALLOW_ALL"  # IAM still admits only the invokers the plan grants
    behind_lb = component.name in tf.ctx.backend_names
    # Internal traffic includes Cloud Scheduler, Pub/Sub and Eventarc in the same project.
    return "ALLOW_INTERNAL_AND_GCLB" if behind_lb else "ALLOW_INTERNAL_ONLY"


def generate(tf: Terraform, component: Component) -> None:
    ctx = tf.ctx
    spec = component.spec
    name = ident(component.name)
    workload = workload_of(tf, component)
    tf.api("cloudfunctions.googleapis.com", "cloudbuild.googleapis.com", "run.googleapis.com",
           "artifactregistry.googleapis.com")
    email = tf.service_account(workload.key, f"Runs the Cloud Function {component.name}.")
    plain, secrets = _workloads.env(tf, workload)
    source = Expr(source_object(tf, component))
    builder, build_grants = build_account(tf)
    service: dict = {
        "available_cpu": str(spec.cpu.normalize()) if spec.cpu < 1 else units.cpu(spec.cpu),
        "available_memory": units.memory(spec.memory),
        "min_instance_count": spec.min_instances,
        "max_instance_count": spec.max_instances,
        "max_instance_request_concurrency": spec.concurrency,
        "timeout_seconds": spec.timeout_seconds,
        "service_account_email": email,
        "ingress_settings": ingress(tf, component),
        "all_traffic_on_latest_revision": True,
    }
    if plain:
        service["environment_variables"] = {key: value for key, value in plain}
    if secrets:
        service["secret_environment_variables"] = [nested({
            "key": key, "project_id": Expr("var.project_id"), "secret": secret, "version": version})
            for key, secret, version in secrets]
    connectors = ctx.linked(workload, "vpc_connector")
    if connectors:
        from archplan.generate.terraform.vpc_connector import reference

        service["vpc_connector"] = reference(connectors[0])
        service["vpc_connector_egress_settings"] = "PRIVATE_RANGES_ONLY"
    body: dict = {}
    outside = _workloads.outside_callers(tf, component)
    if outside and not spec.allow_unauthenticated:
        verb = "calls" if len(outside) == 1 else "call"
        body[f"#checkov:skip=CKV_GCP_124:{', '.join(c.name for c in outside)} {verb} it from outside the VPC, which "
             "ingress internal refuses; IAM admits only the invokers the plan grants"] = None
    body.update({
        "name": tf.named(component),
        "location": tf.region(component),
        "labels": Expr("local.labels"),
        "build_config": nested({
            "runtime": spec.runtime,
            "entry_point": spec.entry_point,
            "source": nested({"storage_source": nested({"bucket": source_bucket(tf), "object": source})}),
            "service_account": builder,
        }),
        "service_config": nested(service),
    })
    if spec.trigger == "pubsub":
        pubsub = ctx.components[spec.trigger_component]  # a pubsub component (checked when the plan loads)
        from archplan.generate.terraform.pubsub import topic_ref

        tf.project_role(workload.key, "roles/eventarc.eventReceiver",
                        f"{workload.key} receives its trigger's events through Eventarc.")
        tf.api("eventarc.googleapis.com")
        body["event_trigger"] = nested({
            "trigger_region": tf.region(component),
            "event_type": "google.cloud.pubsub.topic.v1.messagePublished",
            "pubsub_topic": Expr(f"google_pubsub_topic.{topic_ref(pubsub, pubsub.spec.topics[0])}.id"),
            "retry_policy": "RETRY_POLICY_RETRY",
            "service_account_email": email,
        })
        _workloads.invoker(tf, component, workload, Expr(f"google_cloudfunctions2_function.{name}.name"))
    body["# Cloud Build uploads new sources and redeploys; Terraform keeps everything else."] = None
    body["lifecycle"] = nested({"ignore_changes": [Expr("build_config[0].source")]})
    body["depends_on"] = _workloads.deploy_dependencies(tf, workload, secrets) + build_grants
    tf.add("cloud_functions.tf", tf.about(component), resource("google_cloudfunctions2_function", name, body))
    from archplan.generate.terraform.cloud_run import behind_load_balancer

    if spec.allow_unauthenticated or behind_load_balancer(ctx, component):
        why = "the plan sets allow_unauthenticated" if spec.allow_unauthenticated else \
            "the load balancer forwards requests without an identity token (ingress admits only it)"
        tf.add("cloud_functions.tf", f"{component.name} is public: {why}.",
               resource("google_cloud_run_v2_service_iam_member", f"{name}_public", {
                   "project": Expr("var.project_id"),
                   "location": tf.region(component),
                   "name": Expr(f"google_cloudfunctions2_function.{name}.name"),
                   "role": "roles/run.invoker",
                   "member": "allUsers",
               }))
    tf.output(f"{name}_url", Expr(f"google_cloudfunctions2_function.{name}.url"),
              f"URL of the Cloud Function {component.name}.")


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    _workloads.invoker(tf, component, workload, Expr(f"google_cloudfunctions2_function.{ident(component.name)}.name"))
