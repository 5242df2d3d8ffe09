"""Generated Terraform parses (python-hcl2), is `terraform fmt` clean, and covers every component kind."""
import shutil
import subprocess

import hcl2
import pytest

from archplan import components
from archplan.generate.terraform import kind_modules
from tests.generate.conftest import PLAN_NAMES, load_hcl


def test_every_tf_file_parses(generated):
    files = sorted(generated.rglob("*.tf"))
    assert len(files) > 50
    for path in files:
        with open(path) as handle:
            hcl2.load(handle)


@pytest.mark.skipif(shutil.which("terraform") is None, reason="no terraform binary on PATH")
def test_terraform_fmt_leaves_files_unchanged(generated):
    for name in PLAN_NAMES:
        result = subprocess.run(["terraform", "fmt", "-check", "-recursive", str(generated / name / "terraform")],
                                capture_output=True, text=True)
        assert result.returncode == 0, f"{name}: terraform fmt would change {result.stdout}"


def test_every_component_kind_has_a_terraform_module():
    assert set(components.kinds()) <= set(kind_modules())
    for module in kind_modules().values():
        assert callable(module.generate)


def test_google_provider_is_pinned_to_a_major_version(generated):
    versions = load_hcl(generated / "starter" / "terraform" / "versions.tf")
    google = versions["terraform"][0]["required_providers"][0]["google"]
    assert google["source"] == "hashicorp/google" and google["version"].startswith("~> ")


def test_variables_are_typed_and_described(generated):
    for path in generated.glob("*/terraform/variables.tf"):
        for variable in load_hcl(path)["variable"]:
            (name, body), = variable.items()
            assert "type" in body and body.get("description"), f"{path}: variable {name}"


def resources(generated, example: str) -> dict:
    found = {}
    for path in (generated / example / "terraform").glob("*.tf"):
        for item in load_hcl(path).get("resource", []):
            for kind, named in item.items():
                for name, body in named.items():
                    found[f"{kind}.{name}"] = body
    return found


def test_cloud_sql_follows_the_plan(generated):
    drivopay = resources(generated, "drivopay")
    primary = drivopay["google_sql_database_instance.postgres"]["settings"][0]
    assert primary["availability_type"] == "REGIONAL"
    assert primary["backup_configuration"][0]["point_in_time_recovery_enabled"] is True
    assert primary["ip_configuration"][0]["ipv4_enabled"] is False
    assert drivopay["google_sql_database_instance.postgres_replica"]["count"] == 2
    anwesha = resources(generated, "anwesha")["google_sql_database_instance.db"]
    assert anwesha["database_version"] == "MYSQL_8_0"
    assert anwesha["settings"][0]["ip_configuration"][0]["ipv4_enabled"] is True  # private_ip: false


def test_cloud_run_settings(generated):
    api = resources(generated, "starter")["google_cloud_run_v2_service.api"]["template"][0]
    assert api["scaling"][0] == {"min_instance_count": 1, "max_instance_count": 10}
    assert api["max_instance_request_concurrency"] == 80
    assert api["containers"][0]["resources"][0]["cpu_idle"] is True
    assert "service_account" in api


def test_armor_has_rate_ban_and_waf_rules(generated):
    policy = resources(generated, "cotton-erp")["google_compute_security_policy.armor"]
    expressions = [r["match"][0].get("expr", [{}])[0].get("expression", "") for r in policy["rule"]]
    actions = [r["action"] for r in policy["rule"]]
    assert "rate_based_ban" in actions
    assert any("sqli" in e for e in expressions) and any("xss" in e for e in expressions)


def test_pubsub_dead_letter_and_retention(generated):
    cotton = resources(generated, "cotton-erp")
    topic = cotton["google_pubsub_topic.events_trade_events"]
    assert topic["message_retention_duration"] == "604800s"
    subscription = cotton["google_pubsub_subscription.events_trade_events_sub_1"]
    assert subscription["dead_letter_policy"][0]["max_delivery_attempts"] == 5



