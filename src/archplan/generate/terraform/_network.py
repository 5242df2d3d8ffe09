"""The plan's VPC (network.tf), written only when something needs it: a subnet with Private Google Access
and flow logs, secondary ranges for GKE, and private services access for Cloud SQL and Memorystore."""
from __future__ import annotations

from archplan.generate.hcl import Expr, Tpl, nested, resource
from archplan.generate.terraform._builder import Terraform

SUBNET_CIDR = "10.10.0.0/20"
PODS_CIDR = "10.20.0.0/16"
SERVICES_CIDR = "10.30.0.0/20"


def generate(tf: Terraform) -> None:
    if "network" not in tf.flags:
        return
    tf.api("compute.googleapis.com")
    cidr = tf.variable("subnet_cidr", "string", "Primary range of the plan's subnet.", default=SUBNET_CIDR,
                       validations=[("can(cidrhost(var.subnet_cidr, 0))", "subnet_cidr must be a CIDR range.")])
    subnet: dict = {
        "name": Tpl("${var.prefix}-${var.region}"),
        "region": Expr("var.region"),
        "network": Expr("google_compute_network.vpc.id"),
        "ip_cidr_range": cidr,
        "private_ip_google_access": True,
        "log_config": nested({"aggregation_interval": "INTERVAL_10_MIN", "flow_sampling": 0.5,
                              "metadata": "INCLUDE_ALL_METADATA"}),
    }
    if "gke_ranges" in tf.flags:
        subnet["secondary_ip_range"] = [nested({"range_name": "pods", "ip_cidr_range": PODS_CIDR}),
                                        nested({"range_name": "services", "ip_cidr_range": SERVICES_CIDR})]
    items = [resource("google_compute_network", "vpc", {
        "name": Tpl("${var.prefix}-vpc"),
        "auto_create_subnetworks": False,
        "routing_mode": "REGIONAL",
    }), resource("google_compute_subnetwork", "main", subnet)]
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
