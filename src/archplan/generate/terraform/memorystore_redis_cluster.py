"""Memorystore for Redis Cluster on the plan's VPC through Private Service Connect: shards, replicas,
node type, zones, IAM authentication, TLS and persistence as the plan states them."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import Workload
from archplan.generate.hcl import Expr, nested
from archplan.generate.terraform import _memorystore_cluster as shared
from archplan.generate.terraform._builder import Terraform


def generate(tf: Terraform, component: Component) -> None:
    spec = component.spec
    tf.api("redis.googleapis.com")
    network, _ = tf.network(component.region)
    shared.write(tf, component, {"name": tf.named(component), "region": tf.region(component)}, {
        "authorization_mode": "AUTH_MODE_IAM_AUTH" if spec.iam_auth else "AUTH_MODE_DISABLED",
        "transit_encryption_mode": ("TRANSIT_ENCRYPTION_MODE_SERVER_AUTHENTICATION" if spec.transit_encryption
                                    else "TRANSIT_ENCRYPTION_MODE_DISABLED"),
        "psc_configs": nested({"network": network}),
    }, "Redis Cluster")


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    shared.grant_iam_connection(tf, component, workload, "roles/redis.dbConnectionUser", "Redis Cluster")
