"""Cloud Run jobs: tasks, parallelism, retries and timeout as the plan states them, run as a service
account of their own, which gets the roles its depends_on need (terraform/_workloads.py) and the variables they
give a service (generate/links.py), with Direct VPC egress to private ranges when it reaches a private database,
cache, index or VM."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate import units
from archplan.generate.context import ident
from archplan.generate.hcl import Expr, nested, resource
from archplan.generate.terraform import _workloads
from archplan.generate.terraform._builder import Terraform

PLACEHOLDER_IMAGE = "us-docker.pkg.dev/cloudrun/container/job"  # Google's sample job image


def grant(tf: Terraform, component: Component, workload) -> None:
    """A service, function or job that depends on the job may start executions of it (roles/run.invoker holds
    run.jobs.run); it is told the job's name (generate/links.py)."""
    _workloads.job_invoker(tf, component, workload.key)


def generate(tf: Terraform, component: Component) -> None:
    spec = component.spec
    tf.api("run.googleapis.com")
    name = ident(component.name)
    email = tf.service_account(component.name, f"Runs the Cloud Run job {component.name}.")
    for role in spec.service_account_roles:
        tf.project_role(component.name, role, f"{component.name} needs {role} (service_account_roles in the plan).")
    if not spec.image:
        # no pipeline builds a job's image (cloudbuild/ deploys services): without one it runs Google's sample
        tf.warnings.append(f"{component.name}: the plan names no image, so the job runs Google's sample job "
                           f"({PLACEHOLDER_IMAGE}) and no pipeline in cloudbuild/ builds one: set `image` in the plan")
    container: dict = {
        "image": spec.image or PLACEHOLDER_IMAGE,
        "resources": nested({"limits": {"cpu": units.cpu(spec.cpu), "memory": units.memory(spec.memory)}}),
    }
    # what its depends_on give it (a bucket's name, a database's or index's address), as a service gets them
    plain, secrets = _workloads.env(tf, tf.ctx.caller(component))
    env_blocks = [nested({"name": key, "value": value}) for key, value in plain]
    env_blocks += [nested({"name": key, "value_source": nested({"secret_key_ref": nested(
        {"secret": secret, "version": version})})}) for key, secret, version in secrets]
    if env_blocks:
        container["env"] = env_blocks
    execution: dict = {"task_count": spec.tasks}
    if spec.parallelism is not None:
        execution["parallelism"] = spec.parallelism
    task: dict = {
        "service_account": email,
        "max_retries": spec.max_retries,
        "timeout": f"{spec.timeout_seconds}s",
    }
    private = tf.ctx.private_dependencies(tf.ctx.caller(component))
    if private:
        network, subnetwork = tf.network(component.region)
        task[f"# {', '.join(d.name for d in private)}: reached over the VPC (private ranges only)."] = None
        task["vpc_access"] = nested({"network_interfaces": nested({"network": network, "subnetwork": subnetwork}),
                                     "egress": "PRIVATE_RANGES_ONLY"})
    task["containers"] = nested(container)
    execution["template"] = nested(task)
    tf.add("cloud_run.tf", tf.about(component), resource("google_cloud_run_v2_job", name, {
        "name": tf.named(component),
        "location": tf.region(component),
        "deletion_protection": False,
        "labels": Expr("local.labels"),
        "template": nested(execution),
    }))
