"""Cloud Run v2 services: scaling, concurrency, CPU allocation, probes, a service account of their own,
secrets from Secret Manager, the Cloud SQL connection and Direct VPC egress."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate import units
from archplan.generate.context import Workload, ident
from archplan.generate.hcl import Expr, nested, resource
from archplan.generate.terraform import _workloads
from archplan.generate.terraform._builder import Terraform

INGRESS = {"all": "INGRESS_TRAFFIC_ALL", "internal": "INGRESS_TRAFFIC_INTERNAL_ONLY",
           "internal-and-cloud-load-balancing": "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"}
EGRESS = {"private-ranges-only": "PRIVATE_RANGES_ONLY", "all-traffic": "ALL_TRAFFIC"}
# Until Cloud Build pushes the service's own image, it runs Google's sample container (it serves any path on $PORT).
PLACEHOLDER_IMAGE = "us-docker.pkg.dev/cloudrun/container/hello"


def workload_of(tf: Terraform, component: Component) -> Workload:
    return tf.ctx.workload_named(component.kind, component.name)


def behind_load_balancer(ctx, component: Component) -> bool:
    return component.name in ctx.backend_names


def invoker_iam_disabled(ctx, component: Component) -> bool:
    """Cloud Run's invoker IAM check is off: the service is behind the load balancer, whose serverless NEG
    forwards requests without an identity token (a public service is opened by its allUsers grant instead)."""
    return not component.spec.allow_unauthenticated and behind_load_balancer(ctx, component)


def probes(fields, port_name: str = "port") -> dict:
    if fields.health_check_path:
        check = {"http_get": nested({"path": fields.health_check_path, "port": fields.port})}
    else:
        check = {"tcp_socket": nested({"port": fields.port})}
    return {
        "startup_probe": nested({"initial_delay_seconds": 0, "period_seconds": 5, "timeout_seconds": 3,
                                 "failure_threshold": 24, **check}),
        "liveness_probe": nested({"period_seconds": 15, "timeout_seconds": 3, "failure_threshold": 3,
                                  **({"http_get": check["http_get"]} if "http_get" in check else
                                     {"tcp_socket": check["tcp_socket"]})}),
    }


def generate(tf: Terraform, component: Component) -> None:
    ctx = tf.ctx
    spec = component.spec
    workload = workload_of(tf, component)
    tf.api("run.googleapis.com")
    name = ident(component.name)
    email = tf.service_account(workload.key, f"Runs the Cloud Run service {component.name}.")
    plain, secrets = _workloads.env(tf, workload)
    container: dict = {
        "image": spec.image or PLACEHOLDER_IMAGE,
        "ports": nested({"container_port": spec.port}),
        "resources": nested({
            "limits": {"cpu": units.cpu(spec.cpu), "memory": units.memory(spec.memory)},
            # request: CPU only while serving (request-based billing); always: instance-based billing.
            "cpu_idle": spec.cpu_allocation == "request",
            "startup_cpu_boost": True,
        }),
    }
    if spec.gpu:
        container["resources"].body["limits"]["nvidia.com/gpu"] = str(spec.gpu)
    env_blocks = [nested({"name": key, "value": value}) for key, value in plain]
    env_blocks += [nested({"name": key, "value_source": nested({"secret_key_ref": nested(
        {"secret": secret, "version": version})})}) for key, secret, version in secrets]
    if env_blocks:
        container["env"] = env_blocks
    sql = ctx.linked(workload, "cloud_sql")
    if sql:
        container["volume_mounts"] = nested({"name": "cloudsql", "mount_path": "/cloudsql"})
    container.update(probes(spec))
    template: dict = {
        "service_account": email,
        "timeout": f"{spec.timeout_seconds}s",
        "max_instance_request_concurrency": spec.concurrency,
        "execution_environment": "EXECUTION_ENVIRONMENT_GEN2",
        "labels": Expr("local.labels"),
        "scaling": nested({"min_instance_count": spec.min_instances, "max_instance_count": spec.max_instances}),
    }
    if spec.gpu:
        template["node_selector"] = nested({"accelerator": spec.gpu_type})
        template["gpu_zonal_redundancy_disabled"] = not spec.gpu_zonal_redundancy
    egress = ctx.vpc_egress(workload)
    connectors = ctx.linked(workload, "vpc_connector")
    if connectors:
        from archplan.generate.terraform.vpc_connector import reference

        template["vpc_access"] = nested({"connector": reference(connectors[0]),
                                         "egress": EGRESS["private-ranges-only" if egress == "none" else egress]})
    elif egress != "none":
        network, subnetwork = tf.network(component.region)
        if spec.vpc_egress == "none":
            private = ", ".join(d.name for d in ctx.private_dependencies(workload)) or "private addresses"
            template[f"# The plan leaves vpc_egress at none, but the service calls {private}, reachable only "
                     "inside the VPC: egress to private ranges goes through the VPC."] = None
        template["vpc_access"] = nested({
            "network_interfaces": nested({"network": network, "subnetwork": subnetwork}),
            "egress": EGRESS[egress],
        })
    if sql:
        template["volumes"] = nested({"name": "cloudsql", "cloud_sql_instance": nested({
            "instances": [Expr(f"google_sql_database_instance.{ident(s.name)}.connection_name") for s in sql]})})
    template["containers"] = nested(container)
    body: dict = {
        "name": tf.named(component),
        "location": tf.region(component),
        "ingress": INGRESS[spec.ingress],
        "labels": Expr("local.labels"),
        "deletion_protection": False,
    }
    if invoker_iam_disabled(ctx, component):
        body["# Behind the load balancer: its serverless NEG forwards requests without an identity token, so "
             "Cloud Run's IAM check is off and ingress admits only the load balancer."] = None
        body["invoker_iam_disabled"] = True
        if spec.ingress == "all":
            tf.warnings.append(f"{component.name}: behind a load balancer with ingress all, so its run.app URL is "
                               "public too; set ingress: internal-and-cloud-load-balancing")
    outside = _workloads.outside_callers(tf, component)
    if spec.ingress != "all" and outside:
        names = ", ".join(c.name for c in outside)
        tf.warnings.append(f"{component.name}: ingress {spec.ingress} refuses the requests of {names}, which reach it "
                           "from outside the VPC (API Gateway, or Cloud Run without vpc_egress: all-traffic): set "
                           "ingress: all (IAM still admits only the invokers the plan grants) or route the callers "
                           "through the VPC")
    body["template"] = nested(template)
    if not spec.image:
        body["# Cloud Build deploys each new image (see ../cloudbuild); Terraform keeps everything else."] = None
        body["lifecycle"] = nested({"ignore_changes": [Expr("template[0].containers[0].image"), Expr("client"),
                                                       Expr("client_version")]})
    else:
        body["# The plan pins the image: Terraform deploys it, and no pipeline in ../cloudbuild does."] = None
    needs = _workloads.deploy_dependencies(tf, workload, secrets)
    if needs:
        body["depends_on"] = needs
    tf.add("cloud_run.tf", tf.about(component), resource("google_cloud_run_v2_service", name, body))
    if spec.allow_unauthenticated:
        tf.add("cloud_run.tf", f"{component.name} is public: the plan sets allow_unauthenticated.",
               resource("google_cloud_run_v2_service_iam_member", f"{name}_public", {
                   "project": Expr("var.project_id"),
                   "location": tf.region(component),
                   "name": Expr(f"google_cloud_run_v2_service.{name}.name"),
                   "role": "roles/run.invoker",
                   "member": "allUsers",
               }))
    tf.output(f"{name}_url", Expr(f"google_cloud_run_v2_service.{name}.uri"), f"URL of the Cloud Run service "
                                                                                f"{component.name}.")


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    """A workload that depends on this service may invoke it."""
    _workloads.invoker(tf, component, workload, Expr(f"google_cloud_run_v2_service.{ident(component.name)}.name"))
