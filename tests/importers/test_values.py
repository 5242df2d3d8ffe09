"""Values the importer cannot take as they are: a value GCP would refuse is one line naming the file, the
resource and the argument, exit 1 and nothing written (never a traceback, never a default put in its place);
a value known only after apply falls back to GCP's default and the report says so. Both readers (HCL and
`terraform show -json`). And resources behind a conditional count (a billing budget switched on by a
variable): read as created, said in the notes."""
import json
import subprocess
import sys

import pytest
import yaml


def run(*args):
    return subprocess.run([sys.executable, "-m", "archplan", *args], capture_output=True, text=True)


def one_line_error(result, *words):
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr and "internal error" not in result.stderr, \
        result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def resource(type_name, name, values):
    return {"address": f"{type_name}.{name}", "mode": "managed", "type": type_name, "name": name, "values": values}


def plan_json(resources, configuration=None, changes=None):
    document = {"format_version": "1.2", "terraform_version": "1.9.8",
                "planned_values": {"root_module": {"resources": resources}}}
    if configuration is not None:
        document["configuration"] = {"root_module": {"resources": configuration}}
    if changes is not None:
        document["resource_changes"] = changes
    return document


def sql(settings):
    return resource("google_sql_database_instance", "db", {
        "name": "db", "region": "us-central1", "database_version": "POSTGRES_16",
        "settings": [{"tier": "db-custom-2-7680", **settings}]})


def vm(size):
    return resource("google_compute_instance", "vm", {
        "name": "vm", "zone": "us-central1-a", "machine_type": "e2-small",
        "boot_disk": [{"initialize_params": [{"size": size, "type": "pd-ssd"}]}]})


def run_service(limits=None, scaling=None):
    template = {"containers": [{"resources": [{"limits": limits or {"cpu": "1", "memory": "512Mi"}}]}]}
    if scaling:
        template["scaling"] = [scaling]
    return resource("google_cloud_run_v2_service", "api", {"name": "api", "location": "us-central1",
                                                           "template": [template]})


def redis(size):
    return resource("google_redis_instance", "cache", {"name": "cache", "region": "us-central1", "tier": "BASIC",
                                                        "memory_size_gb": size})


# Each was read as a default (Cloud SQL's 10 GB, Cloud Run's 1 vCPU...), dropped, or an internal error.
BAD_PLAN_VALUES = [
    (sql({"disk_size": -50}), "settings.disk_size", "google_sql_database_instance.db", "-50 is below 10"),
    (sql({"disk_size": "huge"}), "settings.disk_size", "google_sql_database_instance.db", "'huge' is not a number"),
    (sql({"disk_size": float("nan")}), "settings.disk_size", "google_sql_database_instance.db", "not a finite number"),
    (sql({"disk_size": True}), "settings.disk_size", "google_sql_database_instance.db", "true is not a number"),
    (sql({"disk_size": 20.5}), "settings.disk_size", "google_sql_database_instance.db", "not a whole number"),
    (vm(-5), "boot_disk.initialize_params.size", "google_compute_instance.vm", "-5 is below 10"),
    (vm("big"), "boot_disk.initialize_params.size", "google_compute_instance.vm", "'big' is not a number"),
    (run_service({"cpu": "NaN", "memory": "512Mi"}), "limits.cpu", "google_cloud_run_v2_service.api",
     "'NaN' is not a CPU amount"),
    (run_service({"cpu": float("inf"), "memory": "512Mi"}), "limits.cpu", "google_cloud_run_v2_service.api",
     "inf is not a CPU amount"),
    (run_service({"cpu": -2, "memory": "512Mi"}), "limits.cpu", "google_cloud_run_v2_service.api",
     "-2 is not a CPU amount"),
    (run_service({"cpu": "1", "memory": "-1Gi"}), "limits.memory", "google_cloud_run_v2_service.api",
     "not a memory size above 0"),
    (run_service({"cpu": "1", "memory": "0Mi"}), "limits.memory", "google_cloud_run_v2_service.api",
     "not a memory size above 0"),
    (run_service(scaling={"max_instance_count": "lots"}), "template.scaling.max_instance_count",
     "google_cloud_run_v2_service.api", "'lots' is not a number"),
    (run_service(scaling={"min_instance_count": -1}), "template.scaling.min_instance_count",
     "google_cloud_run_v2_service.api", "-1 is below 0"),
    (redis(-1), "memory_size_gb", "google_redis_instance.cache", "-1 is below 1"),
    (redis(float("-inf")), "memory_size_gb", "google_redis_instance.cache", "not a finite number"),
    (redis("five"), "memory_size_gb", "google_redis_instance.cache", "'five' is not a number"),
    (resource("google_compute_instance", "vm", {"name": "vm", "zone": "us-central1-a", "machine_type": 42}),
     "machine_type", "google_compute_instance.vm", "42 is not a machine type"),
    (resource("google_spanner_instance", "ledger", {"name": "ledger", "config": "regional-us-central1",
                                                    "processing_units": 150}),
     "processing_units", "google_spanner_instance.ledger", "multiples of 100"),
    (resource("google_cloud_tasks_queue", "q", {"name": "q", "location": "us-central1",
                                                "rate_limits": [{"max_dispatches_per_second": 0}]}),
     "rate_limits.max_dispatches_per_second", "google_cloud_tasks_queue.q", "not above 0"),
]


