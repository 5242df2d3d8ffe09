"""What the Valkey and Redis Cluster modules share: private access through Private Service Connect,
set up by a service connection policy on the plan's VPC."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import cross_region_replicas, ident, slug
from archplan.generate.hcl import Expr, Tpl, nested, resource
from archplan.generate.terraform._builder import Terraform

RESOURCES = {"memorystore_valkey": "google_memorystore_instance", "memorystore_redis_cluster": "google_redis_cluster"}
SERVICE_CLASSES = {"memorystore_valkey": "gcp-memorystore", "memorystore_redis_cluster": "gcp-memorystore-redis"}


def discovery_address(component: Component) -> tuple[str, str]:
    """(host, port) Terraform expressions of the cluster's discovery endpoint."""
    res = f"{RESOURCES[component.kind]}.{ident(component.name)}"
    return f"{res}.discovery_endpoints[0].address", f"tostring({res}.discovery_endpoints[0].port)"


def server_ca(component: Component) -> str:
    """Terraform expression of the instance's Google-managed server CA certificates, PEM, one after another."""
    res = f"{RESOURCES[component.kind]}.{ident(component.name)}"
    return f'join("\\n", flatten({res}.managed_server_ca[0].ca_certs[*].certificates))'


def connection_policy(tf: Terraform, component: Component) -> Expr:
    """The service connection policy that lets Memorystore create its PSC endpoints in the VPC."""
    return region_connection_policy(tf, component.kind, component.region)


def region_connection_policy(tf: Terraform, kind: str, region: str) -> Expr:
    """One policy per service class and region (PSC endpoints are regional): a secondary cluster in another
    region needs its own."""
    network, subnetwork = tf.network(region)
    tf.api("networkconnectivity.googleapis.com")
    service_class = SERVICE_CLASSES[kind]
    name = f"{ident(service_class)}_psc" + ("" if region == tf.ctx.region else f"_{ident(region)}")
    if name not in tf.flags:
        tf.flags.add(name)
        where = "" if region == tf.ctx.region else f" ({region})"
        tf.add("network.tf", f"Private Service Connect for {service_class} in the plan's VPC{where}.",
               resource("google_network_connectivity_service_connection_policy", name, {
                   "name": Tpl(f"${{var.prefix}}-{slug(service_class)}" + ("" if not where else f"-{region}")),
                   "location": tf.region(region),
                   "service_class": service_class,
                   "network": network,
                   "psc_config": nested({"subnetworks": [subnetwork]}),
               }))
    return Expr(f"google_network_connectivity_service_connection_policy.{name}")


def zone_distribution(tf: Terraform, component: Component, region: str | None = None) -> dict:
    if component.spec.zone_distribution == "multi_zone":
        return {"zone_distribution_config": nested({"mode": "MULTI_ZONE"})}
    if region is None:
        zone = tf.variable(f"{ident(component.name)}_zone", "string",
                           f"Zone of {component.name}'s nodes (the plan keeps them in a single zone), e.g. "
                           f"{component.region}-b.")
    else:
        zone = tf.variable(f"{ident(component.name)}_{ident(region)}_zone", "string",
                           f"Zone of the nodes of {component.name}'s secondary in {region} (single zone, as the "
                           f"primary), e.g. {region}-b.")
    return {"zone_distribution_config": nested({"mode": "SINGLE_ZONE", "zone": zone})}


PERSISTENCE_MODES = {"none": "DISABLED", "rdb": "RDB", "aof": "AOF"}


def write(tf: Terraform, component: Component, where: dict, engine: dict, label: str) -> None:
    """The resource: its name and location (`where`), the shape both engines share, the engine's own
    settings, then protection, zones, persistence; and an output of its discovery address. Then one
    secondary per cross-region replica, replicating from it."""
    spec = component.spec
    name = ident(component.name)
    body = _body(tf, component, where, engine, spec.node_type, None, {})
    tf.add("memorystore.tf", tf.about(component), resource(RESOURCES[component.kind], name, body))
    host, _port = discovery_address(component)
    tf.output(f"{name}_discovery_address", Expr(host), f"Discovery endpoint of {label} {component.name}.")
    tf.publish_for_pods(component, "host", Expr(host), f"Discovery address of {label} {component.name}, for pods.")
    if component.spec.transit_encryption:
        tf.publish_for_pods(component, "ca", Expr(server_ca(component)),
                            f"Server CA of {label} {component.name} (TLS), for pods.")
    role_key, primary_key, field = REPLICATION[component.kind]
    for replica, address, suffix in cross_region_replicas(component):
        replication = {
            f"# Cross-region replication: this secondary follows {component.name} and is promoted (detached) "
            "when its region is lost; see ../runbooks.": None,
            CONFIG_BLOCKS[component.kind]: nested({role_key: "SECONDARY", primary_key: nested({
                field: Expr(f"{RESOURCES[component.kind]}.{name}.id")})}),
        }
        secondary = _body(tf, component, {**where, **where_in(tf, component, replica.region, suffix)}, engine,
                          replica.tier or spec.node_type, replica.region, replication)
        tf.add("memorystore.tf", f"{component.name}: secondary in {replica.region} (cross_region_replicas in the plan).",
               resource(RESOURCES[component.kind], address, secondary))
        tf.output(f"{address}_discovery_address",
                  Expr(f"{RESOURCES[component.kind]}.{address}.discovery_endpoints[0].address"),
                  f"Discovery endpoint of {component.name}'s secondary in {replica.region}.")


def _body(tf: Terraform, component: Component, where: dict, engine: dict, node_type: str, region: str | None,
          replication: dict) -> dict:
    spec = component.spec
    return {**where, "shard_count": spec.shards, "replica_count": spec.replicas_per_shard,
            "node_type": node_type.upper().replace("-", "_"), **engine,
            "deletion_protection_enabled": True,
            **zone_distribution(tf, component, region),
            "persistence_config": nested({"mode": PERSISTENCE_MODES[spec.persistence]}),
            **replication,
            "depends_on": [region_connection_policy(tf, component.kind, region or component.region)]}


CONFIG_BLOCKS = {"memorystore_valkey": "cross_instance_replication_config",
                 "memorystore_redis_cluster": "cross_cluster_replication_config"}
REPLICATION = {"memorystore_valkey": ("instance_role", "primary_instance", "instance"),
               "memorystore_redis_cluster": ("cluster_role", "primary_cluster", "cluster")}
NAME_KEYS = {"memorystore_valkey": ("instance_id", "location"), "memorystore_redis_cluster": ("name", "region")}


def where_in(tf: Terraform, component: Component, region: str, suffix: str) -> dict:
    name_key, region_key = NAME_KEYS[component.kind]
    return {name_key: Tpl(f"${{var.prefix}}-{suffix}"), region_key: tf.region(region)}


def grant_iam_connection(tf: Terraform, component: Component, workload, role: str, label: str) -> None:
    """With IAM authentication, a workload that depends on the cluster connects as its service account."""
    if component.spec.iam_auth:
        tf.project_role(workload.key, role, f"{workload.key} connects to {label} {component.name} with IAM "
                                            "authentication.")
