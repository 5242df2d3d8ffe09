"""What generate cannot build from a plan otherwise valid: a load balancer with no backend, a Cloud CDN on no
load balancer, a function calling a VPC-only service with no connector, a Cloud SQL flag value the API refuses,
one load balancer in front of two GKE clusters.
`generate` and `validate` refuse it with one line naming the key, `check` fails on it (REL-013) and `cost`
prices it with the same line as a warning. `cost` and `check` used to pass such plans silently."""
import json
import subprocess
import sys

import pytest

from archplan.components import kind_module
from archplan.components.load_balancer import attached_to, routed_backends
from archplan.spec.load import load_spec_data
from archplan.spec.yamlpos import load_yaml

HEAD = ("project: {name: k, region: europe-west1}\n"
        "traffic: {daily_active_users: 100, requests_per_user_per_day: 10, avg_request_kib: 2, "
        "avg_response_kib: 20}\n"
        "components:\n"
        "  web: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 100}\n")
CACHE = "  cache: {kind: memorystore_redis, tier: basic, capacity_gb: 1}\n"
GKE = ("  %s: {kind: gke, mode: autopilot, deployments: [{name: web, replicas: 1, cpu: 500m, memory: 512Mi, "
       "public: true}]}\n")
FUNCTION = "  fn: {kind: cloud_functions, cpu: 1, memory: 512Mi, duration_ms: 100, depends_on: [%s]}\n"

CASES = [
    ("  lb: {kind: load_balancer, depends_on: [cache]}\n" + CACHE,
     "components.lb.depends_on: a load balancer needs a backend: list the cloud_run, cloud_functions, gke, "
     "compute_engine or cloud_storage component it routes to"),
    ("  cdn: {kind: cloud_cdn, destination: europe, cache_hit_ratio: 0.9, depends_on: [web]}\n",
     "components.cdn.load_balancer: Cloud CDN serves through a load balancer: set load_balancer or depend on a "
     "load_balancer component"),
    (FUNCTION % "cache" + CACHE,
     "components.fn.depends_on: it calls cache, reachable only inside the VPC, which a 2nd-gen function reaches "
     "only through a Serverless VPC Access connector: list a vpc_connector component in its depends_on"),
    ("  db: {kind: cloud_sql, engine: postgres, version: '16', tier: db-custom-1-3840, storage_gb: 10, "
     "database_flags: {work_mem: 9ZB}}\n",
     "components.db.database_flags.work_mem: work_mem: unknown unit 'ZB' (use kB, MB, GB or TB)"),
    # two load balancers and a policy naming neither: written, it would be enforced nowhere
    ("  armor: {kind: cloud_armor, rate_limit_per_minute: 600}\n"
     "  lb: {kind: load_balancer, depends_on: [web]}\n  lb2: {kind: load_balancer, depends_on: [web]}\n",
     "components.armor.load_balancer: Cloud Armor protects a load balancer's backend services: set load_balancer "
     "to the load_balancer component it protects"),
    # each cluster's Ingress claimed the balancer's one static address: the second never came up
    ("  lb: {kind: load_balancer, depends_on: [east, west]}\n" + GKE % "east" + GKE % "west",
     "components.lb.depends_on: it routes to the GKE clusters east and west, but a GKE Ingress is its own load "
     "balancer: give each cluster its own load_balancer component"),
]


def run(command: str, path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "archplan", command, str(path)], capture_output=True, text=True)