@pytest.mark.parametrize("planned, key, address, why", BAD_PLAN_VALUES,
                         ids=[f"{c[2]}.{c[1]}={c[3]}" for c in BAD_PLAN_VALUES])
def test_a_value_gcp_refuses_in_plan_json_is_one_line(tmp_path, planned, key, address, why):
    path = tmp_path / "tfplan.json"
    path.write_text(json.dumps(plan_json([planned])))  # NaN and Infinity as Python's json writes them
    out = tmp_path / "plan.yaml"
    line = one_line_error(run("import", "terraform-plan", str(path), "-o", str(out)), str(path), address, why)
    assert f": {key}: " in line or f".{key}: " in line, line
    assert not out.exists()


def test_a_gke_node_pool_disk_below_gcps_minimum_is_one_line(tmp_path):
    cluster = resource("google_container_cluster", "apps", {"name": "apps", "location": "us-central1",
                                                             "remove_default_node_pool": True})
    pool = resource("google_container_node_pool", "pool", {"name": "pool", "location": "us-central1",
                                                            "node_count": 1, "node_config": [
                                                                {"machine_type": "e2-standard-4", "disk_size_gb": -100}]})
    configuration = [{"address": "google_container_cluster.apps", "mode": "managed", "type": "google_container_cluster",
                      "name": "apps", "expressions": {}},
                     {"address": "google_container_node_pool.pool", "mode": "managed",
                      "type": "google_container_node_pool", "name": "pool",
                      "expressions": {"cluster": {"references": ["google_container_cluster.apps.id",
                                                                 "google_container_cluster.apps"]}}}]
    path = tmp_path / "tfplan.json"
    path.write_text(json.dumps(plan_json([cluster, pool], configuration)))
    one_line_error(run("import", "terraform-plan", str(path), "-o", str(tmp_path / "p.yaml")),
                   "node_config.disk_size_gb", "google_container_node_pool.pool", "-100 is below 10")