@pytest.mark.parametrize("residency", ["India", None])
def test_the_dead_letter_topic_keeps_messages_where_the_topics_do(tmp_path, residency):
    """The dead-letter topic archplan adds holds the topic's undelivered messages: under a data residency it
    gets the same message_storage_policy (it had none, so dead-lettered messages could be stored anywhere);
    without one neither topic has a policy. Found by a trial plan (a ledger in asia-south1, India)."""
    from tests.generate.conftest import generate

    plan = tmp_path / "queue.yaml"
    plan.write_text(f"""\
project: {{name: q, region: asia-south1{', data_residency: ' + residency if residency else ''}}}
components:
  events: {{kind: pubsub, topics: [entries], messages_per_month: 1000, avg_message_kib: 1, dead_letter: true,
           depends_on: [worker]}}
  worker: {{kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50, requests_per_month: 1000}}
""")
    code, _, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    found = resources(tmp_path, "out")
    policies = [found[f"google_pubsub_topic.{name}"].get("message_storage_policy")
                for name in ("events_entries", "events_dead_letter")]
    assert policies == ([[{"allowed_persistence_regions": ["var.region"]}]] * 2 if residency else [None, None])


def test_budget_alerts_at_the_plans_percents(generated):
    budget = resources(generated, "cotton-erp")["google_billing_budget.monthly"]
    assert [r["threshold_percent"] for r in budget["threshold_rules"]] == [0.5, 0.75, 0.9]
    assert budget["amount"][0]["specified_amount"][0]["currency_code"] == "INR"


def test_an_environments_budget_counts_only_its_own_spend(tmp_path):
    """Found by review: environments deployed to one project each had a budget over the whole project, so dev's
    $100 budget alerted on prod's spend. An environment's budget filters on its environment label."""
    from tests.generate.conftest import generate

    plan = tmp_path / "plan.yaml"
    plan.write_text("""project:
  name: budgets
  region: us-central1
  monthly_budget: {amount: 3000, currency: USD}
  environments:
    dev: {monthly_budget: {amount: 100, currency: USD}}
traffic: {daily_active_users: 100, requests_per_user_per_day: 10}
components:
  api: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50}
""")
    for env, amount, labels in (("dev", "100", {"environment": "dev"}), (None, "3000", None)):
        code, _, err = generate(plan, tmp_path / str(env), *(["--env", env] if env else []))
        assert code == 0, err
        budget = resources(tmp_path, str(env))["google_billing_budget.monthly"]
        assert budget["amount"][0]["specified_amount"][0]["units"] == amount
        assert budget["budget_filter"][0].get("labels") == labels
    main = (tmp_path / "dev" / "terraform" / "main.tf").read_text()
    assert '"environment" = "dev"' in main  # the label every resource carries, through default_labels


def test_gke_is_regional_private_with_workload_identity(generated):
    cluster = resources(generated, "drivopay")["google_container_cluster.gke"]
    assert cluster["location"] == "var.region"
    assert cluster["private_cluster_config"][0]["enable_private_nodes"] is True
    assert "workload_identity_config" in cluster


def test_a_cmek_skip_gives_the_reason_true_of_the_plan(tmp_path):
    """Every customer-managed-key skip said 'the plan has no Cloud KMS key to encrypt with', also in a plan with
    Cloud KMS keys (the trial's globalapp: its Spanner database beside a KMS key for field encryption)."""
    from tests.generate.conftest import generate

    plan = tmp_path / "plan.yaml"
    base = """project: {name: t, region: us-east4}
components:
  events: {kind: pubsub, topics: [orders], messages_per_month: 1000, avg_message_kib: 1}
"""
    plan.write_text(base + "  keys: {kind: cloud_kms, keys: [{name: pii, operations_per_month: 1000}]}\n")
    code, _, err = generate(plan, tmp_path / "with")
    assert code == 0, err
    topics = (tmp_path / "with" / "terraform" / "pubsub.tf").read_text()
    assert ("#checkov:skip=CKV_GCP_83:Google-managed encryption; the plan's Cloud KMS keys (keys/pii) are not named "
            "as this resource's key") in topics and "no Cloud KMS key" not in topics
    plan.write_text(base)
    code, _, err = generate(plan, tmp_path / "without")
    assert code == 0, err
    assert "#checkov:skip=CKV_GCP_83:Google-managed encryption; the plan has no Cloud KMS key to encrypt with" in \
        (tmp_path / "without" / "terraform" / "pubsub.tf").read_text()


