"""The plan's VPC (network.tf), written only when something needs it: a subnet with Private Google Access
and flow logs, secondary ranges for GKE, and private services access for Cloud SQL and Memorystore."""
from __future__ import annotations

from archplan.generate.context import ident, slug
from archplan.generate.hcl import Expr, Tpl, nested, resource
from archplan.generate.terraform._builder import Terraform

SUBNET_CIDR = "10.10.0.0/20"
# GKE's secondary ranges, by the region's index (0 for the plan's region, then one per other region) and the
# cluster's among that region's clusters in plan order. GKE refuses a cluster on a Pods range another cluster
# uses, so each has its own: the first cluster of a region keeps `pods` 10.2<region>.0.0/16 and `services`
# 10.3<region>.0.0/20; the Nth further one gets the /16 10.<30 + 10N + region>, and the next /20 of its region's
# 10.3<region>.0.0/16.
PODS_CIDR = "10.{}.0.0/16"
SERVICES_CIDR = "10.3{}.{}.0/20"
# A subnet holds at most 30 secondary ranges (https://cloud.google.com/vpc/docs/quota): two a cluster.
MAX_CLUSTERS_PER_REGION = 15


def gke_range_names(ctx, cluster) -> tuple[str, str]:
    """The names of a GKE cluster's Pods and Services secondary ranges on its region's subnet."""
    index = region_clusters(ctx, cluster.region).index(cluster)
    if index >= MAX_CLUSTERS_PER_REGION:
        raise ctx.error(cluster, (), f"generate gives each GKE cluster a Pods and a Services range on its region's "
                                     f"subnet, which holds 30: at most {MAX_CLUSTERS_PER_REGION} clusters a region")
    if index == 0:
        return "pods", "services"
    return f"pods-{slug(cluster.name)}", f"services-{slug(cluster.name)}"


def region_clusters(ctx, region: str) -> list:
    return [c for c in ctx.of_kind("gke") if c.region == region]


def gke_ranges(ctx, region: str, region_index: int) -> list:
    """The secondary ranges of the subnet in a region: a Pods and a Services range for each of its clusters."""
    ranges = []
    for index, cluster in enumerate(region_clusters(ctx, region)):
        pods, services = gke_range_names(ctx, cluster)
        pods_octet = 20 + region_index if index == 0 else 30 + 10 * index + region_index
        ranges += [nested({"range_name": pods, "ip_cidr_range": PODS_CIDR.format(pods_octet)}),
                   nested({"range_name": services, "ip_cidr_range": SERVICES_CIDR.format(region_index, 16 * index)})]
    return ranges


def subnet(tf: Terraform, region: str, cidr, index: int) -> dict:
    """The subnet in one region: Private Google Access, flow logs, and GKE's ranges where a cluster runs."""
    body: dict = {
        "name": Tpl(f"${{var.prefix}}-{tf.region_text(region)}"),
        "region": tf.region(region),
        "network": Expr("google_compute_network.vpc.id"),
        "ip_cidr_range": cidr,
        "private_ip_google_access": True,
        "log_config": nested({"aggregation_interval": "INTERVAL_10_MIN", "flow_sampling": 0.5,
                              "metadata": "INCLUDE_ALL_METADATA"}),
    }
    ranges = gke_ranges(tf.ctx, region, index)
    if ranges:
        body["secondary_ip_range"] = ranges
    return body


def generate(tf: Terraform) -> None:
    if "network" not in tf.flags:
        return
    tf.api("compute.googleapis.com")
    cidr = tf.variable("subnet_cidr", "string", "Primary range of the plan's subnet.", default=SUBNET_CIDR,
                       validations=[("can(cidrhost(var.subnet_cidr, 0))", "subnet_cidr must be a CIDR range.")])
    items = [resource("google_compute_network", "vpc", {
        "name": Tpl("${var.prefix}-vpc"),
        "auto_create_subnetworks": False,
        "routing_mode": "GLOBAL" if len(tf.ctx.regions) > 1 else "REGIONAL",
    }), resource("google_compute_subnetwork", "main", subnet(tf, tf.ctx.region, cidr, 0))]
    others = sorted(tf.subnet_regions - {tf.ctx.region})
    for index, region in enumerate(others, start=1):
        # One subnet per region a workload or data store of the plan uses, each with ranges of its own.
        variable = f"subnet_cidr_{ident(region)}"
        region_cidr = tf.variable(variable, "string", f"Primary range of the plan's subnet in {region}.",
                                  default=f"10.{10 + index}.0.0/20", validations=[
                                      (f"can(cidrhost(var.{variable}, 0))", f"{variable} must be a CIDR range.")])
        items.append(resource("google_compute_subnetwork", ident(region), subnet(tf, region, region_cidr, index)))
    items += ["Nothing reaches the VPC from outside unless a rule allows it; denied attempts are logged.",
              resource("google_compute_firewall", "deny_ingress", {
                  "name": Tpl("${var.prefix}-deny-ingress"),
                  "network": Expr("google_compute_network.vpc.id"),
                  "direction": "INGRESS",
                  "priority": 65534,
                  "source_ranges": ["0.0.0.0/0"],
                  "deny": nested({"protocol": "all"}),
                  "log_config": nested({"metadata": "INCLUDE_ALL_METADATA"}),
              })]
    if "private_services" in tf.flags:
        tf.api("servicenetworking.googleapis.com")
        items += ["Private services access: Cloud SQL, Memorystore and the Cloud Build private pool get private IPs from "
                  "this range.",
                  resource("google_compute_global_address", "private_services", {
                      "name": Tpl("${var.prefix}-private-services"),
                      "purpose": "VPC_PEERING",
                      "address_type": "INTERNAL",
                      "prefix_length": 20,
                      "network": Expr("google_compute_network.vpc.id"),
                  }),
                  resource("google_service_networking_connection", "private_services", {
                      "network": Expr("google_compute_network.vpc.id"),
                      "service": "servicenetworking.googleapis.com",
                      "reserved_peering_ranges": [Expr("google_compute_global_address.private_services.name")],
                  })]
    tf.files["network.tf"] = items + tf.files.get("network.tf", [])
    tf.output("network", Expr("google_compute_network.vpc.id"), "The plan's VPC.")