def test_a_configured_value_known_only_after_apply_is_said_not_silently_defaulted(tmp_path):
    """planned_values omits what is known only after apply; where the configuration sets that argument (here
    from another resource's attribute), the fallback to GCP's default is in the report."""
    db = sql({})
    configuration = [{"address": "google_sql_database_instance.db", "mode": "managed",
                      "type": "google_sql_database_instance", "name": "db", "expressions": {
                          "settings": [{"tier": {"constant_value": "db-custom-2-7680"},
                                        "disk_size": {"references": ["terraform_data.size.output",
                                                                     "terraform_data.size"]}}]}}]
    changes = [{"address": "google_sql_database_instance.db", "change": {
        "actions": ["create"], "after_unknown": {"settings": [{"disk_size": True, "disk_type": True}], "id": True}}}]
    path = tmp_path / "tfplan.json"
    path.write_text(json.dumps(plan_json([db], configuration, changes)))
    out = tmp_path / "plan.yaml"
    result = run("import", "terraform-plan", str(path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "google_sql_database_instance.db: settings.disk_size is not known before apply: read as 10 GB" \
        in result.stdout
    # disk_type is computed by the provider and not set in the configuration: GCP's default, nothing to say
    assert "disk_type" not in result.stdout
    assert yaml.safe_load(out.read_text())["components"]["db"]["storage_gb"] == 10


def test_a_value_gcp_refuses_in_hcl_is_one_line_with_the_resources_line(tmp_path):
    folder = tmp_path / "infra"
    folder.mkdir()
    body = ('variable "size" {\n  default = -20\n}\n'
            'resource "google_sql_database_instance" "db" {\n  name = "db"\n  region = "us-central1"\n'
            '  database_version = "MYSQL_8_0"\n  settings {\n    tier = "db-n1-standard-1"\n'
            '    disk_size = var.size\n  }\n}\n')
    (folder / "main.tf").write_text(body)
    one_line_error(run("import", "terraform", str(folder), "-o", str(tmp_path / "p.yaml")),
                   "infra/main.tf:4: settings.disk_size: google_sql_database_instance.db: -20 is below 10")
    (folder / "main.tf").write_text(body.replace("-20", '"a lot"'))
    one_line_error(run("import", "terraform", str(folder), "-o", str(tmp_path / "p.yaml")),
                   "infra/main.tf:4: settings.disk_size:", "'a lot' is not a number")
    # A number written as a string is converted, as Terraform converts it.
    (folder / "main.tf").write_text(body.replace("-20", '"50"'))
    out = tmp_path / "p.yaml"
    assert run("import", "terraform", str(folder), "-o", str(out)).returncode == 0
    assert yaml.safe_load(out.read_text())["components"]["db"]["storage_gb"] == 50


def test_a_variable_with_no_value_is_a_default_the_report_names(tmp_path):
    folder = tmp_path / "infra"
    folder.mkdir()
    (folder / "main.tf").write_text('''
variable "cpu" {}
variable "disk" {}
resource "google_cloud_run_v2_service" "api" {
  name     = "api"
  location = "us-central1"
  template {
    containers {
      image = "x"
      resources {
        limits = { cpu = var.cpu, memory = "1Gi" }
      }
    }
  }
}
resource "google_compute_instance" "vm" {
  name         = "vm"
  zone         = "us-central1-a"
  machine_type = "e2-small"
  boot_disk {
    initialize_params {
      size = var.disk
    }
  }
}
''')
    out = tmp_path / "p.yaml"
    result = run("import", "terraform", str(folder), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "google_cloud_run_v2_service.api: template.containers.resources.limits.cpu is not known before apply: " \
           "read as 1, Cloud Run's default" in result.stdout
    assert "google_compute_instance.vm: boot_disk.initialize_params.size is not known before apply" in result.stdout
    components = yaml.safe_load(out.read_text())["components"]
    assert components["api"]["cpu"] == 1 and "disk_gb" not in components["vm"]


BUDGET = '''
variable "billing_account" {
  type    = string
  default = null
}
data "google_project" "this" {}
resource "google_billing_budget" "monthly" {
  count           = var.billing_account == null ? 0 : 1
  billing_account = var.billing_account
  display_name    = "shop monthly budget"
  budget_filter {
    projects        = ["projects/${data.google_project.this.number}"]
    calendar_period = "MONTH"
  }
  amount {
    specified_amount {
      currency_code = "EUR"
      units         = "1500"
    }
  }
  threshold_rules {
    threshold_percent = 0.5
  }
  threshold_rules {
    threshold_percent = 1.2
  }
}
resource "google_redis_instance" "cache" {
  count          = var.billing_account != null ? 1 : 0
  name           = "cache"
  region         = "europe-west1"
  memory_size_gb = 2
}
resource "google_storage_bucket" "media" {
  for_each = var.billing_account == null ? toset([]) : toset(["media"])
  name     = each.key
  location = "EUROPE-WEST1"
}
'''


def test_a_budget_behind_a_conditional_count_is_the_plans_monthly_budget(tmp_path):
    folder = tmp_path / "infra"
    folder.mkdir()
    (folder / "main.tf").write_text(BUDGET)
    out = tmp_path / "plan.yaml"
    result = run("import", "terraform", str(folder), "-o", str(out))
    assert result.returncode == 0, result.stderr
    plan = yaml.safe_load(out.read_text())
    assert plan["project"]["monthly_budget"] == {"amount": 1500, "currency": "EUR", "alert_percents": [50, 120]}
    assert "google_billing_budget.monthly: count = var.billing_account == null ? 0 : 1 makes none until " \
           "var.billing_account is given: read as 1, assuming it is created" in result.stdout
    # The other resources behind the same switch: one instance each, said, not dropped.
    assert plan["components"]["cache"]["kind"] == "memorystore_redis"
    assert plan["components"]["media"]["kind"] == "cloud_storage"
    assert "google_redis_instance.cache: count = var.billing_account != null ? 1 : 0 makes none until" in result.stdout
    assert "google_storage_bucket.media: for_each = var.billing_account == null ? toset([]) : toset([\"media\"]) " \
           "makes none until" in result.stdout
    cost = run("cost", str(out), "--fail-if-over-budget")
    assert cost.returncode == 0, cost.stderr  # the budget is read by cost, and a few euros are within it
    assert run("check", str(out), "--fail-on", "never").returncode == 0  # a plan check reads


def test_a_count_that_holds_is_read_as_written_without_a_note(tmp_path):
    folder = tmp_path / "infra"
    folder.mkdir()
    (folder / "main.tf").write_text(BUDGET.replace("default = null", 'default = "012345-6789AB-CDEF01"'))
    out = tmp_path / "plan.yaml"
    result = run("import", "terraform", str(folder), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "assuming it is created" not in result.stdout
    assert yaml.safe_load(out.read_text())["project"]["monthly_budget"]["amount"] == 1500


def test_a_count_of_zero_that_is_not_a_switch_stays_zero(tmp_path):
    folder = tmp_path / "infra"
    folder.mkdir()
    (folder / "main.tf").write_text('''
resource "google_redis_instance" "off" {
  count          = 0
  name           = "off"
  region         = "europe-west1"
  memory_size_gb = 2
}
resource "google_redis_instance" "on" {
  name           = "on"
  region         = "europe-west1"
  memory_size_gb = 2
}
''')
    out = tmp_path / "plan.yaml"
    assert run("import", "terraform", str(folder), "-o", str(out)).returncode == 0
    assert set(yaml.safe_load(out.read_text())["components"]) == {"on"}


def test_a_budget_switched_off_in_plan_json_is_read_from_its_configuration(tmp_path):
    """terraform show -json leaves out a resource whose count is 0; its configuration still holds it."""
    bucket = resource("google_storage_bucket", "b", {"name": "b", "location": "EUROPE-WEST1"})
    configuration = [
        {"address": "google_storage_bucket.b", "mode": "managed", "type": "google_storage_bucket", "name": "b",
         "expressions": {"name": {"constant_value": "b"}}},
        {"address": "google_billing_budget.monthly", "mode": "managed", "type": "google_billing_budget",
         "name": "monthly", "count_expression": {"references": ["var.billing_account"]},
         "expressions": {"billing_account": {"references": ["var.billing_account"]},
                         "amount": [{"specified_amount": [{"currency_code": {"constant_value": "EUR"},
                                                           "units": {"constant_value": "1500"}}]}],
                         "threshold_rules": [{"threshold_percent": {"constant_value": 0.9}}]}}]
    path = tmp_path / "tfplan.json"
    path.write_text(json.dumps(plan_json([bucket], configuration)))
    out = tmp_path / "plan.yaml"
    result = run("import", "terraform-plan", str(path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    plan = yaml.safe_load(out.read_text())
    assert plan["project"]["region"] == "europe-west1"  # from the bucket's location, written in capitals
    assert plan["project"]["monthly_budget"] == {"amount": 1500, "currency": "EUR", "alert_percents": [90]}
    assert "google_billing_budget.monthly: count (from var.billing_account) makes no instance while " \
           "var.billing_account is null: read from its configuration as one" in result.stdout


@pytest.mark.parametrize("units, words", [
    ('"-5"', ["amount.specified_amount.units", "-5 is below 0"]),
    ('"lots"', ["amount.specified_amount.units", "'lots' is not a number"]),
])
def test_a_budget_amount_gcp_refuses_is_one_line(tmp_path, units, words):
    folder = tmp_path / "infra"
    folder.mkdir()
    (folder / "main.tf").write_text(BUDGET.replace('"1500"', units))
    one_line_error(run("import", "terraform", str(folder), "-o", str(tmp_path / "p.yaml")),
                   "google_billing_budget.monthly", *words)


def test_a_switch_the_files_decide_is_read_as_decided_and_said(tmp_path):
    """A module's inputs, and a root variable with a value, decide their conditions: a variant not chosen (a job
    where a service is) is not created, as Terraform would not create it, and the report says so."""
    folder = tmp_path / "infra"
    (folder / "modules" / "run").mkdir(parents=True)
    (folder / "modules" / "run" / "main.tf").write_text('''
variable "type" {
  default = "SERVICE"
}
variable "connector" {
  default = null
}
resource "google_cloud_run_v2_service" "service" {
  count    = var.type == "SERVICE" ? 1 : 0
  name     = "api"
  location = "us-central1"
  template {
    containers {
      image = "x"
    }
  }
}
resource "google_cloud_run_v2_job" "job" {
  count    = var.type == "JOB" ? 1 : 0
  name     = "api"
  location = "us-central1"
  template {
    template {
      containers {
        image = "x"
      }
    }
  }
}
resource "google_vpc_access_connector" "connector" {
  count         = var.connector != null ? 1 : 0
  name          = "c"
  region        = "us-central1"
  ip_cidr_range = "10.8.0.0/28"
}
''')
    (folder / "main.tf").write_text('module "api" {\n  source = "./modules/run"\n  type = "SERVICE"\n}\n')
    out = tmp_path / "plan.yaml"
    result = run("import", "terraform", str(folder), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert {c["kind"] for c in yaml.safe_load(out.read_text())["components"].values()} == {"cloud_run"}
    assert 'module.api.google_cloud_run_v2_job.job: count = var.type == "JOB" ? 1 : 0 makes none with the values ' \
           "given: not imported" in result.stdout
    assert "module.api.google_vpc_access_connector.connector: count = var.connector != null ? 1 : 0 makes none " \
           "with the values given: not imported" in result.stdout


def test_a_budget_read_back_from_the_terraform_archplan_generates(tmp_path):
    """generate writes the budget behind `var.billing_account == null ? 0 : 1` (the account is given at apply):
    import gives the plan's monthly_budget back."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump({
        "project": {"name": "shop", "region": "us-central1",
                    "monthly_budget": {"amount": 800, "currency": "USD", "alert_percents": [50, 100]}},
        "traffic": {"requests_per_month": 1000000},
        "components": {"api": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 100}}}))
    generated = run("generate", str(plan), "--target", "terraform", "-o", str(tmp_path / "out"))
    assert generated.returncode == 0, generated.stderr
    out = tmp_path / "imported.yaml"
    result = run("import", "terraform", str(tmp_path / "out" / "terraform"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load(out.read_text())["project"]["monthly_budget"] == {
        "amount": 800, "currency": "USD", "alert_percents": [50, 100]}


def test_a_plan_json_value_the_plan_refuses_names_the_resource(tmp_path):
    """What only the plan's own rules refuse (at most 8 vCPU an instance on Cloud Run) is caught when the plan is
    checked before writing; from plan JSON, which has no lines, the line names the resource it came from."""
    path = tmp_path / "tfplan.json"
    path.write_text(json.dumps(plan_json([run_service({"cpu": "64", "memory": "1Gi"})])))
    one_line_error(run("import", "terraform-plan", str(path), "-o", str(tmp_path / "p.yaml")),
                   f"{path}: google_cloud_run_v2_service.api: components.api: nothing was written",
                   "at most 8 vCPU")
