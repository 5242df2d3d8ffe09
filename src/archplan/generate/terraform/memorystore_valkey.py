"""Memorystore for Valkey on the plan's VPC through Private Service Connect: shards, replicas, node type,
zones, IAM authentication, TLS and persistence as the plan states them."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import Workload
from archplan.generate.hcl import Expr, nested
from archplan.generate.terraform import _memorystore_cluster as shared
from archplan.generate.terraform._builder import Terraform


def generate(tf: Terraform, component: Component) -> None:
    spec = component.spec
    tf.api("memorystore.googleapis.com")
    network, _ = tf.network(component.region)
    shared.write(tf, component, {"instance_id": tf.named(component), "location": tf.region(component)}, {
        "engine_version": "VALKEY_" + spec.version.replace(".", "_"),
        "authorization_mode": "IAM_AUTH" if spec.iam_auth else "AUTH_DISABLED",
        "transit_encryption_mode": "SERVER_AUTHENTICATION" if spec.transit_encryption else "TRANSIT_ENCRYPTION_DISABLED",
        "labels": Expr("local.labels"),
        "desired_psc_auto_connections": nested({"network": network, "project_id": Expr("var.project_id")}),
    }, "Valkey")


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    shared.grant_iam_connection(tf, component, workload, "roles/memorystore.dbConnectionUser", "Valkey")
