"""`archplan import` on Terraform written by others (tests/fixtures/terraform/, origins in ORIGIN.md), on
plan JSON, and on bad input: one line, exit 1, nothing written."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from archplan.importers.build import build
from archplan.importers.hcl.config import read_folder
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "terraform"


def run(*args):
    return subprocess.run([sys.executable, "-m", "archplan", *args], capture_output=True, text=True)


def imported(tmp_path, folder, *extra):
    out = tmp_path / "plan.yaml"
    result = run("import", "terraform", str(FIXTURES / folder), "-o", str(out), *extra)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(out.read_text())["components"], result.stdout


def test_fabric_cloudsql_replicas_match_fabrics_own_inventory(tmp_path):
    inventory = yaml.safe_load((FIXTURES / "fabric-cloudsql-replicas" / "inventory.yaml").read_text())["values"]
    primary = inventory["module.db.google_sql_database_instance.primary"]
    replicas = [v for k, v in inventory.items() if ".replicas[" in k]
    resources, notes = read_folder(FIXTURES / "fabric-cloudsql-replicas")
    result = build(resources, notes, "fabric")
    assert result.project["region"] == primary["region"]  # europe-west8, through Fabric's context lookup
    # The catalog of this branch may not price that region: import with a region it does.
    components, report = imported(tmp_path, "fabric-cloudsql-replicas", "--region", "us-central1")
    db = components["db"]
    assert db["kind"] == "cloud_sql"
    assert db["tier"] == primary["settings"][0]["tier"] == "db-g1-small"
    assert db["engine"] == "postgres" and db["version"] == primary["database_version"].split("_")[1]
    # Fabric's replicas sit in other regions than the primary (europe-west8): cross-region replicas, each in
    # its inventory region with its own tier where it differs; the primary keeps its region.
    assert "read_replicas" not in db and len(replicas) == 2
    assert db["region"] == "europe-west8"
    assert db["cross_region_replicas"] == [
        {"region": r["region"], **({"tier": r["settings"][0]["tier"]} if r["settings"][0]["tier"] != db["tier"] else {})}
        for r in sorted(replicas, key=lambda r: r["name"])]
    assert db["cross_region_replicas"] == [{"region": "europe-west3"},
                                           {"region": "us-central1", "tier": "db-custom-2-7680"}]
    assert db["ha"] is False  # the module's default availability_type is ZONAL
    assert db["private_ip"] is True  # psa_config set, public_ipv4 defaults to false
    assert "1 cloud_sql" in report


def test_fabric_cloud_run_reaches_cloud_sql_through_module_outputs(tmp_path):
    inventory = yaml.safe_load((FIXTURES / "fabric-cloud-run-cloudsql" / "inventory.yaml").read_text())["values"]
    service = inventory["module.cloud_run.google_cloud_run_v2_service.service[0]"]
    resources, notes = read_folder(FIXTURES / "fabric-cloud-run-cloudsql")
    assert build(resources, notes, "fabric").project["region"] == service["location"]
    components, report = imported(tmp_path, "fabric-cloud-run-cloudsql", "--region", "us-central1")
    assert components["cloud_run"]["kind"] == "cloud_run"
    # volumes.cloudsql.cloud_sql_instances = [module.cloudsql-instance.connection_name]: an edge, Postgres.
    assert components["cloud_run"]["depends_on"] == [{"name": "cloudsql-instance", "protocol": "Postgres"}]
    assert components["cloudsql-instance"]["ha"] is True  # availability_type = "REGIONAL" in the fixture
    assert "Cloud Run's defaults" in report  # no resources.limits in the example: said, not hidden


def test_docs_sample_cloud_run_with_cloud_sql_and_secrets(tmp_path):
    components, _ = imported(tmp_path, "docs-samples-run-connect-cloud-sql")
    service, db = components["cloudrun-service"], components["mysql-instance-1"]
    assert (db["engine"], db["version"], db["tier"]) == ("mysql", "8.0", "db-f1-micro")
    assert {"name": "mysql-instance-1", "protocol": "MySQL"} in service["depends_on"]
    assert "secrets" in service["depends_on"]  # env value_source.secret_key_ref
    assert components["secrets"]["secrets"] == ["dbusersecret", "dbpasssecret", "dbnamesecret"]


def test_docs_sample_pubsub_push_subscription_is_an_edge_to_its_endpoint(tmp_path):
    components, report = imported(tmp_path, "docs-samples-run-pubsub")
    # one topic, labelled `default`: the component takes its own name, as a single-resource kind's does
    assert components["pubsub_topic"]["depends_on"] == [{"name": "pubsub-tutorial", "protocol": "HTTPS"}]
    assert components["pubsub_topic"]["messages_per_month"] == 0 and "pubsub_topic.messages_per_month" in report


UNKNOWN = '''
resource "google_bigtable_instance" "main" {
  name = "main"
  cluster {
    cluster_id = "main-c1"
    zone       = "us-central1-b"
    num_nodes  = 1
  }
}
resource "google_cloud_run_v2_service" "api" {
  name     = "api"
  location = "us-central1"
  template {
    containers {
      image = "hello"
      resources {
        limits = { cpu = "2", memory = "1Gi" }
      }
    }
    scaling {
      min_instance_count = 1
      max_instance_count = 7
    }
  }
}
'''


def test_unknown_types_are_listed_and_kept_only_when_asked(tmp_path):
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(UNKNOWN)
    out = tmp_path / "plan.yaml"
    result = run("import", "terraform", str(tmp_path / "infra"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "google_bigtable_instance.main (infra/main.tf:2)" in result.stdout
    components = yaml.safe_load(out.read_text())["components"]
    assert set(components) == {"api"}
    assert components["api"] == {"kind": "cloud_run", "cpu": 2, "memory": "1Gi", "min_instances": 1,
                                 "max_instances": 7, "request_duration_ms": 100}
    kept = run("import", "terraform", str(tmp_path / "infra"), "-o", str(out), "--keep-unknown", "--force")
    assert kept.returncode == 0, kept.stderr
    components = yaml.safe_load(out.read_text())["components"]
    assert components["main"]["kind"] == "external"
    assert "placeholder" in out.read_text().split("main:")[1]
    assert run("validate", str(out)).returncode == 0


def _one_line_error(result, *words):
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.mark.parametrize("text, words", [
    ('resource "google_storage_bucket" "b" {\n  name = \n}\n', ["main.tf", "HCL does not parse"]),
    ('resource "aws_instance" "web" {\n  ami = "x"\n}\n', ["no google provider resources", "aws"]),
    # everything in a registry module: the error says which ones were not read, and what reads them
    # blocks nested past what the parser's recursion takes: said as such, not as a Python error
    ('resource "google_storage_bucket" "b" {\n  name = "b"\n  location = "us-central1"\n  labels = '
     + "{a = " * 400 + "1" + "}" * 400 + "\n}\n", ["main.tf: nested too deeply to read"]),
    ('module "db" {\n  source = "example-org/sql/google"\n  version = "~> 1.0"\n}\n',
     ["no google provider resources found; modules not read: db (example-org/sql/google)", "terraform show -json"]),
    ('resource "google_bigtable_instance" "x" {\n  name = "c"\n  region = "us-central1"\n}\n',
     ["none of the google resources", "google_bigtable_instance"]),
    # count is checked before it is expanded: 1e9 instances would hang, a negative or fractional one is an
    # error in Terraform too; the line is the argument's own.
    ('resource "google_storage_bucket" "b" {\n  name = "b"\n  location = "us-central1"\n  count = 1e9\n}\n',
     ["main.tf:4: count: google_storage_bucket.b", "more than the 1000"]),
    ('resource "google_storage_bucket" "b" {\n  name = "b"\n  location = "us-central1"\n  count = -3\n}\n',
     ["main.tf:4: count:", "-3 is not a whole number"]),
    ('resource "google_storage_bucket" "b" {\n  name = "b"\n  location = "us-central1"\n  count = "2.5"\n}\n',
     ["main.tf:4: count:", "2.5 is not a whole number"]),
    ('locals {\n  many = {for i in split(",", "%s") : i => i}\n}\nresource "google_pubsub_topic" "t" {\n'
     '  name = "t"\n  for_each = local.many\n}\n' % ",".join(f"t{i}" for i in range(1001)),
     ["main.tf:6: for_each: google_pubsub_topic.t", "1001 instances"]),
])
def test_bad_terraform_is_one_line_and_writes_nothing(tmp_path, text, words):
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(text)
    out = tmp_path / "plan.yaml"
    out.write_text("keep me\n")
    _one_line_error(run("import", "terraform", str(tmp_path / "infra"), "-o", str(out), "--force"), *words)
    assert out.read_text() == "keep me\n"  # an earlier file is left as it was
    assert sorted(p.name for p in tmp_path.iterdir()) == ["infra", "plan.yaml"]  # no temporary files


def test_no_tf_files_and_missing_folder(tmp_path):
    _one_line_error(run("import", "terraform", str(tmp_path), "-o", str(tmp_path / "p.yaml")), "no .tf files")
    _one_line_error(run("import", "terraform", str(tmp_path / "nope"), "-o", str(tmp_path / "p.yaml")),
                    "not a folder")
    assert not (tmp_path / "p.yaml").exists()


def test_a_plan_that_would_not_validate_is_not_written(tmp_path):
    out = tmp_path / "plan.yaml"
    result = run("import", "terraform", str(FIXTURES / "fabric-cloudsql-replicas"), "-o", str(out),
                 "--region", "mars-north1")
    _one_line_error(result, "does not validate", "nothing was written")
    assert not out.exists() and list(tmp_path.iterdir()) == []


def _plan_json(resources, configuration):
    return {"format_version": "1.2", "terraform_version": "1.11.4",
            "planned_values": {"root_module": resources}, "configuration": {"root_module": configuration}}


PLAN_RESOURCES = {
    "resources": [{"address": "google_redis_instance.cache", "mode": "managed", "type": "google_redis_instance",
                   "name": "cache", "values": {"name": "cache", "region": "us-central1", "tier": "STANDARD_HA",
                                               "memory_size_gb": 5, "redis_version": "REDIS_7_0",
                                               "auth_enabled": True}}],
    "child_modules": [{"address": "module.web", "resources": [{
        "address": "module.web.google_cloud_run_v2_service.this", "mode": "managed",
        "type": "google_cloud_run_v2_service", "name": "this",
        "values": {"name": "web", "location": "us-central1", "ingress": "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
                   "template": [{"max_instance_request_concurrency": 40, "scaling": [{"min_instance_count": 2,
                                                                                      "max_instance_count": 20}],
                                 "containers": [{"resources": [{"limits": {"cpu": "2", "memory": "2Gi"},
                                                                "cpu_idle": False}]}]}]}}]}],
}
PLAN_CONFIGURATION = {
    "resources": [{"address": "google_redis_instance.cache", "mode": "managed", "type": "google_redis_instance",
                   "name": "cache", "expressions": {"tier": {"constant_value": "STANDARD_HA"}}}],
    "module_calls": {"web": {"source": "./web", "expressions": {
        "redis_host": {"references": ["google_redis_instance.cache.host", "google_redis_instance.cache"]}},
        "module": {"resources": [{"address": "google_cloud_run_v2_service.this", "mode": "managed",
                                  "type": "google_cloud_run_v2_service", "name": "this",
                                  "expressions": {"template": [{"containers": [{"env": [{"value": {
                                      "references": ["var.redis_host"]}}]}]}]}}]}}},
}


def test_plan_json_with_a_module(tmp_path):
    """A hand-written plan in the documented `terraform show -json` format (format_version 1.2): values come
    from planned_values (modules included); the module's input that names the Redis instance is an edge."""
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(_plan_json(PLAN_RESOURCES, PLAN_CONFIGURATION)))
    out = tmp_path / "plan.yaml"
    result = run("import", "terraform-plan", str(path), "-o", str(out), "--name", "shop")
    assert result.returncode == 0, result.stderr
    document = yaml.safe_load(out.read_text())
    assert document["project"] == {"name": "shop", "region": "us-central1"}
    web, cache = document["components"]["web"], document["components"]["cache"]
    assert web == {"kind": "cloud_run", "cpu": 2, "memory": "2Gi", "min_instances": 2, "max_instances": 20,
                   "concurrency": 40, "cpu_allocation": "always", "request_duration_ms": 100,
                   "ingress": "internal-and-cloud-load-balancing",
                   "depends_on": [{"name": "cache", "protocol": "Redis"}]}
    assert cache == {"kind": "memorystore_redis", "tier": "standard", "capacity_gb": 5, "version": "7.0",
                     "auth_enabled": True}
    # Instance-based billing, 2 warm instances all month: 2 x 2 vCPU x 730 h x 3600 s of CPU is priced.
    cost = json.loads(run("cost", str(out), "--format", "json").stdout)
    web_lines = next(c for c in cost["components"] if c["name"] == "web")["line_items"]
    cpu = next(i for i in web_lines if "cpu" in i["sku"])
    assert cpu["quantity"] == 2 * 2 * 730 * 3600