def test_a_committed_use_price_says_that_nothing_generated_buys_the_commitment(tmp_path):
    """drivopay's `optimized` environment prices its nodes, PostgreSQL and Redis at 1-year committed-use
    prices; a commitment is a contract bought apart from the resources, which the Terraform does not make, so
    generate says so for each (found by a trial whose GPU pool was priced 37% below what apply bills); the
    plan as written has no commitment and no such warning."""
    from tests.conftest import EXAMPLES
    from tests.generate.conftest import generate

    code, out, err = generate(EXAMPLES / "drivopay.yaml", tmp_path / "optimized", "--env", "optimized")
    assert code == 0, err
    said = [line for line in out.splitlines() if "committed-use price, but no generated file buys" in line]
    assert [line.split(":")[1].strip() for line in said] == ["gke", "postgres", "redis"], said
    readme = (tmp_path / "optimized" / "README.md").read_text()
    assert readme.count("no generated file buys the commitment") == 3
    code, out, err = generate(EXAMPLES / "drivopay.yaml", tmp_path / "default")
    assert code == 0 and "committed-use price" not in out + err


@pytest.mark.parametrize(("vm", "caller", "culprit", "length"), [
    # <prefix 24>-<vm 49>-<count 1>: 24 + 1 + 49 + 2 = 76 characters
    ("v" * 49, "api", "v" * 49, 76),
    # the firewall rule letting the caller in: <prefix>-db-from-<caller 45>: 24 + 3 + 6 + 45 = 78
    ("db", "c" * 45, "c" * 45, 78),
])
def test_a_compute_engine_name_past_63_characters_is_one_line_naming_the_component(tmp_path, vm, caller, culprit,
                                                                                     length):
    """Compute Engine refuses a resource name past 63 characters (the provider validates instance names so,
    after cloud.google.com/compute/docs/naming-resources), so the Terraform failed its first apply; now
    validate and generate refuse the plan, at the component whose name makes it too long."""
    from tests.generate.conftest import generate

    plan = tmp_path / "long.yaml"
    plan.write_text(f"""\
project: {{name: averyveryverylongproject, region: us-central1}}
components:
  {vm}: {{kind: compute_engine, machine_type: e2-small}}
  {caller}: {{kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50, requests_per_month: 1000,
           depends_on: [{vm}]}}
""")
    code, out, err = generate(plan, tmp_path / "out")
    assert code == 1 and err.count("\n") == 1 and len(err) <= 300
    assert f"components.{culprit}:" in err and f"{length} characters long" in err and "at most 63" in err
    assert not (tmp_path / "out").exists()
    short = tmp_path / "short.yaml"
    short.write_text(plan.read_text().replace("averyveryverylongproject", "pp"))
    # (the Terraform only: a 45-character service and its pipeline's traffic tag are over Cloud Run's 46)
    assert generate(short, tmp_path / "out2", "--target", "terraform")[0] == 0


@pytest.mark.parametrize(("body", "name", "resource", "bound"), [
    # a GKE cluster: <prefix 24>-<name 16> = 41 > 40
    ("{kind: gke, mode: autopilot, location_type: regional, deployments: [{name: web, replicas: 1, cpu: 1, "
     "memory: 1Gi}]}", "c" * 16, "google_container_cluster", "at most 40"),
    # a Redis instance: 24 + 1 + 17 = 42 > 41 (^[a-z][a-z0-9-]{0,39}[a-z0-9]$)
    ("{kind: memorystore_redis, tier: basic, capacity_gb: 1}", "r" * 17, "google_redis_instance", "at most 41"),
    # a Spanner instance: 24 + 1 + 6 = 31 > 30
    ("{kind: spanner, processing_units: 100}", "s" * 6, "google_spanner_instance", "at most 30"),
    # a Cloud Run service: 24 + 1 + 39 = 64 > 63
    # (ingress internal: its pipeline deploys it untagged, so the tag's tighter limit is not the one that bites)
    ("{kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50, requests_per_month: 1000, ingress: internal}",
     "a" * 39,
     "google_cloud_run_v2_service", "at most 63"),
])
def test_a_name_past_its_services_length_is_one_line_naming_the_component(tmp_path, body, name, resource, bound):
    """GKE refuses a cluster name past 40 characters, Redis one past 41, Spanner one outside 6-30, Cloud Run one
    past 63 (the provider's own rules): the Terraform failed its first plan; generate now names the component."""
    from tests.generate.conftest import generate

    plan = tmp_path / "long.yaml"
    plan.write_text(f"project: {{name: averyveryverylongproject, region: us-central1}}\ncomponents:\n  {name}: {body}\n")
    code, _out, err = generate(plan, tmp_path / "out")
    assert code == 1 and err.count("\n") == 1, err
    assert f"components.{name}:" in err and resource in err and bound in err
    assert not (tmp_path / "out").exists()
    fits = tmp_path / "fits.yaml"
    fits.write_text(plan.read_text().replace("averyveryverylongproject", "short"))
    assert generate(fits, tmp_path / "out2")[0] == 0


