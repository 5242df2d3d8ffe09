"""The plan's VPC (network.tf), written only when something needs it: a subnet with Private Google Access
and flow logs, secondary ranges for GKE, and private services access for Cloud SQL and Memorystore."""
from __future__ import annotations

from archplan.generate.context import ident
from archplan.generate.hcl import Expr, Tpl, nested, resource
from archplan.generate.terraform._builder import Terraform

SUBNET_CIDR = "10.10.0.0/20"
PODS_CIDR = "10.2{}.0.0/16"  # per region: index 0 for the plan's region, then one per other region
SERVICES_CIDR = "10.3{}.0.0/20"


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
    if f"gke_ranges:{region}" in tf.flags:
        body["secondary_ip_range"] = [nested({"range_name": "pods", "ip_cidr_range": PODS_CIDR.format(index)}),
                                      nested({"range_name": "services", "ip_cidr_range": SERVICES_CIDR.format(index)})]
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
