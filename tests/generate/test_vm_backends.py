"""A load balancer routing to Compute Engine VMs (tests/fixtures/vms/shop.yaml): every VM sits in exactly one
unmanaged instance group of its zone, the groups carry the plan's port as the named port the backend service
uses, the health check probes that port (HTTP on the plan's path, else TCP), and the firewall lets the load
balancer's ranges reach that port on those VMs only. Schema, apply order and checkov cover the same output
through PLAN_FILES."""
import re
from pathlib import Path

import pytest

from archplan.generate.terraform.compute_engine import LOAD_BALANCER_RANGES
from tests.generate.conftest import PLAN_FILES, generate
from tests.generate.test_apply_order import configuration


def resources(blocks, type_name):
    return {address.split(".", 1)[1]: body for address, body in blocks.items() if address.startswith(type_name + ".")}


def test_each_vm_is_in_one_group_of_its_zone_behind_the_backend_service(generated):
    blocks, _, _ = configuration(generated / "vms" / "terraform")
    groups = resources(blocks, "google_compute_instance_group")
    # europe-west1's zones are b, c, d: web's count 3 goes to b, c, d (VM i in zone i mod 3); admin: count 1, b.
    members = {name: (body["zone"], body["instances"]) for name, body in groups.items()}
    assert members == {
        "web_b": ('"${var.region}-b"', ["${google_compute_instance.web[0].self_link}"]),
        "web_c": ('"${var.region}-c"', ["${google_compute_instance.web[1].self_link}"]),
        "web_d": ('"${var.region}-d"', ["${google_compute_instance.web[2].self_link}"]),
        "admin_b": ('"${var.region}-b"', ["${google_compute_instance.admin[0].self_link}"]),
    }
    ports = {name: (body["named_port"][0]["name"], body["named_port"][0]["port"]) for name, body in groups.items()}
    assert ports == {"web_b": ('"http"', 8080), "web_c": ('"http"', 8080), "web_d": ('"http"', 8080),
                     "admin_b": ('"http"', 80)}
    services = resources(blocks, "google_compute_backend_service")
    for vm, zones in (("web", "bcd"), ("admin", "b")):
        service = services[f"lb_{vm}"]
        assert service["port_name"] == '"http"' and service["protocol"] == '"HTTP"'
        assert [b["group"] for b in service["backend"]] == [
            f"${{google_compute_instance_group.{vm}_{zone}.id}}" for zone in zones]
        assert service["health_checks"] == [f"${{google_compute_health_check.lb_{vm}.id}}"]
        assert service["security_policy"] == "${google_compute_security_policy.armor.id}"


def test_health_checks_and_firewall_follow_the_plan(generated):
    blocks, _, _ = configuration(generated / "vms" / "terraform")
    checks = resources(blocks, "google_compute_health_check")
    web = checks["lb_web"]["http_health_check"][0]
    assert (web["port_specification"], web["port_name"], web["request_path"]) == \
        ('"USE_NAMED_PORT"', '"http"', '"/healthz"')
    assert "tcp_health_check" in checks["lb_admin"] and "http_health_check" not in checks["lb_admin"]
    firewalls = resources(blocks, "google_compute_firewall")
    for vm, port in (("web", "8080"), ("admin", "80")):
        rule = firewalls[f"{vm}_from_load_balancer"]
        assert rule["source_ranges"] == [f'"{r}"' for r in LOAD_BALANCER_RANGES]
        assert rule["allow"][0]["ports"] == [f'"{port}"']
        assert rule["target_service_accounts"] == [f"${{google_service_account.{vm}.email}}"]


def test_no_warning_that_the_vms_are_not_behind_the_load_balancer(tmp_path):
    code, out, err = generate(PLAN_FILES["vms"], tmp_path / "out")
    assert code == 0, err
    assert "not behind" not in out + err


def test_a_load_balancer_to_a_vm_with_count_zero_is_a_plan_error(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN_FILES["vms"].read_text().replace("machine_type: e2-small",
                                                          "machine_type: e2-small\n    count: 0"))
    code, _, err = generate(plan, tmp_path / "out")
    assert code == 1
    line = err.strip().splitlines()[-1]
    assert re.search(r"plan\.yaml:\d+: components\.lb\.depends_on: admin has count 0", line), err


def test_vms_not_behind_a_load_balancer_get_no_group(tmp_path):
    platform = Path(__file__).with_name("platform_plan.yaml")  # its VM trainer is a batch VM, behind nothing
    code, _, err = generate(platform, tmp_path / "out")
    assert code == 0, err
    blocks, _, _ = configuration(tmp_path / "out" / "terraform")
    assert "trainer" in resources(blocks, "google_compute_instance")
    assert not resources(blocks, "google_compute_instance_group")
    assert "trainer_from_load_balancer" not in resources(blocks, "google_compute_firewall")