def test_a_spanner_instance_name_under_six_characters_is_refused(tmp_path):
    from tests.generate.conftest import generate

    plan = tmp_path / "short.yaml"
    plan.write_text("project: {name: pp, region: us-central1}\ncomponents:\n"
                    "  db: {kind: spanner, processing_units: 100}\n")
    code, _out, err = generate(plan, tmp_path / "out")  # pp-db: 5 characters
    assert code == 1 and "components.db:" in err and "5 characters long" in err and "at least 6" in err


@pytest.mark.parametrize(("name", "environment", "prefix"), [
    # 28 characters: the first 19, a hyphen and 4 hex digits of sha256 of the whole
    ("averyveryverylongprojectname", None, "averyveryverylongpr-"),
    ("shop-", None, "shop"),  # a trailing hyphen is dropped
    ("ecommerce-platform", "production", "ecommerce-platform-"),  # ecommerce-platform-production: 29
])
def test_a_prefix_past_24_characters_is_shortened_and_said(tmp_path, name, environment, prefix):
    """The prefix variable accepts 1-24 characters ending in a letter or digit; a longer project name (or
    name-environment) was written as its default, so the first `terraform plan` failed on the variable's own
    validation. Now it is cut to 19 characters and a hash of the whole (unique per environment), and said."""
    import hashlib

    from tests.generate.conftest import generate

    plan = tmp_path / "plan.yaml"
    environments = f", environments: {{{environment}: {{}}}}" if environment else ""
    plan.write_text(f"project: {{name: {name}, region: us-central1{environments}}}\ncomponents:\n"
                    "  files: {kind: cloud_storage, location_type: region, storage_gb: 1}\n")
    extra = ("--env", environment) if environment else ()
    code, out, err = generate(plan, tmp_path / "out", *extra)
    assert code == 0, err
    derived = (f"{name}-{environment}" if environment else name).rstrip("-")
    expected = derived if len(derived) <= 24 else prefix + hashlib.sha256(derived.encode()).hexdigest()[:4]
    assert expected.startswith(prefix) and len(expected) <= 24
    variables = (tmp_path / "out" / "terraform" / "variables.tf").read_text()
    assert f'default     = "{expected}"' in variables
    assert (f"prefix: {derived!r} is {len(derived)} characters" in out) == (len(derived) > 24)


def test_each_private_cluster_has_a_control_plane_range_of_its_own(tmp_path):
    """Every private cluster got master_ipv4_cidr_block 172.16.0.0/28; they share the plan's VPC, where GKE
    refuses a control plane range that overlaps another's, so a plan's second private cluster failed its
    create."""
    import ipaddress

    from tests.generate.conftest import generate_text

    cluster = ("    kind: gke\n    mode: autopilot\n    private_nodes: {private}\n    region: {region}\n"
               "    deployments: [{{name: web, replicas: 1, cpu: 250m, memory: 256Mi}}]\n")
    out = generate_text(tmp_path, "project: {name: two, region: europe-west4}\n"
                                  "traffic: {daily_active_users: 100, requests_per_user_per_day: 10}\ncomponents:\n"
                                  + "  a:\n" + cluster.format(private="true", region="europe-west4")
                                  + "  public:\n" + cluster.format(private="false", region="europe-west3")
                                  + "  b:\n" + cluster.format(private="true", region="europe-west1"))
    found = resources(out.parent, out.name)
    ranges = {name: ipaddress.ip_network(found[f"google_container_cluster.{name}"]["private_cluster_config"][0]
                                         ["master_ipv4_cidr_block"]) for name in ("a", "b")}
    assert ranges == {"a": ipaddress.ip_network("172.16.0.0/28"), "b": ipaddress.ip_network("172.16.0.16/28")}
    assert "private_cluster_config" not in found["google_container_cluster.public"]
