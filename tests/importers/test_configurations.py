"""Hand-written configurations of common GCP architectures and hostile ones, imported, then priced and checked:
what importing them found (a MIG behind a load balancer left out, names that collide once generated, labels
in other scripts, a regional pool in two zones priced as three without a word)."""
import json

import pytest
import yaml

from tests.importers.test_terraform import imported_text, run

MIG = '''
locals {
  region = "us-central1"
}
resource "google_compute_instance_template" "web" {
  name_prefix  = "web-"
  machine_type = "n2-standard-2"
  region       = local.region
  disk {
    source_image = "debian-cloud/debian-12"
    boot         = true
    disk_size_gb = 20
    disk_type    = "pd-balanced"
  }
  network_interface {
    network = "default"
  }
}
resource "google_compute_region_instance_group_manager" "web" {
  name               = "web-mig"
  region             = local.region
  base_instance_name = "web"
  version {
    instance_template = google_compute_instance_template.web.id
  }
  target_size = 3
}
resource "google_compute_region_autoscaler" "web" {
  name   = "web-as"
  region = local.region
  target = google_compute_region_instance_group_manager.web.id
  autoscaling_policy {
    min_replicas = 3
    max_replicas = 12
  }
}
resource "google_compute_backend_service" "web" {
  name = "web-backend"
  backend {
    group = google_compute_region_instance_group_manager.web.instance_group
  }
}
resource "google_compute_url_map" "web" {
  name            = "web-urlmap"
  default_service = google_compute_backend_service.web.id
}
resource "google_compute_target_https_proxy" "web" {
  name    = "web-https"
  url_map = google_compute_url_map.web.id
}
resource "google_compute_global_address" "lb" {
  name = "web-ip"
}
resource "google_compute_global_forwarding_rule" "web" {
  name       = "web-fr"
  target     = google_compute_target_https_proxy.web.id
  ip_address = google_compute_global_address.lb.id
}
'''


def test_a_managed_instance_group_behind_a_load_balancer_is_its_vms(tmp_path):
    # found by importing it: the MIG, its template and autoscaler were "types archplan has no kind for", so the
    # load balancer had no backend and the VMs no price
    components, out = imported_text(tmp_path, MIG)
    assert components["web"] == {"kind": "compute_engine", "machine_type": "n2-standard-2", "count": 3,
                                 "disk_gb": 20, "disk_type": "pd-balanced"}
    assert components["lb"]["kind"] == "load_balancer" and components["lb"]["depends_on"] == ["web"]
    report = run("import", "terraform", str(tmp_path / "tf"), "-o", str(out), "--force").stdout
    assert "its autoscaler runs 3 to 12 VMs: priced as 3" in report
    assert "no kind for" not in report
    cost = json.loads(run("cost", str(out), "--format", "json").stdout)
    vms = next(i for c in cost["components"] if c["name"] == "web" for i in c["line_items"]
               if i["sku"] == "instance/n2-standard-2/sud")
    assert vms["quantity"] == 3 * 730


def test_a_group_with_no_target_size_runs_its_autoscalers_minimum(tmp_path):
    components, _ = imported_text(tmp_path, MIG.replace("  target_size = 3\n", "").replace("min_replicas = 3",
                                                                                           "min_replicas = 2"))
    assert components["web"]["count"] == 2


def test_a_regional_pool_in_two_zones_says_how_it_is_priced(tmp_path):
    components, out = imported_text(tmp_path, '''
resource "google_container_cluster" "apps" {
  name                     = "apps"
  location                 = "us-east1"
  remove_default_node_pool = true
  initial_node_count       = 1
  node_locations           = ["us-east1-b", "us-east1-c"]
}
resource "google_container_node_pool" "general" {
  name       = "general"
  cluster    = google_container_cluster.apps.id
  location   = "us-east1"
  node_count = 2
  node_config {
    machine_type = "n2-standard-4"
  }
}
''')
    assert components["apps"]["node_pools"][0]["nodes"] == 4
    report = run("import", "terraform", str(tmp_path / "tf"), "-o", str(out), "--force").stdout
    assert "node pool general: 4 nodes across the zones its node_locations name, but a regional pool in a plan " \
           "runs the same count in each of 3 zones: priced as 6 nodes" in report


def test_names_that_collide_once_generated_are_numbered(tmp_path):
    # found by importing it: api-data and api_data (and topics orders and Orders) are different in Terraform and
    # GCP, one name in a plan: the import stopped with "the imported plan does not validate"
    components, out = imported_text(tmp_path, '''
resource "google_storage_bucket" "api-data" {
  name     = "acme-api-data"
  location = "US-CENTRAL1"
}
resource "google_storage_bucket" "api_data" {
  name     = "acme-api-data-2"
  location = "US-CENTRAL1"
}
resource "google_cloud_run_v2_service" "API_DATA" {
  name     = "api-data"
  location = "us-central1"
  template {
    containers {
      image = "x"
    }
  }
}
resource "google_pubsub_topic" "Orders" {
  name = "orders"
}
resource "google_pubsub_topic" "orders" {
  name = "Orders"
}
''')
    assert sorted(components) == ["API_DATA", "api-data_2", "api_data_3", "pubsub"]
    assert components["pubsub"]["topics"] == ["Orders", "orders_2"]
    assert run("validate", str(out)).returncode == 0


def test_labels_in_other_scripts_and_long_labels_make_plan_names(tmp_path):
    long_label = "a_very_long_label_for_the_customer_documents_bucket_of_the_archive_team"
    components, out = imported_text(tmp_path, f'''
resource "google_storage_bucket" "données" {{
  name     = "donnees-clients"
  location = "EU"
}}
resource "google_cloud_run_v2_service" "サービス" {{
  name     = "api-日本"
  location = "asia-northeast1"
  template {{
    containers {{
      image = "x"
    }}
  }}
}}
resource "google_cloud_run_v2_service" "処理" {{
  name     = "処理"
  location = "asia-northeast1"
  template {{
    containers {{
      image = "x"
    }}
  }}
}}
resource "google_storage_bucket" "{long_label}" {{
  name     = "archive"
  location = "EU"
}}
''')
    assert sorted(components) == sorted(["donnees", "api", "cloud_run_v2_service", long_label[:50]])
    assert run("validate", str(out)).returncode == 0


def test_a_scheduler_job_publishing_to_a_topic_depends_on_it(tmp_path):
    # found by importing it: the job's target was set to the topic's component, which a plan's scheduler job may
    # not name (it calls services, functions and jobs): "the imported plan does not validate"
    components, out = imported_text(tmp_path, '''
resource "google_pubsub_topic" "orders" {
  name = "orders"
}
resource "google_cloud_scheduler_job" "tick" {
  name     = "tick"
  region   = "europe-west4"
  schedule = "*/5 * * * *"
  pubsub_target {
    topic_name = google_pubsub_topic.orders.id
    data       = base64encode("tick")
  }
}
''')
    assert components["tick"]["jobs"] == [{"name": "tick", "schedule": "*/5 * * * *"}]
    assert components["tick"]["depends_on"] == ["orders"]
    assert run("check", str(out), "--fail-on", "never").returncode == 0  # a plan check reads