@pytest.mark.parametrize("components, message", CASES)
def test_what_generate_cannot_build_is_refused_failed_and_warned(tmp_path, components, message):
    path = tmp_path / "plan.yaml"
    path.write_text(HEAD + components)
    for command in (["generate", str(path), "-o", str(tmp_path / "out")], ["validate", str(path)]):
        result = subprocess.run([sys.executable, "-m", "archplan", *command], capture_output=True, text=True)
        assert result.returncode == 1 and result.stdout == ""
        assert result.stderr.splitlines() == [f"error: {path}:5: {message}"]
    assert not (tmp_path / "out").exists()

    result = run("cost", path)
    assert result.returncode == 0, result.stderr
    assert f"WARNING: {path}:5: {message}; generate refuses the plan until it is fixed" in result.stdout

    result = subprocess.run([sys.executable, "-m", "archplan", "check", str(path), "--format", "json"],
                            capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    findings = [f for f in json.loads(result.stdout)["findings"] if f["id"] == "REL-013"]
    component, key = message.split(".", 2)[1:]
    assert [(f["severity"], f["component"], f["line"], f["detail"]) for f in findings] == [
        ("error", component, 5, key)]


@pytest.mark.parametrize("components", [
    # the backend through a Cloud Armor policy attached by its load_balancer field
    "  lb: {kind: load_balancer}\n  armor: {kind: cloud_armor, load_balancer: lb, depends_on: [web]}\n",
    # the CDN attached by the load balancer listing it, the backend behind the CDN
    "  lb: {kind: load_balancer, depends_on: [cdn]}\n"
    "  cdn: {kind: cloud_cdn, destination: europe, cache_hit_ratio: 0.9, depends_on: [web]}\n",
    # the function through a connector; a public Cloud SQL needs none
    FUNCTION % "cache, conn" + CACHE + "  conn: {kind: vpc_connector}\n",
    # a load balancer for each cluster
    "  lb: {kind: load_balancer, depends_on: [east]}\n  lb2: {kind: load_balancer, depends_on: [west]}\n"
    + GKE % "east" + GKE % "west",
    FUNCTION % "db" + "  db: {kind: cloud_sql, engine: postgres, version: '16', tier: db-custom-1-3840, "
                      "storage_gb: 10, database_flags: {work_mem: 64MB, log_min_duration_statement: 2s}}\n",
])
def test_the_same_plans_built_right_are_priced(tmp_path, components):
    path = tmp_path / "plan.yaml"
    path.write_text(HEAD + components)
    result = run("cost", path)
    assert result.returncode == 0, result.stderr


def test_an_invalid_backend_is_reported_once_not_as_a_missing_backend(tmp_path):
    """The rules are asked of a plan otherwise valid: a backend with an error of its own is not also a load
    balancer without a backend."""
    path = tmp_path / "plan.yaml"
    path.write_text(HEAD.replace("request_duration_ms: 100", "request_duration_ms: -1")
                    + "  lb: {kind: load_balancer, depends_on: [web]}\n")
    result = subprocess.run([sys.executable, "-m", "archplan", "validate", "--all-errors", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert [line.split(": ")[2] for line in result.stderr.splitlines()] == ["components.web.request_duration_ms"]


def _specs(text: str) -> dict:
    data, positions = load_yaml(text, "plan.yaml")
    return load_spec_data(data, positions, "plan.yaml").components


def test_routed_backends_in_plan_order_through_policies():
    specs = _specs(HEAD + "  api: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 100}\n"
                          "  files: {kind: cloud_storage, location_type: region, storage_gb: 1}\n"
                          "  lb: {kind: load_balancer, depends_on: [cdn, api]}\n"
                          "  cdn: {kind: cloud_cdn, destination: europe, cache_hit_ratio: 0.9, depends_on: [files]}\n"
                          "  armor: {kind: cloud_armor, load_balancer: lb, depends_on: [web, api]}\n")
    assert routed_backends(specs, "lb") == ["files", "api", "web"]
    assert attached_to(specs, "cdn") == "lb" and attached_to(specs, "armor") == "lb"


@pytest.mark.parametrize("kind, vpc_only", [("alloydb", True), ("memorystore_redis", True),
                                            ("memorystore_valkey", True), ("memorystore_redis_cluster", True),
                                            ("compute_engine", True), ("vector_search", True),
                                            ("cloud_storage", False), ("firestore", False), ("cloud_run", False)])
def test_which_kinds_only_a_vpc_reaches(kind, vpc_only):
    spec = kind_module(kind).Spec
    assert spec.only_inside_vpc(spec.model_construct()) is vpc_only


def test_a_problem_only_an_environment_has_names_it(tmp_path):
    """Found by review: an environment that excluded the policy a load balancer reached its backend through
    stopped every environment with a line naming neither the environment nor why. Now generate of the plan
    as written works, and validate and the environment's own commands name the environment."""
    path = tmp_path / "plan.yaml"
    path.write_text("project:\n  name: envlb\n  region: us-central1\n  environments:\n    dev: {exclude: [armor]}\n"
                    "traffic: {requests_per_month: 1000000, avg_request_kib: 2, avg_response_kib: 10}\n"
                    "components:\n  lb: {kind: load_balancer, depends_on: [armor]}\n"
                    "  armor: {kind: cloud_armor, load_balancer: lb, depends_on: [web]}\n"
                    "  web: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 100}\n")
    assert subprocess.run([sys.executable, "-m", "archplan", "generate", str(path), "-o", str(tmp_path / "out")],
                          capture_output=True, text=True).returncode == 0
    for command in (["validate", str(path)], ["generate", str(path), "--env", "dev", "-o", str(tmp_path / "dev")]):
        result = subprocess.run([sys.executable, "-m", "archplan", *command], capture_output=True, text=True)
        assert result.returncode == 1
        assert result.stderr.startswith(f"error: {path}:8: components.lb.depends_on: in environment dev: a load "
                                        "balancer needs a backend")


def test_a_second_cloud_armor_policy_on_one_load_balancer_is_refused(tmp_path):
    """A backend service takes one security policy: generate attached the first and dropped the second without
    a word, while SEC-003 judged both."""
    path = tmp_path / "plan.yaml"
    path.write_text(HEAD + "  lb2: {kind: load_balancer, depends_on: [web]}\n"
                           "  armor: {kind: cloud_armor, load_balancer: lb2}\n"
                           "  strict: {kind: cloud_armor, load_balancer: lb2}\n")
    result = run("validate", path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: {path}:7: components.strict.load_balancer: lb2 already has the Cloud Armor policy armor, and a "
        "backend service takes one: merge the two policies' settings into one"]


def test_a_policy_naming_no_balancer_protects_the_plans_only_one(tmp_path):
    """With one load balancer, a Cloud Armor policy that names none is attached to it: SEC-003 counted it as
    protecting the balancer, and generate attached it to nothing."""
    path = tmp_path / "plan.yaml"
    path.write_text(HEAD + "  lb: {kind: load_balancer, depends_on: [web], domains: [k.example.com]}\n"
                           "  armor: {kind: cloud_armor, rate_limit_per_minute: 600}\n")
    result = subprocess.run([sys.executable, "-m", "archplan", "generate", str(path), "-o", str(tmp_path / "out")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    terraform = "".join(p.read_text() for p in (tmp_path / "out").rglob("*.tf"))
    assert "security_policy = google_compute_security_policy.armor.id" in terraform
    result = subprocess.run([sys.executable, "-m", "archplan", "check", str(path), "--format", "json"],
                            capture_output=True, text=True)
    report = json.loads(result.stdout)
    assert not [f for f in report["findings"] if f["id"] in ("SEC-003", "REL-013")]
    # and on the balancer's request path, as generate attaches it: 99.99% (lb) x 99.99% (armor) x 99.95% (web)
    [path] = [e for e in report["availability"]["entries"] if e["kind"] == "request"]
    assert "armor" in path["components"]
    assert abs(path["percent"] - 0.9999 * 0.9999 * 0.9995 * 100) < 1e-6


def _eventarc(name: str, trigger: str, region: str = "") -> str:
    return (f"  {name}: {{kind: eventarc, {region}triggers: [{{name: {trigger}, event_type: "
            "google.cloud.storage.object.v1.finalized, bucket: files, destination: web, events_per_month: 10}]}\n")


def test_a_trigger_name_another_eventarc_component_has_in_its_region_is_refused(tmp_path):
    """generate names a trigger <prefix>-<trigger>: two eventarc components each with a trigger `uploads`
    generated two Eventarc triggers of one name in one region, and the second failed the apply."""
    files = "  files: {kind: cloud_storage, location_type: region, storage_gb: 1}\n"
    path = tmp_path / "plan.yaml"
    path.write_text(HEAD + files + _eventarc("thumbs", "uploads") + _eventarc("audit", "uploads"))
    result = run("validate", path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: {path}:7: components.audit.triggers[0].name: trigger uploads has the name of a trigger of "
        "thumbs: Eventarc trigger names are unique in a region; rename one"]
    path.write_text(HEAD + files + _eventarc("thumbs", "uploads")
                    + _eventarc("audit", "uploads", "region: europe-west4, "))
    assert run("validate", path).returncode == 0
