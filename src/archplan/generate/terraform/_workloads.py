"""What every workload (Cloud Run service, Cloud Function, GKE Deployment) shares in Terraform: its
environment and secrets, its own service account, and the least-privilege roles its dependencies need
(each dependency's kind module says which, in its `grant`)."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate import links
from archplan.generate.context import Workload, ident
from archplan.generate.hcl import Expr, resource
from archplan.generate.terraform._builder import Terraform, accessor_name


# How to name a callable service in Terraform, by kind: its URL and its Cloud Run service name.
SERVICE_URLS = {"cloud_run": "google_cloud_run_v2_service.{}.uri",
                "cloud_functions": "google_cloudfunctions2_function.{}.url"}
SERVICE_NAMES = {"cloud_run": "google_cloud_run_v2_service.{}.name",
                 "cloud_functions": "google_cloudfunctions2_function.{}.name"}


def listed_regions(tf: Terraform, secret_id: str) -> list[str] | None:
    """The replica regions of a secret a secret_manager component lists with replication_regions, if any."""
    return next((c.spec.replication_regions for c in tf.ctx.of_kind("secret_manager")
                 if isinstance(c.spec.secrets, list) and secret_id in c.spec.secrets and c.spec.replication_regions),
                None)


def database_password_of(tf: Terraform, secret_id: str) -> Component | None:
    """The Cloud SQL instance whose generated password secret has this plan secret's id (a plan that lists
    db-password for its database `db`): that secret is the database's, written once, by cloud_sql."""
    wanted = tf.ctx.plan_secret_id(secret_id)
    return tf.ctx.database_with_password_secret(wanted)


def listed_database_password(tf: Terraform, sql: Component) -> str | None:
    """The secret a secret_manager component lists that is this database's generated password, if any."""
    return next((secret for c in tf.ctx.of_kind("secret_manager") if isinstance(c.spec.secrets, list)
                 for secret in c.spec.secrets if database_password_of(tf, secret) is sql), None)


def plan_secret_name(tf: Terraform, secret_id: str) -> str:
    """The Terraform name of the secret a plan names (a database's generated password where it is one)."""
    sql = database_password_of(tf, secret_id)
    return f"{ident(sql.name)}_password" if sql is not None else f"secret_{ident(secret_id)}"


def plan_secret(tf: Terraform, secret_id: str) -> str:
    """The Terraform name of a secret the plan names. archplan creates it and its first version, whose value
    only the user knows: a sensitive variable supplies it through a write-only argument (never in state). A
    secret that is a database's generated password is left to cloud_sql, which writes it with its value."""
    name = plan_secret_name(tf, secret_id)
    if name not in tf._secrets and database_password_of(tf, secret_id) is None:
        tf.secret(tf.ctx.plan_secret_id(secret_id), name, f"Secret {secret_id}: the plan names it; its first version comes from the "
                                   f"sensitive variable {name} (later versions: gcloud secrets versions add).",
                  listed_regions(tf, secret_id))
        value = tf.variable(name, "string", f"Value of secret {secret_id} (you supply it; sent to Secret Manager "
                                            "through a write-only argument, never stored in the state).",
                            sensitive=True, nullable=False, ephemeral=True)
        tf.secret_version(name, value)
    return name


def deploy_dependencies(tf: Terraform, workload: Workload, secrets: list[tuple[str, Expr, str]]) -> list[Expr]:
    """What must exist before the workload's revision can start: each secret version it reads and its
    service account's access to that secret. A pinned version number is the user's to add."""
    needed: list[Expr] = []
    for env_name, secret, version in secrets:
        terraform_name = str(secret).split(".")[1]
        if version == "latest":
            needed.append(Expr(f"google_secret_manager_secret_version.{terraform_name}"))
        elif (terraform_name, version) not in tf.user_supplied:
            tf.user_supplied.append((terraform_name, version))
        needed.append(Expr(f"google_secret_manager_secret_iam_member.{accessor_name(workload.key, terraform_name)}"))
    return list(dict.fromkeys(needed))


