"""Cloud SQL for PostgreSQL or MySQL: edition, tier, REGIONAL availability for HA, backups and PITR,
private IP only where the plan says so, database flags, read replicas, and the application's database and
user (its password generated and kept in Secret Manager)."""
from __future__ import annotations

from decimal import Decimal

from archplan.components.base import Component
from archplan.generate import hcl
from archplan.generate.context import Workload, cross_region_replicas, ident, slug
from archplan.generate.hcl import Expr, Tpl, nested, resource
from archplan.generate.terraform import _workloads
from archplan.spec import api_rules
from archplan.generate.terraform._builder import Terraform

# CIS benchmark logging flags for PostgreSQL; the plan's own database_flags win.
POSTGRES_FLAGS = {
    "log_checkpoints": "on", "log_connections": "on", "log_disconnections": "on", "log_lock_waits": "on",
    "log_min_messages": "error", "log_min_error_statement": "error", "log_temp_files": "0",
    "log_min_duration_statement": "-1", "log_statement": "ddl", "log_duration": "on", "log_hostname": "on",
    "cloudsql.enable_pgaudit": "on",
}
# The majors checkov's CKV_GCP_79 accepts as current (checkov/terraform/checks/resource/gcp/CloudSqlMajorVersion.py).
CURRENT_MAJORS = {"postgres": ("18",), "mysql": ("8.0", "8.4")}
MYSQL_FLAGS = {"local_infile": "off", "skip_show_database": "on"}


# Only clients with a certificate: the Cloud SQL Auth Proxy and the language connectors present one.
SSL_MODE = "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"


def database_version(engine: str, version: str) -> str:
    return f"{engine.upper()}_{version.replace('.', '_')}"


def flags(tf: Terraform, component: Component, scale: Decimal = Decimal(1)) -> dict[str, str]:
    """The instance's flags in the API's form (integers in the parameter's unit); `scale` sizes the
    memory-sized ones for a replica."""
    spec = component.spec
    values = dict(POSTGRES_FLAGS if spec.engine == "postgres" else MYSQL_FLAGS)
    if spec.max_connections is not None:
        values["max_connections"] = str(spec.max_connections)
    for flag, value in spec.database_flags.items():
        if api_rules.flag_rule(spec.engine, flag) is None and scale == 1:
            tf.warnings.append(f"{component.name}: database flag {flag} is not in archplan's rules table; its "
                               f"value {value!r} is passed as written")
        try:
            values[flag] = api_rules.flag_value(spec.engine, flag, value, scale)
        except ValueError as error:
            raise tf.ctx.error(component, ("database_flags", flag), str(error)) from None
    return values


def tier_scale(component: Component, tier: str) -> Decimal:
    """A replica's memory over the primary's, for the flags sized from memory."""
    from archplan.components.cloud_sql import parse_tier

    if tier == component.spec.tier:
        return Decimal(1)
    return parse_tier(tier).memory_gb / parse_tier(component.spec.tier).memory_gb


def replica_settings(tf: Terraform, component: Component, tier: str, regional: bool) -> dict:
    """Settings of a read replica (in the primary's region or another): its own tier, the primary's disk and
    network, flags scaled to its memory."""
    spec = component.spec
    return {
        "tier": tier,
        "edition": spec.edition.upper(),
        "availability_type": "REGIONAL" if regional else "ZONAL",
        "disk_type": "PD_SSD" if spec.storage_type == "ssd" else "PD_HDD",
        "disk_autoresize": True,
        "user_labels": Expr("local.labels"),
        "ip_configuration": nested(ip_configuration(tf, spec)),
        "database_flags": [nested({"name": flag, "value": value})
                           for flag, value in flags(tf, component, tier_scale(component, tier)).items()],
    }


