"""GKE: a regional (or zonal) VPC-native cluster with private nodes, Workload Identity, Dataplane V2,
shielded nodes and Binary Authorization; node pools with a least-privilege node service account; and, per
Deployment, a Google service account its Kubernetes service account may act as."""
from __future__ import annotations

import ipaddress

from archplan.components._common import gpus_of
from archplan.components import gke as gke_component
from archplan.components.base import Component
from archplan.generate.context import Workload, ident, slug, zone_letters
from archplan.generate.hcl import Expr, Tpl, nested, resource
from archplan.generate.terraform import _network, _workloads
from archplan.generate.terraform._builder import Terraform

NODE_ROLES = ("roles/logging.logWriter", "roles/monitoring.metricWriter", "roles/monitoring.viewer",
              "roles/stackdriver.resourceMetadata.writer", "roles/artifactregistry.reader")
MASTER_CIDRS = "172.16.0.0/16"  # a /28 of it for each private cluster's control plane, in plan order
ZONES_PER_REGION = gke_component.ZONES_PER_REGION


def workload_identity(spec) -> bool:
    return spec.workload_identity or spec.mode == "autopilot"


def cluster(tf: Terraform, component: Component) -> dict:
    spec = component.spec
    network, subnetwork = tf.network(component.region)
    pods, services = _network.gke_range_names(tf.ctx, component)
    authorized = tf.variable(
        "gke_master_authorized_networks", "list(object({ cidr_block = string, display_name = string }))",
        "CIDR ranges allowed to reach the GKE control plane's IP endpoint (none by default: kubectl and Cloud "
        "Build reach it through its DNS endpoint, gcloud container clusters get-credentials --dns-endpoint, "
        "which IAM guards).", default=[])
    body: dict = {
        "name": tf.named(component),
        "location": tf.region(component) if spec.location_type == "regional" else Tpl(f"{tf.region_text(component)}-{zone_letters(component.region)[0]}"),
        "network": network,
        "subnetwork": subnetwork,
        "deletion_protection": True,
        "resource_labels": Expr("local.labels"),
        "networking_mode": "VPC_NATIVE",
        "enable_intranode_visibility": True,
    }
    if spec.mode == "autopilot":
        body["enable_autopilot"] = True
    else:
        body["# Node pools are managed below; the default pool is removed once the cluster exists."] = None
        body["remove_default_node_pool"] = True
        body["initial_node_count"] = 1
        body["datapath_provider"] = "ADVANCED_DATAPATH"
        body["enable_shielded_nodes"] = True
    if spec.kubernetes_version:
        body["min_master_version"] = spec.kubernetes_version
    body.update({
        "release_channel": nested({"channel": spec.release_channel.upper()}),
        "ip_allocation_policy": nested({"cluster_secondary_range_name": pods,
                                        "services_secondary_range_name": services}),
    })
    if spec.mode != "autopilot":
        body["#checkov:skip=CKV_GCP_12:Dataplane V2 (ADVANCED_DATAPATH) enforces NetworkPolicy"] = None
    else:
        body["#checkov:skip=CKV_GCP_12:an Autopilot cluster always runs GKE Dataplane V2, which enforces "
             "NetworkPolicy"] = None
    body["#checkov:skip=CKV_GCP_65:the plan names no Google Workspace domain for a gke-security-groups group"] = None
    if spec.private_nodes:
        body["private_cluster_config"] = nested({"enable_private_nodes": True, "enable_private_endpoint": False,
                                                 "master_ipv4_cidr_block": master_cidr(tf, component),
                                                 "master_global_access_config": nested({"enabled": True})})
    else:
        body["#checkov:skip=CKV_GCP_25:the plan sets private_nodes false"] = None
        body["#checkov:skip=CKV_GCP_64:the plan sets private_nodes false"] = None
    # The DNS-based endpoint admits IAM-authenticated callers from anywhere (Cloud Build's default pool
    # included) while the IP endpoint stays closed to all but the authorized networks.
    body["control_plane_endpoints_config"] = nested({"dns_endpoint_config": nested({"allow_external_traffic": True})})
    body["master_authorized_networks_config"] = nested({
        "gcp_public_cidrs_access_enabled": False,
        "dynamic": nested({
            "for_each": authorized,
            "content": nested({"cidr_block": Expr("cidr_blocks.value.cidr_block"),
                               "display_name": Expr("cidr_blocks.value.display_name")}),
        }, "cidr_blocks"),
    })
    if workload_identity(spec):
        body["workload_identity_config"] = nested({"workload_pool": Tpl("${var.project_id}.svc.id.goog")})
        # Pods read Secret Manager secrets as files through the add-on's CSI driver (see ../kubernetes).
        body["secret_manager_config"] = nested({"enabled": True})
    elif spec.mode != "autopilot":
        body["#checkov:skip=CKV_GCP_69:the plan leaves Workload Identity off"] = None
    if spec.mode == "autopilot":
        body["#checkov:skip=CKV_GCP_69:Autopilot runs the GKE metadata server on every node it manages; there is "
             "no node_config to set it in"] = None
    body.update({
        "binary_authorization": nested({"evaluation_mode": "PROJECT_SINGLETON_POLICY_ENFORCE"}),
        "master_auth": nested({"client_certificate_config": nested({"issue_client_certificate": False})}),
        "logging_config": nested({"enable_components": ["SYSTEM_COMPONENTS", "WORKLOADS"]}),
        "monitoring_config": nested({"enable_components": ["SYSTEM_COMPONENTS"],
                                     "managed_prometheus": nested({"enabled": True})}),
        "maintenance_policy": nested({"daily_maintenance_window": nested({"start_time": "21:00"})}),
    })
    if spec.mode != "autopilot":
        body["# GKE's defaults for the removed default pool, kept hardened."] = None
        body["node_config"] = nested(node_config_hardening(tf, component))
    return body


