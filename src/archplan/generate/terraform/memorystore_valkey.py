"""Memorystore for Valkey on the plan's VPC through Private Service Connect: shards, replicas, node type,
zones, IAM authentication, TLS and persistence as the plan states them."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import Workload, ident
from archplan.generate.hcl import Expr, nested, resource
from archplan.generate.terraform import _memorystore_cluster as shared
from archplan.generate.terraform._builder import Terraform


def generate(tf: Terraform, component: Component) -> None:
    spec = component.spec
    name = ident(component.name)
    tf.api("memorystore.googleapis.com")
    policy = shared.connection_policy(tf, component)
    network, _ = tf.network()
    body: dict = {
        "instance_id": tf.named(component),
        "location": Expr("var.region"),
        "shard_count": spec.shards,
        "replica_count": spec.replicas_per_shard,
        "node_type": spec.node_type.upper().replace("-", "_"),
        "engine_version": "VALKEY_" + spec.version.replace(".", "_"),
        "authorization_mode": "IAM_AUTH" if spec.iam_auth else "AUTH_DISABLED",
        "transit_encryption_mode": "SERVER_AUTHENTICATION" if spec.transit_encryption else "TRANSIT_ENCRYPTION_DISABLED",
        "deletion_protection_enabled": True,
        "labels": Expr("local.labels"),
        "desired_psc_auto_connections": nested({"network": network, "project_id": Expr("var.project_id")}),
        **shared.zone_distribution(tf, component),
        "persistence_config": nested({"mode": shared.PERSISTENCE_MODES[spec.persistence]}),
        "depends_on": [policy],
    }
    tf.add("memorystore.tf", tf.about(component), resource("google_memorystore_instance", name, body))
    host, _port = shared.discovery_address(component)
    tf.output(f"{name}_discovery_address", Expr(host), f"Discovery endpoint of Valkey {component.name}.")


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    """With IAM authentication, a workload that depends on the cluster connects as its service account."""
    if component.spec.iam_auth:
        tf.project_role(workload.key, "roles/memorystore.dbConnectionUser", f"{workload.key} connects to Valkey {component.name} "
                                                "with IAM authentication.")