@pytest.mark.parametrize("content, words", [
    ("{not json", ["not JSON"]),
    (json.dumps({"resources": []}), ["not `terraform show -json` plan output"]),
    (json.dumps(_plan_json({"resources": [{"address": "aws_instance.web", "mode": "managed", "type": "aws_instance",
                                            "name": "web", "values": {"ami": "x"}}]}, {})),
     ["no google provider resources", "aws"]),
])
def test_bad_plan_json_is_one_line(tmp_path, content, words):
    path = tmp_path / "plan.json"
    path.write_text(content)
    _one_line_error(run("import", "terraform-plan", str(path), "-o", str(tmp_path / "p.yaml")), *words)
    assert not (tmp_path / "p.yaml").exists()


def test_generated_multi_region_stack_imports_with_its_regions(tmp_path):
    """The Terraform archplan writes for a plan across regions reads back with each component's region, the
    cross-region replica and the turbo-replicated bucket (tests/fixtures/multiregion/events.yaml)."""
    plan = ROOT / "tests" / "fixtures" / "multiregion" / "events.yaml"
    assert run("generate", str(plan), "--target", "terraform", "-o", str(tmp_path / "out")).returncode == 0
    out = tmp_path / "plan.yaml"
    result = run("import", "terraform", str(tmp_path / "out" / "terraform"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    written = yaml.safe_load(out.read_text())
    assert written["project"]["region"] == "asia-south1"
    components = written["components"]
    assert components["api_delhi"]["region"] == "asia-south2" and "region" not in components["api_mumbai"]
    assert components["db"]["cross_region_replicas"] == [{"region": "asia-south2", "ha": True}]
    assert "read_replicas" not in components["db"]
    assert components["media"]["turbo_replication"] is True



def test_export_subscriptions_read_back_as_the_plans_components_and_edges(tmp_path):
    """tests/fixtures/pubsub-export/telemetry.yaml: `events` exports to the dataset `warehouse` (a BigQuery
    subscription per topic, each to a table of its own), `audit` to the bucket `archive`. Topics exporting to
    different targets come back as different components, each with its dead-letter topic; a BigQuery table
    reference is an edge to its dataset, a grant on a subscription (scorer's pull) an edge to the topics."""
    plan = ROOT / "tests" / "fixtures" / "pubsub-export" / "telemetry.yaml"
    assert run("generate", str(plan), "--target", "terraform", "-o", str(tmp_path / "out")).returncode == 0
    out = tmp_path / "plan.yaml"
    result = run("import", "terraform", str(tmp_path / "out" / "terraform"), "--region", "europe-west1",
                 "-o", str(out))
    assert result.returncode == 0, result.stderr
    components = yaml.safe_load(out.read_text())["components"]
    edges = {(name, d if isinstance(d, str) else d["name"]) for name, c in components.items()
             for d in c.get("depends_on", [])}
    assert edges == {("ingest", "events"), ("ingest", "audit"), ("scorer", "events"), ("events", "warehouse"),
                     ("audit", "archive")}
    assert components["events"]["topics"] == ["match-events", "player-events"]
    assert components["events"]["subscriptions_per_topic"] == 2 and "dead_letter" not in components["events"]
    assert components["audit"]["topics"] == ["audit-log"] and components["audit"]["dead_letter"] is True

PLAN_FIXTURES = ROOT / "tests" / "fixtures" / "terraform-plan"


def test_real_plan_json_compute_instance_in_a_zone(tmp_path):
    """checkov's plan_booleans tfplan.json (Terraform 1.1.3, origin in ORIGIN.md): the region comes from the
    instance's zone (us-central1-c); the scratch disk archplan does not price is said, not dropped silently."""
    source = json.loads((PLAN_FIXTURES / "checkov-plan-booleans.json").read_text())
    planned = source["planned_values"]["root_module"]["resources"][0]["values"]
    out = tmp_path / "plan.yaml"
    result = run("import", "terraform-plan", str(PLAN_FIXTURES / "checkov-plan-booleans.json"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    document = yaml.safe_load(out.read_text())
    assert document["project"]["region"] == planned["zone"].rsplit("-", 1)[0] == "us-central1"
    # access_config [{}]: an ephemeral IP; initialize_params names no type: the API's default, pd-standard
    assert document["components"] == {"test": {"kind": "compute_engine", "machine_type": planned["machine_type"],
                                               "disk_type": "pd-standard", "external_ip": True}}
    assert "scratch_disk (local SSD)" in result.stdout
    assert run("validate", str(out)).returncode == 0


def test_real_plan_json_needs_a_region_when_the_zone_is_not_one(tmp_path):
    """checkov's GoogleComputeDefaultServiceAccountFullAccess bad.json (Terraform 1.4.6): zone "blah"."""
    path = PLAN_FIXTURES / "checkov-compute-default-sa.json"
    _one_line_error(run("import", "terraform-plan", str(path), "-o", str(tmp_path / "p.yaml")), "pass --region")
    assert not (tmp_path / "p.yaml").exists()
    out = tmp_path / "plan.yaml"
    assert run("import", "terraform-plan", str(path), "-o", str(out), "--region", "us-central1").returncode == 0
    assert yaml.safe_load(out.read_text())["components"]["bad3"] == {
        "kind": "compute_engine", "machine_type": "e2-small", "disk_gb": 30, "disk_type": "pd-ssd"}
    cost = json.loads(run("cost", str(out), "--format", "json").stdout)
    disk = next(i for c in cost["components"] for i in c["line_items"] if i["sku"] == "pd_ssd")
    assert disk["quantity"] == 30 and disk["unit_price_usd"] == 0.17  # us-central1 pd-ssd, $/GiB-month
    assert disk["monthly"]["usd"] == 5.10  # 30 GiB x $0.17
    machine = next(i for c in cost["components"] for i in c["line_items"] if i["sku"] == "instance/e2-small/sud")
    assert machine["quantity"] == 730  # one VM all month


def test_traffic_is_commented_placeholders_and_cost_names_what_is_missing(tmp_path):
    """No traffic figure is written as a value: the traffic keys are commented out, listed in missing_usage
    with every component usage placeholder, and `cost` warns about each rather than pricing silent zeros."""
    out = tmp_path / "plan.yaml"
    result = run("import", "terraform", str(FIXTURES / "docs-samples-run-pubsub"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    document = yaml.safe_load(text)
    assert document["traffic"] is None  # only comments under it
    traffic_block = text.split("\ntraffic:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert traffic_block and all(line.lstrip().startswith("#") for line in traffic_block)
    assert "  # requests_per_month:" in traffic_block[0]
    assert document["missing_usage"][:3] == ["traffic.requests_per_month", "traffic.avg_request_kib",
                                             "traffic.avg_response_kib"]
    assert "components.pubsub_topic.messages_per_month" in document["missing_usage"]
    assert "traffic.requests_per_month" in result.stdout and "pubsub_topic.messages_per_month" in result.stdout
    assert run("validate", str(out)).returncode == 0
    warnings = json.loads(run("cost", str(out), "--format", "json").stdout)["warnings"]
    assert "traffic.requests_per_month is not known yet (missing_usage): the usage of pubsub-tutorial derived " \
           "from it is priced as none" in warnings
    assert "components.pubsub_topic.messages_per_month is not known yet (missing_usage): priced at the placeholder " \
           "the plan writes (0)" in warnings


SPANNER = '''
resource "google_spanner_instance" "ledger" {
  name         = "ledger"
  config       = "regional-us-central1"
  display_name = "Ledger"
  num_nodes    = 2
}
resource "google_spanner_database" "ledger" {
  instance         = google_spanner_instance.ledger.name
  name             = "accounts"
  database_dialect = "POSTGRESQL"
}
resource "google_spanner_instance" "small" {
  name             = "small"
  config           = "regional-us-central1"
  display_name     = "Small"
  processing_units = 300
}
'''


def test_spanner_nodes_multi_region_and_database(tmp_path):
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(SPANNER)
    out = tmp_path / "plan.yaml"
    result = run("import", "terraform", str(tmp_path / "infra"), "-o", str(out), "--region", "us-central1")
    assert result.returncode == 0, result.stderr
    components = yaml.safe_load(out.read_text())["components"]
    assert components["ledger"] == {"kind": "spanner", "processing_units": 2000, "database": "accounts",
                                    "database_dialect": "POSTGRESQL"}
    assert components["small"] == {"kind": "spanner", "processing_units": 300}
    # A multi-region instance is read as such; archplan has no price for it, so the import says so in one line.
    (tmp_path / "infra" / "main.tf").write_text(SPANNER.replace('"regional-us-central1"', '"nam3"', 1)
                                                .replace("num_nodes    = 2", "num_nodes    = 2\n  edition = \"ENTERPRISE_PLUS\""))
    _one_line_error(run("import", "terraform", str(tmp_path / "infra"), "-o", str(out), "--region", "us-central1",
                        "--force"),
                    "components.ledger.config", "no citable price", "multi-region configuration nam3")


def imported_text(tmp_path, text: str, *extra) -> tuple[dict, Path]:
    """Import one main.tf holding `text`: (components, the plan file written)."""
    folder = tmp_path / "tf"
    folder.mkdir()
    (folder / "main.tf").write_text(text)
    out = tmp_path / "plan.yaml"
    result = run("import", "terraform", str(folder), "-o", str(out), *extra)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(out.read_text())["components"], out


def test_a_designated_dr_replica_imports_as_dr_replica(tmp_path):
    """replication_cluster.failover_dr_replica_name on the primary ("project:instance", as in Google's
    cloud_sql_mysql_instance_switchover sample) marks that cross-region replica as the DR replica."""
    components, out = imported_text(tmp_path, '''
resource "google_sql_database_instance" "primary" {
  name             = "orders-primary"
  region           = "us-east1"
  database_version = "MYSQL_8_0"
  replication_cluster {
    failover_dr_replica_name = "my-project:orders-dr"
  }
  settings {
    tier    = "db-perf-optimized-N-2"
    edition = "ENTERPRISE_PLUS"
    backup_configuration {
      enabled            = true
      binary_log_enabled = true
    }
  }
}

resource "google_sql_database_instance" "dr" {
  name                 = "orders-dr"
  region               = "us-west2"
  database_version     = "MYSQL_8_0"
  master_instance_name = google_sql_database_instance.primary.name
  settings {
    tier    = "db-perf-optimized-N-2"
    edition = "ENTERPRISE_PLUS"
  }
}

resource "google_sql_database_instance" "reader" {
  name                 = "orders-reader"
  region               = "europe-west1"
  database_version     = "MYSQL_8_0"
  master_instance_name = google_sql_database_instance.primary.name
  settings {
    tier    = "db-perf-optimized-N-2"
    edition = "ENTERPRISE_PLUS"
  }
}
''')
    (db,) = [c for c in components.values() if c["kind"] == "cloud_sql"]
    assert sorted(db["cross_region_replicas"], key=lambda r: r["region"]) == [
        {"region": "europe-west1"}, {"region": "us-west2", "dr_replica": True}]
    assert run("validate", str(out)).returncode == 0


def test_a_configurable_dual_region_bucket_imports_with_its_two_regions(tmp_path):
    """location ASIA with custom_placement_config.data_locations, as in the provider's own acceptance test
    (testAccStorageBucket_dualLocation), reads back as a configurable dual-region; turbo replication kept."""
    components, out = imported_text(tmp_path, '''
resource "google_storage_bucket" "docs" {
  name     = "docs-bucket"
  location = "ASIA"
  rpo      = "ASYNC_TURBO"
  custom_placement_config {
    data_locations = ["ASIA-SOUTH1", "ASIA-SOUTHEAST1"]
  }
}
''', "--region", "asia-south1")
    (bucket,) = components.values()
    assert (bucket["location_type"], bucket["location"], bucket["data_locations"]) == \
        ("dual-region", "asia", ["asia-south1", "asia-southeast1"])
    assert bucket["turbo_replication"] is True
    assert run("validate", str(out)).returncode == 0


@pytest.mark.parametrize("text, name, kind", [
    ('resource "google_cloud_tasks_queue" "enrich_queue" {\n  name = "enrich-queue"\n  location = "us-central1"\n}\n',
     "enrich_queue", "cloud_tasks"),
    ('resource "google_pubsub_topic" "orders" {\n  name = "orders"\n}\n'
     'resource "google_cloud_run_v2_service" "api" {\n  name = "api"\n  location = "us-central1"\n'
     '  template {\n    containers {\n      image = "x"\n    }\n  }\n}\n', "orders", "pubsub"),
    ('resource "google_secret_manager_secret" "api_key" {\n  secret_id = "api-key"\n'
     '  replication {\n    auto {}\n  }\n}\nresource "google_cloud_run_v2_service" "api" {\n  name = "api"\n'
     '  location = "us-central1"\n  template {\n    containers {\n      image = "x"\n    }\n  }\n}\n',
     "api_key", "secret_manager"),
    ('resource "google_cloud_scheduler_job" "nightly" {\n  name = "nightly"\n  region = "us-central1"\n'
     '  schedule = "0 3 * * *"\n  http_target {\n    uri = "https://example.com"\n  }\n}\n', "nightly",
     "cloud_scheduler"),
])
def test_one_resource_of_a_grouping_kind_keeps_its_terraform_name(tmp_path, text, name, kind):
    # found by the trial (ingest.yaml): a queue enrich_queue (enrich-queue) was imported as `tasks`; topics,
    # secrets and scheduler jobs took `pubsub`, `secrets`, `scheduler` the same way
    components, _ = imported_text(tmp_path, text)
    assert components[name]["kind"] == kind, sorted(components)


def user_managed_secret(label: str, secret_id: str, *regions: str) -> str:
    replicas = "".join(f'      replicas {{\n        location = "{r}"\n      }}\n' for r in regions)
    return (f'resource "google_secret_manager_secret" "{label}" {{\n  secret_id = "${{var.prefix}}-{secret_id}"\n'
            f'  replication {{\n    user_managed {{\n{replicas}    }}\n  }}\n}}\n')


SECRETS_TF = '''
variable "prefix" {
  default = "shop"
}
resource "google_sql_database_instance" "db" {
  name             = "${var.prefix}-db"
  region           = "us-central1"
  database_version = "POSTGRES_16"
  settings {
    tier = "db-custom-2-7680"
  }
}
ephemeral "random_password" "db_app" {
  length = 24
}
resource "google_sql_user" "app" {
  name        = "app"
  instance    = google_sql_database_instance.db.name
  password_wo = ephemeral.random_password.db_app.result
}
resource "google_secret_manager_secret" "db_password" {
  secret_id = "${var.prefix}-db-password"
  replication {
    auto {}
  }
}
resource "google_secret_manager_secret_version" "db_password" {
  secret         = google_secret_manager_secret.db_password.id
  secret_data_wo = ephemeral.random_password.db_app.result
}
'''


def test_secrets_keep_their_own_ids_and_replica_regions_and_leave_the_database_password(tmp_path):
    # found in review: the generated Cloud SQL password secret (shop-db-password) became a plan secret and
    # was merged with DB_PASSWORD; ids kept the prefix (shop-api-key), which generate then prefixes again;
    # two user-managed replicas became `replication_locations: 2` without the regions
    text = SECRETS_TF + user_managed_secret("secret_db_password", "DB_PASSWORD", "us-central1", "europe-west1") + \
        user_managed_secret("secret_api_key", "api-key", "us-central1", "europe-west1") + \
        user_managed_secret("secret_audit", "audit", "europe-west1")
    components, out = imported_text(tmp_path, text)
    secrets = {name: c for name, c in components.items() if c["kind"] == "secret_manager"}
    assert sorted((c["secrets"], c["replication_regions"]) for c in secrets.values()) == [
        (["DB_PASSWORD", "api-key"], ["us-central1", "europe-west1"]), (["audit"], ["europe-west1"])]
    assert all("replication_locations" not in c for c in secrets.values())
    assert run("validate", str(out)).returncode == 0
    # The database password is the database's: generate writes it again, once.
    generated = run("generate", str(out), "--target", "terraform", "-o", str(tmp_path / "again"))
    assert generated.returncode == 0, generated.stderr
    ids = [line.split("=", 1)[1].strip() for line in (tmp_path / "again" / "terraform" / "secrets.tf").read_text()
           .splitlines() if line.strip().startswith("secret_id")]
    assert sorted(ids) == sorted(['"${var.prefix}-db-password"', '"${var.prefix}-DB_PASSWORD"',
                                  '"${var.prefix}-api-key"', '"${var.prefix}-audit"'])


def test_a_jobs_timeout_is_not_its_task_duration(tmp_path):
    # found in review: task_duration_seconds was written as the job's timeout (a limit, not a running time)
    components, out = imported_text(tmp_path, '''
resource "google_cloud_run_v2_job" "nightly" {
  name     = "nightly"
  location = "us-central1"
  template {
    template {
      timeout = "1800s"
      containers {
        image = "x"
      }
    }
  }
}
''')
    job = components["nightly"]
    assert job["timeout_seconds"] == 1800 and "task_duration_seconds" not in job
    plan = yaml.safe_load(out.read_text())
    assert "components.nightly.task_duration_seconds" in plan["missing_usage"]
    assert run("validate", str(out)).returncode == 0


GKE_TF = '''
resource "google_container_cluster" "apps" {
  name     = "apps"
  location = "us-central1"
  initial_node_count = 1
  node_config {
    machine_type = "e2-standard-4"
  }
}
'''
DEPLOYMENTS_TF = '''
resource "kubernetes_deployment_v1" "api" {
  metadata {
    name = "api"
  }
  spec {
    replicas = "3"
    template {
      metadata {
        labels = { app = "api" }
      }
      spec {
        container {
          name  = "api"
          image = "x"
          resources {
            requests = { cpu = "250m", memory = "512Mi" }
            limits   = { cpu = "1", memory = "512Mi" }
          }
        }
        container {
          name  = "proxy"
          image = "y"
          resources {
            limits = { cpu = "250m", memory = "256Mi" }
          }
        }
      }
    }
  }
}
resource "kubernetes_horizontal_pod_autoscaler_v1" "api" {
  metadata {
    name = "api"
  }
  spec {
    max_replicas = 10
    min_replicas = 3
    target_cpu_utilization_percentage = 60
    scale_target_ref {
      kind = "Deployment"
      name = "api"
    }
  }
}
'''


def test_gke_deployments_from_kubernetes_deployment_resources(tmp_path):
    # found in review: a cluster always came back with `deployments: []`
    components, out = imported_text(tmp_path, GKE_TF + DEPLOYMENTS_TF)
    (deployment,) = components["apps"]["deployments"]
    # pod requests: api 250m + proxy 250m (its limit, which Kubernetes copies into a missing request) = 0.5 vCPU;
    # 512Mi + 256Mi = 768Mi; limits 1 + 0.25 = 1.25 vCPU, memory limit 768Mi = the request (not written)
    assert deployment == {"name": "api", "replicas": 3, "cpu": 0.5, "memory": "768Mi", "cpu_limit": 1.25,
                          "max_replicas": 10, "target_cpu_utilization_percent": 60}
    assert run("validate", str(out)).returncode == 0


def test_gke_without_deployments_says_why(tmp_path):
    folder = tmp_path / "tf"
    folder.mkdir()
    (folder / "main.tf").write_text(GKE_TF)
    result = run("import", "terraform", str(folder), "-o", str(tmp_path / "plan.yaml"))
    assert result.returncode == 0 and "no kubernetes_deployment in this Terraform" in result.stdout
    assert "deployments" not in yaml.safe_load((tmp_path / "plan.yaml").read_text())["components"]["apps"]


@pytest.mark.parametrize(("region", "destination"), [("southamerica-east1", "south_america"),
                                                     ("australia-southeast1", "oceania"),
                                                     ("asia-south1", "asia_pacific"), ("us-east4", "north_america")])
def test_an_imported_cdn_serves_the_regions_continent(region, destination):
    from archplan.importers.google._base import continent_destination

    assert continent_destination(region) == destination


def test_a_secret_holding_a_random_value_of_its_own_stays_a_plan_secret(tmp_path):
    # a computed secret no component serves (not a Cloud SQL user's password) is still priced
    components, _ = imported_text(tmp_path, '''
resource "random_password" "token" {
  length = 32
}
resource "google_secret_manager_secret" "token" {
  secret_id = "api-token"
  replication {
    auto {}
  }
}
resource "google_secret_manager_secret_version" "token" {
  secret      = google_secret_manager_secret.token.id
  secret_data = random_password.token.result
}
resource "google_cloud_run_v2_service" "api" {
  name     = "api"
  location = "us-central1"
  template {
    containers {
      image = "x"
    }
  }
}
''')
    (secrets,) = [c for c in components.values() if c["kind"] == "secret_manager"]
    assert secrets["secrets"] == ["api-token"]


BUCKET = 'resource "google_storage_bucket" "files" {\n  name = "files-bkt"\n  location = "us-central1"\n}\n'


@pytest.mark.parametrize("topics, expected", [
    # the names share the prefix "orders-"; what follows it (0, 1) is no plan name, so the names stay whole
    ('resource "google_pubsub_topic" "orders" {\n  count = 2\n  name = "orders-${count.index}"\n}\n',
     ["orders-0", "orders-1"]),
    # names known only after apply: each instance by its label and key, not twice the same label
    ('resource "random_id" "suffix" {\n  byte_length = 2\n}\nresource "google_pubsub_topic" "events" {\n'
     '  for_each = toset(["a", "b"])\n  name = "events-${random_id.suffix.hex}-${each.key}"\n}\n',
     ["events_a", "events_b"]),
    # a name GCP allows (dots) and a plan does not: the label
    ('resource "google_pubsub_topic" "orders_v1" {\n  name = "orders.v1"\n}\n', ["orders_v1"]),
])
def test_topic_names_a_plan_cannot_hold_fall_back_to_their_labels(tmp_path, topics, expected):
    components, out = imported_text(tmp_path, topics + BUCKET)
    assert [c["topics"] for c in components.values() if c["kind"] == "pubsub"] == [expected]
    assert run("validate", str(out)).returncode == 0


def test_a_resource_reading_a_local_depends_on_what_the_local_reads(tmp_path):
    """The job's command is built in locals from the service's URL (two locals, the one read first written
    last): the reference went into the module's scope and no resource had it, so the edge was missing."""
    components, _ = imported_text(tmp_path, '''
locals {
  commands = ["curl -X POST ${local.endpoint}/refresh"]
  endpoint = google_cloud_run_v2_service.catalog.uri
}
resource "google_cloud_run_v2_service" "catalog" {
  name     = "catalog"
  location = "us-central1"
  template {
    containers {
      image = "x"
    }
  }
}
resource "google_cloud_run_v2_job" "refresh" {
  name     = "refresh"
  location = "us-central1"
  template {
    template {
      containers {
        image = "curl"
        args  = ["-c", join(" && ", local.commands)]
      }
    }
  }
}
''')
    assert components["refresh"]["depends_on"] == [{"name": "catalog", "protocol": "HTTPS"}]
    assert "depends_on" not in components["catalog"]


def test_variable_files_terraform_loads_on_its_own_set_the_variables(tmp_path):
    """terraform.tfvars and *.auto.tfvars(.json) were not read: a region given only there stopped the import
    (no region), and a tier or HA set there came back as the variable's default."""
    folder = tmp_path / "tf"
    folder.mkdir()
    (folder / "main.tf").write_text('''
variable "region" {
  type = string
}
variable "tier" {
  default = "db-f1-micro"
}
variable "ha" {
  default = false
}
resource "google_sql_database_instance" "ledger" {
  name             = "ledger"
  region           = var.region
  database_version = "POSTGRES_16"
  settings {
    tier              = var.tier
    availability_type = var.ha ? "REGIONAL" : "ZONAL"
  }
}
''')
    (folder / "terraform.tfvars").write_text('region = "europe-west1"\ntier = "db-custom-2-7680"\nha = false\n')
    (folder / "b.auto.tfvars.json").write_text('{"ha": true}\n')  # later files win: this one over terraform.tfvars
    (folder / "a.auto.tfvars").write_text('tier = "db-custom-1-3840"\n')  # and b over a (by name)
    (folder / "b.auto.tfvars").write_text('tier = "db-custom-4-15360"\n')
    out = tmp_path / "plan.yaml"
    result = run("import", "terraform", str(folder), "-o", str(out))
    assert result.returncode == 0, result.stderr
    plan = yaml.safe_load(out.read_text())
    assert plan["project"]["region"] == "europe-west1"
    db = plan["components"]["ledger"]
    assert (db["tier"], db["ha"]) == ("db-custom-4-15360", True)
    assert "tf/terraform.tfvars: variable values read (ha, region, tier)" in result.stdout
    (folder / "a.auto.tfvars").write_text('tier = \n')
    _one_line_error(run("import", "terraform", str(folder), "-o", str(tmp_path / "p.yaml")),
                    "tf/a.auto.tfvars:", "HCL does not parse")


def test_a_dynamic_blocks_iterator_is_no_resource_when_its_collection_is_unknown(tmp_path):
    """for_each known only after apply: the content was read with no iterator, so `backup.value` was taken for a
    resource of type backup (module.db.backup.value) and stood among the instance's references."""
    (tmp_path / "main.tf").write_text('''
resource "google_sql_database_instance" "db" {
  name             = "db"
  region           = "us-central1"
  database_version = "POSTGRES_16"
  settings {
    tier = "db-f1-micro"
    dynamic "backup_configuration" {
      for_each = google_kms_crypto_key.k.id == null ? [] : [{ on = true }]
      iterator = backup
      content {
        enabled = backup.value.on
      }
    }
  }
}
''')
    resources, _ = read_folder(tmp_path)
    assert resources[0].references == {"google_kms_crypto_key.k"}


def test_a_replica_of_a_cross_region_replica_is_in_that_region(tmp_path):
    """A DR replica in us-east1 with a read replica of its own (region from a zone known only after apply, and
    a depends_on that also names the primary): the second was counted as a read replica of the primary in its
    region, and the primary's price carried it at the wrong region."""
    components, out = imported_text(tmp_path, '''
resource "google_sql_database_instance" "primary" {
  name             = "primary"
  region           = "us-central1"
  database_version = "POSTGRES_16"
  settings {
    tier = "db-custom-2-7680"
  }
}
resource "google_sql_database_instance" "dr" {
  name                 = "dr"
  region               = "us-east1"
  database_version     = "POSTGRES_16"
  master_instance_name = google_sql_database_instance.primary.name
  settings {
    tier = "db-custom-2-7680"
  }
}
resource "google_sql_database_instance" "dr_reader" {
  name                 = "dr-reader"
  region               = join("-", slice(split("-", data.google_compute_zones.east.names[0]), 0, 2))
  database_version     = "POSTGRES_16"
  master_instance_name = google_sql_database_instance.dr.name
  depends_on           = [google_sql_database_instance.primary]
  settings {
    tier = "db-custom-2-7680"
  }
}
''')
    db = components["primary"]
    assert "read_replicas" not in db
    assert db["cross_region_replicas"] == [{"region": "us-east1"}, {"region": "us-east1"}]
    assert "google_sql_database_instance.dr_reader: region not known before apply: read as the region of the " \
           "instance it replicates, us-east1" in run("import", "terraform", str(tmp_path / "tf"), "-o",
                                                     str(tmp_path / "again.yaml")).stdout


def version_unknown_db(version: str = "data.google_sql_database_instance_latest_recovery_time.x.version") -> str:
    return f'''
resource "google_sql_database_instance" "db" {{
  name             = "db"
  region           = "us-central1"
  database_version = {version}
  settings {{
    tier = "db-f1-micro"
  }}
}}
'''


def test_cloud_sql_left_out_or_trimmed_says_why(tmp_path):
    version_unknown = version_unknown_db()
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "main.tf").write_text(version_unknown)
    # every resource left out: the error says why, not "none ... has a kind for:" and an empty list
    _one_line_error(run("import", "terraform", str(tmp_path / "a"), "-o", str(tmp_path / "p.yaml")),
                    "no component imported", "database_version is not known before apply")
    # Cloud SQL takes a database named tf-app; a plan's names do not: said, and the plan imports
    components, out = imported_text(tmp_path, version_unknown_db('"MYSQL_8_0"') + '''
resource "google_sql_database" "hyphen" {
  name     = "tf-app"
  instance = google_sql_database_instance.db.name
}
resource "google_sql_database" "plain" {
  name     = "orders"
  instance = google_sql_database_instance.db.name
}
''')
    assert components["db"]["databases"] == ["orders"]
    assert run("validate", str(out)).returncode == 0


def test_a_component_that_does_not_validate_is_named_at_its_terraform_line(tmp_path):
    """The error named a line of the plan that was not written (plan.yaml:39); it names the resource's file and
    line and the plan key."""
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text('\n\nresource "google_compute_instance" "worker" {\n  name = "worker"\n'
                                             '  zone = "us-central1-a"\n  machine_type = "n9-standard-4"\n'
                                             '  boot_disk {\n    initialize_params {\n      image = "debian-12"\n'
                                             '    }\n  }\n  network_interface {\n    network = "default"\n  }\n}\n')
    result = run("import", "terraform", str(tmp_path / "tf"), "-o", str(tmp_path / "plan.yaml"))
    _one_line_error(result, "tf/main.tf:3: components.worker.machine_type: nothing was written", "n9-standard-4")
    assert not (tmp_path / "plan.yaml").exists()


def test_cloud_run_numbers_given_as_strings_and_egress_through_a_connector(tmp_path):
    """A module's string variables ("8000", "4") were dropped (port 8080, no maximum), and egress through a
    connector whose id is known only after apply was read as Direct VPC egress."""
    components, out = imported_text(tmp_path, '''
variable "port" {
  type    = string
  default = "8000"
}
resource "google_vpc_access_connector" "egress" {
  name          = "egress"
  region        = "us-central1"
  ip_cidr_range = "10.8.0.0/28"
  network       = "default"
}
resource "google_cloud_run_v2_service" "api" {
  name     = "api"
  location = "us-central1"
  template {
    scaling {
      max_instance_count = "4"
    }
    containers {
      image = "x"
      ports {
        container_port = var.port
      }
    }
    vpc_access {
      connector = google_vpc_access_connector.egress.id
      egress    = "ALL_TRAFFIC"
    }
  }
}
''')
    api = components["api"]
    assert (api["port"], api["max_instances"]) == (8000, 4)
    assert "vpc_egress" not in api and api["depends_on"] == ["egress"]
    assert run("validate", str(out)).returncode == 0


GKE_ZONES = '''
resource "google_container_cluster" "zonal" {
  name               = "zonal"
  location           = "us-central1-a"
  node_locations     = ["us-central1-b"]
  initial_node_count = 1
  remove_default_node_pool = true
}
resource "google_container_node_pool" "zonal_pool" {
  name       = "zonal-pool"
  cluster    = google_container_cluster.zonal.id
  node_count = 2
  node_config {
    machine_type = "e2-standard-4"
  }
}
variable "project" {
  type = string
}
resource "google_container_cluster" "regional" {
  name               = "regional"
  location           = "us-central1"
  node_locations     = data.google_compute_zones.here.names
  initial_node_count = 1
  remove_default_node_pool = true
  workload_identity_config {
    workload_pool = "${var.project}.svc.id.goog"
  }
}
resource "google_container_node_pool" "one_zone" {
  name           = "one-zone"
  cluster        = google_container_cluster.regional.id
  node_locations = ["us-central1-f"]
  node_count     = 3
  node_config {
    machine_type = "e2-standard-4"
  }
}
'''


def test_gke_nodes_count_the_zones_their_node_locations_name(tmp_path):
    """A zonal cluster's node_locations omit its own zone (the provider's docs), so us-central1-a with [b] runs
    nodes in two zones, not one; a pool's own node_locations stand for the cluster's (3 nodes in one zone, not
    3 x 3); a list known only after apply is said, not silently three zones."""
    components, out = imported_text(tmp_path, GKE_ZONES)
    # 2 nodes a zone x 2 zones (a, b)
    assert components["zonal"]["node_pools"] == [{"name": "zonal-pool", "machine_type": "e2-standard-4", "nodes": 4}]
    # 3 nodes a zone x 1 zone
    assert components["regional"]["node_pools"] == [{"name": "one-zone", "machine_type": "e2-standard-4", "nodes": 3}]
    # a workload pool named from a variable with no value is still a workload pool
    assert components["regional"]["workload_identity"] is True and "workload_identity" not in components["zonal"]
    report = run("import", "terraform", str(tmp_path / "tf"), "-o", str(tmp_path / "again.yaml")).stdout
    assert "google_container_cluster.regional: node_locations is not known before apply: nodes counted in 3 " \
           "zone(s)" in report


def test_a_variable_with_no_value_is_unknown_not_null(tmp_path):
    """`"${var.env}_orders"` with no value for env read as "_orders" (null renders empty): a database name
    Terraform would never create, written as if read. Now unknown, so left out like any value known later."""
    components, _ = imported_text(tmp_path, version_unknown_db("\"POSTGRES_16\"") + '''
variable "env" {
  type = string
}
resource "google_sql_database" "orders" {
  name     = "${var.env}_orders"
  instance = google_sql_database_instance.db.name
}
''')
    assert "databases" not in components["db"]


def test_a_probe_path_that_is_no_url_path_is_said_and_left_out(tmp_path):
    """A literal ${...}, a quote and newlines in a probe path went into the plan and from there into the
    generated Cloud Build substitutions and manifests."""
    components, _ = imported_text(tmp_path, '''
resource "google_cloud_run_v2_service" "api" {
  name     = "api"
  location = "us-central1"
  template {
    containers {
      image = "x"
      startup_probe {
        http_get {
          path = "/ready$${file(\\"/etc/passwd\\")}\\"\\n"
        }
      }
      liveness_probe {
        http_get {
          path = "/healthz?full=1"
        }
      }
    }
  }
}
''')
    assert "health_check_path" not in components["api"]
    (tmp_path / "second").mkdir()
    kept, _ = imported_text(tmp_path / "second", BUCKET + '''
resource "google_cloud_run_v2_service" "api" {
  name     = "api"
  location = "us-central1"
  template {
    containers {
      image = "x"
      liveness_probe {
        http_get {
          path = "/healthz?full=1"
        }
      }
    }
  }
}
''')
    assert kept["api"]["health_check_path"] == "/healthz?full=1"


def test_a_v1_cloud_run_service_imports_from_its_knative_annotations(tmp_path):
    """google_cloud_run_service (v1, still common) was listed as a type archplan has no kind for, though the
    mapper said it read it: its scaling, CPU allocation, ingress and egress are Knative annotations."""
    components, out = imported_text(tmp_path, '''
resource "google_vpc_access_connector" "link" {
  name          = "link"
  region        = "europe-west1"
  ip_cidr_range = "10.8.0.0/28"
  network       = "default"
}
resource "google_redis_instance" "sessions" {
  name           = "sessions"
  region         = "europe-west1"
  memory_size_gb = 1
}
resource "google_cloud_run_service" "shop" {
  name     = "shop"
  location = "europe-west1"
  metadata {
    annotations = {
      "run.googleapis.com/ingress" = "internal-and-cloud-load-balancing"
    }
  }
  template {
    metadata {
      annotations = {
        "autoscaling.knative.dev/minScale"        = "1"
        "autoscaling.knative.dev/maxScale"        = "20"
        "run.googleapis.com/cpu-throttling"       = "false"
        "run.googleapis.com/vpc-access-connector" = google_vpc_access_connector.link.id
        "run.googleapis.com/vpc-access-egress"    = "all"
      }
    }
    spec {
      container_concurrency = 40
      timeout_seconds       = 120
      containers {
        image = "x"
        env {
          name  = "REDIS_HOST"
          value = google_redis_instance.sessions.host
        }
        ports {
          container_port = 3000
        }
        resources {
          limits = {
            cpu    = "2"
            memory = "1Gi"
          }
        }
      }
    }
  }
}
resource "google_cloud_run_service_iam_member" "public" {
  service  = google_cloud_run_service.shop.name
  location = google_cloud_run_service.shop.location
  role     = "roles/run.invoker"
  member   = "allUsers"
}
''')
    shop = components["shop"]
    assert shop["kind"] == "cloud_run"
    assert {k: v for k, v in shop.items() if k not in ("kind", "depends_on", "request_duration_ms")} == {
        "cpu": 2, "memory": "1Gi", "min_instances": 1, "max_instances": 20, "concurrency": 40,
        "cpu_allocation": "always", "ingress": "internal-and-cloud-load-balancing", "allow_unauthenticated": True,
        "timeout_seconds": 120, "port": 3000}  # egress through the connector: no Direct VPC egress
    assert shop["depends_on"] == [{"name": "sessions", "protocol": "Redis"}, "link"]
    assert run("cost", str(out)).returncode == 0


WEB_SERVICE = '''resource "google_cloud_run_v2_service" "web" {
  name     = "web"
  location = "us-central1"
  template {
    containers {
      image = "x"
    }
  }
}
'''


def test_a_load_balancer_on_an_ephemeral_address_is_imported(tmp_path):
    """No google_compute_global_address (the forwarding rule takes an ephemeral IP, as Fabric's
    net-lb-app-ext does by default): the mapper never ran and the load balancer vanished without a note."""
    components, out = imported_text(tmp_path, WEB_SERVICE + '''
resource "google_compute_region_network_endpoint_group" "web" {
  name                  = "web"
  region                = "us-central1"
  network_endpoint_type = "SERVERLESS"
  cloud_run {
    service = google_cloud_run_v2_service.web.name
  }
}
resource "google_compute_backend_service" "web" {
  name = "web"
  backend {
    group = google_compute_region_network_endpoint_group.web.id
  }
}
resource "google_compute_url_map" "web" {
  name            = "web"
  default_service = google_compute_backend_service.web.id
}
resource "google_compute_target_http_proxy" "web" {
  name    = "web"
  url_map = google_compute_url_map.web.id
}
resource "google_compute_global_forwarding_rule" "frontend" {
  name       = "frontend"
  target     = google_compute_target_http_proxy.web.id
  port_range = "80"
}
''')
    assert components["frontend"]["kind"] == "load_balancer"
    assert components["frontend"]["depends_on"] == [{"name": "web", "protocol": "HTTPS"}]
    assert run("cost", str(out)).returncode == 0


def test_an_attribute_access_continued_on_the_next_line_parses(tmp_path):
    """`var.config` then `.nested` on the next line (valid HCL in parentheses, in Fabric's gke-nodepool) did
    not parse with python-hcl2, and the whole import stopped; the lines after it keep their numbers."""
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text('''variable "config" {
  default = { sizes = { disk = 20 } }
}
resource "google_storage_bucket" "files" {
  name     = "files"
  location = "us-central1"
  labels = {
    disk = tostring(try(
      var.config
      .sizes
      .disk,
      10
    ))
  }
}
resource "google_storage_bucket" "logs" {
  name     = "logs"
  location = "us-central1"
}
''')
    resources, _ = read_folder(tmp_path / "tf")
    assert [(r.address, r.line) for r in resources] == [("google_storage_bucket.files", 4),
                                                         ("google_storage_bucket.logs", 16)]
    assert resources[0].values["labels"] == {"disk": "20"}


def test_a_byte_order_mark_and_windows_line_endings_are_read(tmp_path):
    """A UTF-8 byte order mark (written by Windows editors) stopped the import: HCL does not parse."""
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_bytes(b'\xef\xbb\xbf' + BUCKET.replace("\n", "\r\n").encode())
    (tmp_path / "tf" / "terraform.tfvars").write_bytes(b'\xef\xbb\xbfunused = 1\r\n')
    resources, _ = read_folder(tmp_path / "tf")
    assert [(r.address, r.line, r.values["location"]) for r in resources] == [
        ("google_storage_bucket.files", 1, "us-central1")]


def test_a_secret_given_to_the_component_its_value_is_read_from_is_said(tmp_path):
    """A settings secret built from the database's user and instance went to the database component with no
    word in the report: one secret fewer priced, silently."""
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(version_unknown_db('"POSTGRES_16"') + '''
resource "google_sql_user" "app" {
  name     = "app"
  instance = google_sql_database_instance.db.name
  password = "x"
}
resource "google_secret_manager_secret" "settings" {
  secret_id = "settings"
  replication {
    auto {}
  }
}
resource "google_secret_manager_secret_version" "settings" {
  secret      = google_secret_manager_secret.settings.id
  secret_data = "postgres://${google_sql_user.app.name}@${google_sql_database_instance.db.private_ip_address}/app"
}
''')
    result = run("import", "terraform", str(tmp_path / "tf"), "-o", str(tmp_path / "plan.yaml"))
    assert result.returncode == 0, result.stderr
    assert "google_secret_manager_secret.settings: its value is computed in Terraform from db's resources" \
        in result.stdout
    assert [c["kind"] for c in yaml.safe_load((tmp_path / "plan.yaml").read_text())["components"].values()] == \
        ["cloud_sql"]


def test_an_expression_nested_too_deeply_is_a_note_not_an_internal_error(tmp_path):
    """300 nested parentheses parse as HCL but exhausted the evaluator's recursion: an internal error."""
    result = run("import", "terraform", str(_folder(tmp_path, "locals {\n  x = " + "(" * 300 + "1" + ")" * 300
                                                    + "\n}\n" + BUCKET)), "-o", str(tmp_path / "plan.yaml"))
    assert result.returncode == 0, result.stderr
    assert "tf/main.tf: expression not read (nested too deeply)" in result.stdout


def _folder(tmp_path, text: str):
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(text)
    return tmp_path / "tf"


def test_a_replica_of_an_instance_elsewhere_is_said(tmp_path):
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(version_unknown_db('"POSTGRES_16"') + '''
resource "google_sql_database_instance" "reader" {
  name                 = "reader"
  region               = "us-central1"
  database_version     = "POSTGRES_16"
  master_instance_name = "an-instance-of-another-project"
  settings {
    tier = "db-f1-micro"
  }
}
''')
    result = run("import", "terraform", str(tmp_path / "tf"), "-o", str(tmp_path / "plan.yaml"))
    assert "google_sql_database_instance.reader: a replica of an instance that is not in this Terraform: left out" \
        in result.stdout
    assert "read_replicas" not in yaml.safe_load((tmp_path / "plan.yaml").read_text())["components"]["db"]


def test_a_cloud_run_iam_policy_is_plumbing_with_a_word_on_the_invoker(tmp_path):
    """google_cloud_run_service_iam_policy was listed as a type with no kind (--keep-unknown would price it as a
    vendor); it is IAM, and its policy_data (a data source) is not read: the report says so."""
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(WEB_SERVICE + '''
data "google_iam_policy" "public" {
  binding {
    role    = "roles/run.invoker"
    members = ["allUsers"]
  }
}
resource "google_cloud_run_service_iam_policy" "public" {
  location    = google_cloud_run_v2_service.web.location
  service     = google_cloud_run_v2_service.web.name
  policy_data = data.google_iam_policy.public.policy_data
}
''')
    result = run("import", "terraform", str(tmp_path / "tf"), "-o", str(tmp_path / "plan.yaml"))
    assert result.returncode == 0, result.stderr
    assert "no kind for" not in result.stdout
    assert "google_cloud_run_v2_service.web: who may invoke it is an IAM policy (policy_data) not read here" \
        in result.stdout


def test_an_argument_named_like_a_meta_argument_inside_a_block_is_read(tmp_path):
    """`count` is a meta-argument at a resource's top level only: a Cloud Armor rule's rate_limit_threshold
    has its own `count`, which the reader dropped, so a generated rate-based ban came back as a rule of the
    user's own instead of rate_limit_per_minute (a trial's round trip)."""
    folder = tmp_path / "tf"
    folder.mkdir()
    (folder / "main.tf").write_text('''
variable "zone" {
  default = "europe-west3-b"
}
provider "google" {
  zone = var.zone
}
resource "google_compute_security_policy" "edge" {
  name = "edge"
  rule {
    priority = 2000
    action   = "rate_based_ban"
    match {
      versioned_expr = "SRC_IPS_V1"
      config {
        src_ip_ranges = ["*"]
      }
    }
    rate_limit_options {
      conform_action   = "allow"
      exceed_action    = "deny(429)"
      enforce_on_key   = "IP"
      ban_duration_sec = 600
      rate_limit_threshold {
        count        = 50
        interval_sec = 10
      }
    }
  }
  rule {
    priority = 2147483647
    action   = "allow"
    match {
      versioned_expr = "SRC_IPS_V1"
      config {
        src_ip_ranges = ["*"]
      }
    }
  }
}
''')
    out = tmp_path / "plan.yaml"
    result = run("import", "terraform", str(folder), "-o", str(out))
    assert result.returncode == 0, result.stderr
    plan = yaml.safe_load(out.read_text())
    # no resource names a region: the provider's default zone, europe-west3-b, places the plan
    assert plan["project"]["region"] == "europe-west3"
    armor = plan["components"]["edge"]
    assert armor["rate_limit_per_minute"] == 300  # 50 requests per 10 s
    assert "rules" not in armor


def test_a_module_with_for_each_or_count_is_one_set_of_resources_per_instance(tmp_path):
    """module "svc" { for_each = toset(["a", "b", "c"]) } makes three databases, as Terraform does; the reader
    made one (priced a third of the cost). Each is named after its key; count works the same way."""
    folder = tmp_path / "tf"
    (folder / "modules" / "svc").mkdir(parents=True)
    (folder / "modules" / "svc" / "main.tf").write_text('''
variable "name" {}
resource "google_sql_database_instance" "db" {
  name             = "db-${var.name}"
  region           = "europe-west1"
  database_version = "POSTGRES_15"
  settings {
    tier = "db-custom-2-7680"
  }
}
''')
    (folder / "main.tf").write_text('''
module "svc" {
  source   = "./modules/svc"
  for_each = toset(["a", "b", "c"])
  name     = each.key
}
module "batch" {
  source = "./modules/svc"
  count  = 2
  name   = "batch-${count.index}"
}
''')
    out = tmp_path / "plan.yaml"
    result = run("import", "terraform", str(folder), "-o", str(out))
    assert result.returncode == 0, result.stderr
    components = yaml.safe_load(out.read_text())["components"]
    assert sorted(components) == ["db_0", "db_1", "db_a", "db_b", "db_c"]
    assert {c["tier"] for c in components.values()} == {"db-custom-2-7680"}


@pytest.mark.parametrize("levels, message", [
    (100, "child_modules nested deeper than 64 levels"),
    (5000, "JSON nested too deeply to be `terraform show -json` output"),
])
def test_plan_json_nested_past_reason_is_one_line_not_an_internal_error(tmp_path, levels, message):
    """2,000 levels of child_modules gave 'internal error (RecursionError)'; now one line naming the file."""
    path = tmp_path / "plan.json"
    path.write_text('{"format_version": "1.2", "planned_values": {"root_module": '
                    + '{"child_modules": [' * levels + "{}" + "]}" * levels + "}}")
    result = run("import", "terraform-plan", str(path), "-o", str(tmp_path / "p.yaml"))
    assert result.returncode == 1 and result.stderr.splitlines() == [f"error: {path}: {message}"]
    assert not (tmp_path / "p.yaml").exists()


def test_a_tf_file_past_two_mib_is_one_line_not_minutes(tmp_path):
    """A 5 MB .tf ran past two minutes (a trial); one past 2 MiB is refused at once with what to do instead."""
    from archplan.importers.hcl.config import MAX_FILE_BYTES

    folder = tmp_path / "tf"
    folder.mkdir()
    (folder / "big.tf").write_text("#" * (MAX_FILE_BYTES + 1))
    result = run("import", "terraform", str(folder), "-o", str(tmp_path / "p.yaml"))
    assert result.returncode == 1 and len(result.stderr.splitlines()) == 1
    assert "big.tf: the file is larger than 2 MiB" in result.stderr and "terraform show -json" in result.stderr


@pytest.mark.parametrize("text, region", [
    # a bucket's location as the console and most configurations write it, in capitals
    ('resource "google_storage_bucket" "media" {\n  name = "media"\n  location = "EUROPE-WEST1"\n}\n', "europe-west1"),
    # a Spanner instance's regional configuration names its region
    ('resource "google_spanner_instance" "ledger" {\n  name = "ledger"\n  config = "regional-asia-south1"\n'
     '  display_name = "Ledger"\n  num_nodes = 1\n}\n', "asia-south1"),
])
def test_the_region_is_read_from_a_bucket_location_in_capitals_and_a_spanner_config(tmp_path, text, region):
    # found by importing hand-written configurations: both asked for --region
    _, out = imported_text(tmp_path, text)
    assert yaml.safe_load(out.read_text())["project"]["region"] == region
