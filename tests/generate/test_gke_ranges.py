"""Each GKE cluster gets secondary ranges of its own on its region's subnet: two clusters in one region both
named the subnet's `pods` and `services` ranges, and GKE refuses a cluster on a Pods range another cluster
uses, so the second never came up. The first cluster of a region keeps the ranges it had."""
import ipaddress

from tests.generate.conftest import generate_text, load_hcl

PLAN = """project: {name: shop, region: us-central1}
traffic: {daily_active_users: 1000, requests_per_user_per_day: 10}
components:
  east:
    kind: gke
    mode: autopilot
    deployments: [{name: web, replicas: 2, cpu: 500m, memory: 512Mi}]
  west:
    kind: gke
    mode: standard
    location_type: regional
    node_pools: [{name: main, machine_type: e2-standard-4, nodes: 3}]
    deployments: [{name: api, replicas: 2, cpu: 500m, memory: 512Mi}]
  far:
    kind: gke
    region: europe-west1
    mode: autopilot
    deployments: [{name: job, replicas: 1, cpu: 500m, memory: 512Mi}]
  batch:
    kind: gke
    mode: autopilot
    deployments: [{name: worker, replicas: 1, cpu: 500m, memory: 512Mi}]
"""


def blocks(path, kind: str) -> dict[str, dict]:
    return {name: body for item in load_hcl(path).get("resource", []) for name, body in item.get(kind, {}).items()}


def test_each_cluster_has_secondary_ranges_of_its_own(tmp_path):
    terraform = generate_text(tmp_path, PLAN) / "terraform"
    subnets = blocks(terraform / "network.tf", "google_compute_subnetwork")
    ranges = {(subnet, r["range_name"]): r["ip_cidr_range"] for subnet, body in subnets.items()
              for r in body["secondary_ip_range"]}
    assert ranges == {
        ("main", "pods"): "10.20.0.0/16", ("main", "services"): "10.30.0.0/20",  # east's, as before
        ("main", "pods-west"): "10.40.0.0/16", ("main", "services-west"): "10.30.16.0/20",
        ("main", "pods-batch"): "10.50.0.0/16", ("main", "services-batch"): "10.30.32.0/20",
        ("europe_west1", "pods"): "10.21.0.0/16", ("europe_west1", "services"): "10.31.0.0/20",
    }
    clusters = blocks(terraform / "gke.tf", "google_container_cluster")
    used = {name: (body["subnetwork"].split(".")[1], body["ip_allocation_policy"][0]["cluster_secondary_range_name"],
                   body["ip_allocation_policy"][0]["services_secondary_range_name"]) for name, body in clusters.items()}
    assert used == {"east": ("main", "pods", "services"), "west": ("main", "pods-west", "services-west"),
                    "far": ("europe_west1", "pods", "services"), "batch": ("main", "pods-batch", "services-batch")}
    networks = [ipaddress.ip_network(cidr) for cidr in ranges.values()] + [ipaddress.ip_network("10.10.0.0/20"),
                                                                          ipaddress.ip_network("10.11.0.0/20")]
    assert not [(a, b) for i, a in enumerate(networks) for b in networks[i + 1:] if a.overlaps(b)]
