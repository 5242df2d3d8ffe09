"""AlloyDB for PostgreSQL on the plan's VPC through private services access: the cluster with continuous
and daily automated backups and the application's user (its password generated and kept in Secret Manager,
as Cloud SQL's is), its primary instance (REGIONAL when the plan asks for HA, else ZONAL) and a READ_POOL
instance per read pool, connections TLS-only."""
from __future__ import annotations

from archplan.components.alloydb import CONTINUOUS_BACKUP_DAYS, vcpus
from archplan.components.base import Component
from archplan.generate.context import Workload, ident, slug
from archplan.generate.hcl import Expr, Tpl, nested, resource
from archplan.generate.terraform import _workloads
from archplan.generate.terraform._builder import Terraform


def _instance(tf: Terraform, component: Component, suffix: str, body: dict) -> dict:
    name = ident(component.name)
    return {
        "cluster": Expr(f"google_alloydb_cluster.{name}.name"),
        "instance_id": Tpl(f"${{var.prefix}}-{slug(component.name)}-{suffix}"),
        **body,
        "client_connection_config": nested({"ssl_config": nested({"ssl_mode": "ENCRYPTED_ONLY"})}),
        "labels": Expr("local.labels"),
    }


def generate(tf: Terraform, component: Component) -> None:
    ctx = tf.ctx
    spec = component.spec
    tf.api("alloydb.googleapis.com")
    network, _ = tf.network()
    name = ident(component.name)
    tf.flags.add("random")
    # The application's user is the cluster's initial user (https://cloud.google.com/alloydb/docs/reference/rest/
    # v1/projects.locations.clusters: initialUser, set up when the cluster is created). initial_user has no
    # write-only argument in the google provider 6.50, so unlike Cloud SQL's this password is a resource's and
    # is kept (sensitive) in the state, as the cluster keeps it too.
    tf.add("alloydb.tf", resource("random_password", f"{name}_app", {"length": 32, "special": False}))
    tf.add("alloydb.tf", tf.about(component), resource("google_alloydb_cluster", name, {
        "cluster_id": tf.named(component),
        "location": Expr("var.region"),
        "database_version": spec.database_version,
        "network_config": nested({"network": network}),
        "initial_user": nested({"user": ctx.database_user(component),
                                "password": Expr(f"random_password.{name}_app.result")}),
        "continuous_backup_config": nested({"enabled": True, "recovery_window_days": CONTINUOUS_BACKUP_DAYS}),
        "automated_backup_policy": nested({"enabled": True}),
        "labels": Expr("local.labels"),
        "depends_on": [tf.private_services()],
    }))
    flags = {"max_connections": str(spec.max_connections)} if spec.max_connections else None
    primary = {"instance_type": "PRIMARY", "availability_type": "REGIONAL" if spec.ha else "ZONAL",
               "machine_config": nested({"cpu_count": vcpus(spec.machine_type)})}
    if flags:
        primary["database_flags"] = flags
    tf.add("alloydb.tf", f"{component.name}: primary instance ({'HA' if spec.ha else 'basic, one zone'}).",
           resource("google_alloydb_instance", f"{name}_primary", _instance(tf, component, "primary", primary)))
    for pool in spec.read_pools:
        tf.add("alloydb.tf", f"{component.name}: read pool {pool.name} ({pool.nodes} node(s)).",
               resource("google_alloydb_instance", f"{name}_{ident(pool.name)}", _instance(tf, component, pool.name, {
                   "instance_type": "READ_POOL",
                   "machine_config": nested({"cpu_count": vcpus(pool.machine_type)}),
                   "read_pool_config": nested({"node_count": pool.nodes}),
                   "depends_on": [Expr(f"google_alloydb_instance.{name}_primary")],
               })))
    # the value is in the state already (above): the version follows it
    _workloads.database_password(tf, component, Expr(f"random_password.{name}_app.result"), write_only=False)
    tf.output(f"{name}_primary_ip", Expr(f"google_alloydb_instance.{name}_primary.ip_address"),
              f"Private IP of AlloyDB {component.name}'s primary instance.")
    tf.publish_for_pods(component, "host", Expr(f"google_alloydb_instance.{name}_primary.ip_address"),
                        f"Private IP of AlloyDB {component.name}'s primary instance, for pods.")


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    tf.project_role(workload.key, "roles/alloydb.client", f"{workload.key} connects to AlloyDB ({component.name}).")