def master_cidr(tf: Terraform, component: Component) -> str:
    """The control plane's range: one of its own for each private cluster, which share the VPC (GKE refuses a
    cluster whose range overlaps another's)."""
    private = [c for c in tf.ctx.of_kind("gke") if c.spec.private_nodes]
    return f"{ipaddress.ip_network(MASTER_CIDRS)[16 * private.index(component)]}/28"


def node_config_hardening(tf: Terraform, component: Component) -> dict:
    config: dict = {"service_account": node_service_account(tf, component),
                    "oauth_scopes": ["https://www.googleapis.com/auth/cloud-platform"],
                    "metadata": {"disable-legacy-endpoints": "true"}}
    if workload_identity(component.spec):
        config["workload_metadata_config"] = nested({"mode": "GKE_METADATA"})
    config["shielded_instance_config"] = nested({"enable_secure_boot": True, "enable_integrity_monitoring": True})
    return config


def node_service_account(tf: Terraform, component: Component) -> Expr:
    key = f"{component.name}-nodes"
    email = tf.service_account(key, f"Nodes of GKE cluster {component.name}: logs, metrics and image pulls only.")
    for role in NODE_ROLES:
        tf.project_role(key, role, f"GKE nodes of {component.name}: {role}.")
    return email


def node_pool(tf: Terraform, component: Component, pool) -> dict:
    spec = component.spec
    zones = ZONES_PER_REGION if spec.location_type == "regional" else 1
    per_zone = gke_component.nodes_per_zone(spec, pool)
    body: dict = {
        "name": pool.name,
        "cluster": Expr(f"google_container_cluster.{ident(component.name)}.id"),
        "location": Expr(f"google_container_cluster.{ident(component.name)}.location"),
    }
    if pool.nodes % zones:
        body[f"# The plan's {pool.nodes} nodes do not divide over {zones} zones: {per_zone} per zone "
             f"({per_zone * zones} nodes, as archplan cost prices them)."] = None
    body["initial_node_count"] = per_zone
    if pool.min_nodes is not None or pool.max_nodes is not None:
        lowest = pool.min_nodes if pool.min_nodes is not None else pool.nodes
        highest = pool.max_nodes if pool.max_nodes is not None else pool.nodes
        body["autoscaling"] = nested({"total_min_node_count": lowest, "total_max_node_count": highest,
                                      "location_policy": "BALANCED"})
        body["lifecycle"] = nested({"ignore_changes": [Expr("initial_node_count")]})
    body["management"] = nested({"auto_repair": True, "auto_upgrade": True})
    body["upgrade_settings"] = nested({"max_surge": 1, "max_unavailable": 0})
    node_config: dict = {
        "machine_type": pool.machine_type,
        "disk_size_gb": pool.disk_gb,
        "disk_type": pool.disk_type,
        "image_type": "COS_CONTAINERD",
        "spot": pool.spot,
        "resource_labels": Expr("local.labels"),
        **node_config_hardening(tf, component),
    }
    gpus = gpus_of(pool.machine_type)
    if gpus:  # the machine type's GPUs, with Google's driver installed on the nodes
        node_config["guest_accelerator"] = nested({
            "type": gpus[0], "count": gpus[1],
            "gpu_driver_installation_config": nested({"gpu_driver_version": "DEFAULT"})})
    body["node_config"] = nested(node_config)
    if not workload_identity(spec):
        body = {"#checkov:skip=CKV_GCP_69:the plan leaves Workload Identity off": None, **body}
    return body