def env(tf: Terraform, workload: Workload) -> tuple[list[tuple[str, object]], list[tuple[str, Expr, str]]]:
    """(plain variables, secret variables as (name, secret id expression, version))."""
    ctx = tf.ctx
    plain: list[tuple[str, object]] = []
    secrets: list[tuple[str, Expr, str]] = []
    used = tf.workload_secrets.setdefault(workload.key, [])
    if "GOOGLE_CLOUD_PROJECT" not in workload.fields.env:
        plain.append(("GOOGLE_CLOUD_PROJECT", Expr("var.project_id")))
    for link in links.linked_env(ctx, workload):
        if workload.kind == "gke" and link.published is not None:
            used.append(link.published[1])
            continue
        if link.secret is not None:
            name = str(link.secret_terraform).split(".")[1]
            secrets.append((link.name, link.secret_terraform, "latest"))
            used.append(name)
        else:
            plain.append((link.name, link.terraform))
    for env_name, value in ctx.plain_env(workload).items():
        plain.append((env_name, value))
    for env_name, ref in ctx.secret_refs(workload).items():
        name = plan_secret(tf, ref.secret)
        secrets.append((env_name, Expr(f"google_secret_manager_secret.{name}.secret_id"), ref.version))
        used.append(name)
    for env_name, literal in ctx.literal_secrets(workload).items():
        name = f"literal_{ident(workload.key)}_{ident(env_name)}"
        variable = tf.variable(literal.variable, "string",
                               f"Value of {env_name} for {workload.key} (marked secret in the plan; stored in Secret "
                               "Manager, never in these files or the state).", sensitive=True, nullable=False,
                               ephemeral=True)
        tf.secret(literal.secret_id, name, f"{env_name} of {workload.key}: the plan marks its value secret, so "
                                           f"it comes from the sensitive variable {literal.variable}.")
        tf.secret_version(name, variable)
        secrets.append((env_name, Expr(f"google_secret_manager_secret.{name}.secret_id"), "latest"))
        used.append(name)
    return plain, secrets


def generate(tf: Terraform, modules: dict) -> None:
    ctx = tf.ctx
    for workload in ctx.workloads:
        if workload.key not in tf._service_accounts:
            continue  # its kind module made no service account (e.g. a GKE cluster without Workload Identity)
        for dependency in workload.dependencies:
            grant = getattr(modules[dependency.kind], "grant", None)
            if grant is not None:
                grant(tf, dependency, workload)
        for role in workload.fields.service_account_roles:
            tf.project_role(workload.key, role, f"{role} for {workload.key}: listed in the plan's "
                                                "service_account_roles.")
        for secret_name in dict.fromkeys(tf.workload_secrets.get(workload.key, [])):
            tf.secret_accessor(workload.key, secret_name)
    for component in ctx.of_kind(*ctx.CALLER_KINDS):  # jobs' and VMs' depends_on are calls: the same grants
        runner = ctx.caller(component)
        for dependency in runner.dependencies:
            grant = getattr(modules[dependency.kind], "grant", None)
            if grant is not None:
                grant(tf, dependency, runner)
        for secret_name in dict.fromkeys(tf.workload_secrets.get(runner.key, [])):
            tf.secret_accessor(runner.key, secret_name)


def job_invoker(tf: Terraform, job: Component, caller: str) -> None:
    """Let another service account (by key) start executions of a Cloud Run job (roles/run.invoker holds
    run.jobs.run)."""
    tf.add("iam.tf", resource("google_cloud_run_v2_job_iam_member", f"{ident(caller)}_runs_{ident(job.name)}", {
        "project": Expr("var.project_id"),
        "location": tf.region(job),
        "name": Expr(f"google_cloud_run_v2_job.{ident(job.name)}.name"),
        "role": "roles/run.invoker",
        "member": tf.member(caller),
    }))


def invoker(tf: Terraform, component: Component, caller: Workload | str, service_expr: Expr) -> None:
    """Let a workload (or another service account, by key) call a private Cloud Run service or 2nd-gen
    function."""
    key = caller if isinstance(caller, str) else caller.key
    tf.add("iam.tf", resource("google_cloud_run_v2_service_iam_member",
                              f"{ident(key)}_invokes_{ident(component.name)}", {
                                  "project": Expr("var.project_id"),
                                  "location": tf.region(component),
                                  "name": service_expr,
                                  "role": "roles/run.invoker",
                                  "member": tf.member(key),
                              }))


def outside_callers(tf: Terraform, component: Component) -> list[Component]:
    """Callers whose requests reach the service or function from outside the VPC (components/cloud_run.py)."""
    from archplan.components.cloud_run import outside_callers as callers

    return callers(component, tf.ctx.plan.components)
