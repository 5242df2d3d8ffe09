"""Memorystore for Redis on the plan's VPC (private services access): tier, size, version, AUTH, TLS and
RDB persistence as the plan states them."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import ident
from archplan.generate.hcl import Expr, nested, resource
from archplan.generate.terraform._builder import Terraform

SNAPSHOT_PERIODS = {"1h": "ONE_HOUR", "6h": "SIX_HOURS", "12h": "TWELVE_HOURS", "24h": "TWENTY_FOUR_HOURS"}


def generate(tf: Terraform, component: Component) -> None:
    ctx = tf.ctx
    spec = component.spec
    name = ident(component.name)
    tf.api("redis.googleapis.com")
    tf.commitment_not_bought(component, spec.commitment, f"{spec.capacity_gb:g} GB {spec.tier}",
                             "the Billing console's committed use discounts page, spend-based")
    network, _ = tf.network(component.region)
    body: dict = {}
    if not spec.auth_enabled:
        body["#checkov:skip=CKV_GCP_95:the plan sets auth_enabled false; only clients on the private VPC can "
             "reach the instance"] = None
    if not spec.transit_encryption:
        body["#checkov:skip=CKV_GCP_97:the plan sets transit_encryption false; traffic stays on the private "
             "VPC peering"] = None
    body.update({
        "name": tf.named(component),
        "region": tf.region(component),
        "tier": "STANDARD_HA" if spec.tier == "standard" else "BASIC",
        "memory_size_gb": int(spec.capacity_gb),
        "redis_version": "REDIS_" + ctx.redis_version(component).replace(".", "_"),
        "authorized_network": network,
        "connect_mode": "PRIVATE_SERVICE_ACCESS",
        "auth_enabled": spec.auth_enabled,
        "transit_encryption_mode": "SERVER_AUTHENTICATION" if spec.transit_encryption else "DISABLED",
        "labels": Expr("local.labels"),
    })
    if spec.rdb_snapshot_period:
        body["persistence_config"] = nested({"persistence_mode": "RDB",
                                             "rdb_snapshot_period": SNAPSHOT_PERIODS[spec.rdb_snapshot_period]})
    body["maintenance_policy"] = nested({"weekly_maintenance_window": nested({
        "day": "SUNDAY", "start_time": nested({"hours": 21, "minutes": 0})})})
    body["depends_on"] = [tf.private_services()]
    tf.add("memorystore.tf", tf.about(component), resource("google_redis_instance", name, body))
    if spec.auth_enabled:
        tf.secret(f"{ctx.name(component)}-auth", f"{name}_auth", f"AUTH string of Redis {component.name}.")
        tf.secret_version(f"{name}_auth", Expr(f"google_redis_instance.{name}.auth_string"), write_only=False)
    # Host, port and CA, known only after apply, also go to Secret Manager so Kubernetes pods can mount them.
    if component.name in ctx.gke_dependency_names:
        tf.secret(f"{ctx.name(component)}-host", f"{name}_host", f"Host of Redis {component.name}, for pods.")
        tf.secret_version(f"{name}_host", Expr(f"google_redis_instance.{name}.host"), write_only=False)
        tf.secret(f"{ctx.name(component)}-port", f"{name}_port", f"Port of Redis {component.name}, for pods.")
        tf.secret_version(f"{name}_port", Expr(f"tostring(google_redis_instance.{name}.port)"), write_only=False)
        if spec.transit_encryption:
            tf.secret(f"{ctx.name(component)}-ca", f"{name}_ca", f"Server CA of Redis {component.name} (TLS).")
            tf.secret_version(f"{name}_ca", Expr(f"google_redis_instance.{name}.server_ca_certs[0].cert"), write_only=False)
    tf.output(f"{name}_host", Expr(f"google_redis_instance.{name}.host"), f"Private IP of Redis {component.name}.")
    tf.output(f"{name}_port", Expr(f"google_redis_instance.{name}.port"),
              f"Port of Redis {component.name} (the instance's own: it differs with in-transit encryption).")
    if spec.transit_encryption:
        tf.output(f"{name}_server_ca", Expr(f"google_redis_instance.{name}.server_ca_certs[0].cert"),
                  f"Server CA certificate of Redis {component.name}, which TLS clients verify.")