def test_vms_and_a_zonal_cluster_go_to_zones_the_region_has(tmp_path):
    # us-east1's and europe-west1's zones are b, c and d (no zone a): us-east1-a would fail at apply
    plan = tmp_path / "shop.yaml"
    source = (PLAN_FILES["vms"]).read_text()
    region = re.search(r"^  region: (\S+)", source, re.M).group(1)
    plan.write_text(source.replace(f"  region: {region}", "  region: us-east1", 1))
    code, _, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    blocks, _, _ = configuration(tmp_path / "out" / "terraform")
    groups = resources(blocks, "google_compute_instance_group")
    assert {name: body["zone"] for name, body in groups.items()} == {
        "web_b": '"${var.region}-b"', "web_c": '"${var.region}-c"', "web_d": '"${var.region}-d"',
        "admin_b": '"${var.region}-b"'}
    web = resources(blocks, "google_compute_instance")["web"]
    assert web["zone"] == '"${var.region}-${element(["b", "c", "d"], count.index)}"'
    cluster = tmp_path / "cluster.yaml"
    cluster.write_text("""\
project: {name: zonal, region: europe-west1}
components:
  gke:
    kind: gke
    mode: standard
    location_type: zonal
    node_pools: [{name: main, machine_type: e2-standard-4, nodes: 1}]
    deployments: [{name: api, replicas: 2, cpu: 0.5, memory: 512Mi}]
""")
    code, _, err = generate(cluster, tmp_path / "zonal")
    assert code == 0, err
    assert resources(configuration(tmp_path / "zonal" / "terraform")[0], "google_container_cluster")["gke"][
        "location"] == '"${var.region}-b"'
    assert "--location=europe-west1-b" in (tmp_path / "zonal" / "README.md").read_text()
    assert "_LOCATION: europe-west1-b" in (tmp_path / "zonal" / "cloudbuild" / "gke-api.yaml").read_text()


def test_vms_another_components_vms_call_let_them_in_on_the_edges_port(tmp_path):
    """A lifted-and-shifted three-tier app: web VMs call app VMs (HTTPS), app and reports call a database VM
    (Postgres), and so do a Cloud Run job (Direct VPC egress: from the subnet), a service through a Serverless
    VPC Access connector (from its range) and a GKE cluster's pods (from its Pod range). The VPC denies all
    ingress, so each edge needs a rule to the called VMs on its port (found by a trial: web could not reach
    app, nor app its database). The port: the called VMs' own `port`, else the protocol's (443, 5432)."""
    plan = tmp_path / "erp.yaml"
    plan.write_text("""\
project: {name: erp, region: northamerica-northeast1}
components:
  web: {kind: compute_engine, machine_type: e2-standard-2, count: 2, depends_on: [{name: app, protocol: HTTPS}]}
  app: {kind: compute_engine, machine_type: n2-standard-4, count: 3, port: 8443,
        depends_on: [{name: db, protocol: Postgres}]}
  reports: {kind: compute_engine, machine_type: n2-standard-8, hours_per_month: 260,
            depends_on: [{name: db, protocol: Postgres}]}
  db: {kind: compute_engine, machine_type: n2-highmem-8, disk_gb: 500, disk_type: pd-ssd}
  nightly: {kind: cloud_run_job, executions_per_month: 30, task_duration_seconds: 60,
            depends_on: [{name: db, protocol: Postgres}]}
  portal: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50, requests_per_month: 1000,
           depends_on: [{name: db, protocol: Postgres}, connector]}
  connector: {kind: vpc_connector}
  jobs: {kind: gke, mode: standard, location_type: zonal, node_pools: [{name: main, machine_type: e2-standard-4,
         nodes: 1}], deployments: [{name: worker, replicas: 1, cpu: 0.5, memory: 512Mi}],
         depends_on: [{name: db, protocol: Postgres}]}
""")
    code, _, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    blocks, _, _ = configuration(tmp_path / "out" / "terraform")
    rules = {name: (body.get("source_service_accounts") or body["source_ranges"], body["target_service_accounts"],
                    body["allow"][0]["ports"])
             for name, body in resources(blocks, "google_compute_firewall").items() if "_from_" in name}
    db = ["${google_service_account.db.email}"]
    assert rules == {
        "app_from_web": (["${google_service_account.web.email}"], ["${google_service_account.app.email}"], ['"8443"']),
        "db_from_app": (["${google_service_account.app.email}"], db, ['"5432"']),
        "db_from_reports": (["${google_service_account.reports.email}"], db, ['"5432"']),
        "db_from_nightly": (["${google_compute_subnetwork.main.ip_cidr_range}"], db, ['"5432"']),
        "db_from_portal": (["${google_vpc_access_connector.connector.ip_cidr_range}"], db, ['"5432"']),
        "db_from_jobs": (["${google_container_cluster.jobs.cluster_ipv4_cidr}"], db, ['"5432"'])}