def ip_configuration(tf: Terraform, spec) -> dict:
    if spec.private_ip:
        network, _ = tf.network()
        return {"ipv4_enabled": False, "private_network": network,
                "enable_private_path_for_google_cloud_services": True, "ssl_mode": SSL_MODE}
    return {"ipv4_enabled": True, "ssl_mode": SSL_MODE}


def generate(tf: Terraform, component: Component) -> None:
    ctx = tf.ctx
    spec = component.spec
    name = ident(component.name)
    tf.api("sqladmin.googleapis.com")
    tf.commitment_not_bought(component, spec.commitment, spec.tier, "the Billing console's committed use "
                             "discounts page, spend-based")
    tf.flags.add("random")
    version = database_version(spec.engine, ctx.sql_version(component))
    backup: dict = {"enabled": spec.backups.enabled, "start_time": "21:00"}
    if ctx.project.data_residency:
        backup["location"] = Expr("var.region")
    if spec.engine == "postgres":
        backup["point_in_time_recovery_enabled"] = spec.backups.pitr
    else:
        backup["binary_log_enabled"] = spec.backups.pitr
    if spec.backups.pitr:
        backup["transaction_log_retention_days"] = spec.backups.log_retention_days
    backup["backup_retention_settings"] = nested({"retained_backups": spec.backups.retained_backups,
                                                  "retention_unit": "COUNT"})
    settings: dict = {
        "edition": spec.edition.upper(),
        "tier": spec.tier,
        "availability_type": "REGIONAL" if spec.ha else "ZONAL",
        "disk_type": "PD_SSD" if spec.storage_type == "ssd" else "PD_HDD",
        "disk_size": spec.storage_gb,
        "disk_autoresize": True,
        "deletion_protection_enabled": spec.deletion_protection,
        "user_labels": Expr("local.labels"),
        "backup_configuration": nested(backup),
        "ip_configuration": nested(ip_configuration(tf, spec)),
        "database_flags": [nested({"name": flag, "value": value}) for flag, value in flags(tf, component).items()],
        "insights_config": nested({"query_insights_enabled": True, "record_application_tags": False,
                                   "record_client_address": False}),
        "maintenance_window": nested({"day": 7, "hour": 22, "update_track": "stable"}),
    }
    body: dict = {}
    skips = []
    if not spec.private_ip:
        skips.append("CKV_GCP_60:the plan sets private_ip false; no authorized network is open, clients connect "
                     "through the Cloud SQL connectors (IAM-checked, TLS)")
    if not spec.backups.enabled:
        skips.append("CKV_GCP_14:the plan turns backups off (backups.enabled false)")
    if spec.engine == "mysql" and not spec.backups.pitr:
        skips.append("CKV2_GCP_20:the plan sets backups.pitr false")
    major = ctx.sql_version(component)
    if major not in CURRENT_MAJORS[spec.engine]:
        stated = f"the plan pins {spec.engine} {major}" if spec.version else \
            f"the plan sets no version; archplan uses Cloud SQL's default, {spec.engine} {major}"
        skips.append(f"CKV_GCP_79:{stated}")
    body.update({f"#checkov:skip={skip}": None for skip in skips})
    body.update({
        "name": tf.named(component),
        "region": tf.region(component),
        "database_version": version,
        "deletion_protection": spec.deletion_protection,
        "settings": nested(settings),
    })
    if spec.private_ip:
        body["depends_on"] = [tf.private_services()]
    if any(r.dr_replica for r in spec.cross_region_replicas):
        # The DR designation names an existing replica, so it is set after the first apply (gcloud, in the
        # region-outage runbook), and failover/switchover move it: Terraform leaves it alone.
        body["lifecycle"] = nested({"ignore_changes": [Expr("replication_cluster")]})
    tf.add("cloud_sql.tf", tf.about(component), resource("google_sql_database_instance", name, body))
    replica_skips = ["CKV2_GCP_20:read replicas cannot take backups; the primary's backups cover them"
                     ] if spec.engine == "mysql" else []
    replica_skips += [skip for skip in skips if skip.startswith(("CKV_GCP_60", "CKV_GCP_79"))]
    if spec.read_replicas:
        tf.add("cloud_sql.tf", f"{component.name}: {spec.read_replicas} read replica(s) (read_replicas in the plan).",
               resource("google_sql_database_instance", f"{name}_replica", {
                   **{f"#checkov:skip={skip}": None for skip in replica_skips},
                   "count": spec.read_replicas,
                   "name": Tpl(f"${{var.prefix}}-{slug(component.name)}-replica-${{count.index + 1}}"),
                   "region": tf.region(component),
                   "database_version": version,
                   "master_instance_name": Expr(f"google_sql_database_instance.{name}.name"),
                   "deletion_protection": spec.deletion_protection,
                   "replica_configuration": nested({"failover_target": False}),
                   "settings": nested(replica_settings(tf, component, spec.replica_tier or spec.tier, False)),
               }))
    for replica, address, suffix in cross_region_replicas(component):
        tier = replica.tier or spec.tier
        role = "the designated DR replica (advanced disaster recovery): designate it once after the first apply, " \
            "fail over to it" if replica.dr_replica else "promoted by hand"
        tf.add("cloud_sql.tf", f"{component.name}: cross-region replica in {replica.region} (cross_region_replicas in "
                               f"the plan); {role} when {component.region} is lost (see ../runbooks).",
               resource("google_sql_database_instance", address, {
                   **{f"#checkov:skip={skip}": None for skip in replica_skips},
                   "name": Tpl(f"${{var.prefix}}-{suffix}"),
                   "region": tf.region(replica.region),
                   "database_version": version,
                   "master_instance_name": Expr(f"google_sql_database_instance.{name}.name"),
                   "deletion_protection": spec.deletion_protection,
                   "replica_configuration": nested({"failover_target": False}),
                   "settings": nested(replica_settings(tf, component, tier, replica.ha)),
               }))
        tf.output(f"{address}_connection_name", Expr(f"google_sql_database_instance.{address}.connection_name"),
                  f"Connection name of {component.name}'s replica in {replica.region} (after promotion, the "
                  "workloads connect here).")
    databases = spec.databases or [ctx.database_name(component)]
    for database in databases:
        tf.add("cloud_sql.tf", resource("google_sql_database", f"{name}_{ident(database)}", {
            "name": database,
            "instance": Expr(f"google_sql_database_instance.{name}.name"),
        }))
    # An ephemeral password: generated during the apply, written only through write-only arguments, so it
    # is in neither the state nor the plan. Both take version 1; to rotate, raise both versions.
    tf.add("cloud_sql.tf", hcl.Block("ephemeral", ("random_password", f"{name}_app"), {"length": 32, "special": False}))
    user: dict = {
        "name": ctx.database_user(component),
        "instance": Expr(f"google_sql_database_instance.{name}.name"),
        "password_wo": Expr(f"ephemeral.random_password.{name}_app.result"),
        "password_wo_version": 1,
    }
    if spec.engine == "mysql":
        user["host"] = "%"
    tf.add("cloud_sql.tf", resource("google_sql_user", f"{name}_app", user))
    _workloads.database_password(tf, component, Expr(f"ephemeral.random_password.{name}_app.result"))
    tf.output(f"{name}_connection_name", Expr(f"google_sql_database_instance.{name}.connection_name"),
              f"Connection name of Cloud SQL instance {component.name} (for the connectors and the proxy).")
    if spec.private_ip:
        tf.output(f"{name}_private_ip", Expr(f"google_sql_database_instance.{name}.private_ip_address"),
                  f"Private IP of Cloud SQL instance {component.name}.")


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    # Cloud SQL has no per-instance IAM: connecting needs the project-level client role.
    tf.project_role(workload.key, "roles/cloudsql.client",
                    f"{workload.key} connects to Cloud SQL ({component.name}).")