def generate(tf: Terraform, component: Component) -> None:
    ctx = tf.ctx
    spec = component.spec
    name = ident(component.name)
    # The cluster enforces the project's Binary Authorization policy, which needs that API on.
    tf.api("container.googleapis.com", "compute.googleapis.com", "binaryauthorization.googleapis.com")
    tf.add("gke.tf", tf.about(component), resource("google_container_cluster", name, cluster(tf, component)))
    for pool in spec.node_pools:
        tf.commitment_not_bought(component, pool.commitment, f"node pool {pool.name} ({pool.machine_type})",
                                 "gcloud compute commitments create, resource-based")
        tf.add("gke.tf", resource("google_container_node_pool", f"{name}_{ident(pool.name)}",
                                  node_pool(tf, component, pool)))
    namespace = ctx.namespace(component)
    for deployment in spec.deployments:
        workload = next(w for w in ctx.workloads if w.kind == "gke" and w.component is component
                        and w.name == deployment.name)
        if not workload_identity(spec):
            if ctx.secret_refs(workload) or ctx.literal_secrets(workload):
                tf.warnings.append(f"{deployment.name}: reads secrets, but cluster {component.name} has Workload "
                                   "Identity off, which the Secret Manager add-on needs; set workload_identity: true")
            continue
        tf.service_account(workload.key, f"Deployment {deployment.name} on GKE cluster {component.name} "
                                         "(through Workload Identity).")
        _workloads.env(tf, workload)  # its secrets: created, with a first version, and readable by it
        tf.add("gke.tf", resource("google_service_account_iam_member", f"{ident(workload.key)}_workload_identity", {
            "service_account_id": Expr(f"google_service_account.{ident(workload.key)}.name"),
            "role": "roles/iam.workloadIdentityUser",
            "member": Tpl(f"serviceAccount:${{var.project_id}}.svc.id.goog[{namespace}/{slug(deployment.name)}]"),
            # The project's workload identity pool exists once a cluster with Workload Identity does: before,
            # IAM refuses the member (Error 400: Identity Pool does not exist).
            "depends_on": [Expr(f"google_container_cluster.{name}")],
        }))
    if not workload_identity(spec) and spec.mode != "autopilot":
        for sql in [d for d in ctx.dependencies(component) if d.kind == "cloud_sql"]:
            tf.project_role(f"{component.name}-nodes", "roles/cloudsql.client",
                            f"Without Workload Identity the Cloud SQL proxy in {component.name}'s pods runs as the "
                            f"node service account ({sql.name}).")
    tf.output(f"{name}_cluster", Expr(f"google_container_cluster.{name}.name"), f"GKE cluster {component.name}.")
    if not workload_identity(spec):
        tf.add("gke.tf", f"Workload Identity is off in the plan: {component.name}'s pods act as its node service "
                         "account.")


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    """Nothing: a workload does not call a cluster as a whole."""
