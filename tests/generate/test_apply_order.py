"""The generated Terraform comes up in one `terraform apply`: a dependency graph of every example's files
(explicit depends_on plus references) shows every resource after its API, every secret version a workload
reads at deploy time created in the same apply (and the workload after it and after its access grant),
every function source object in the configuration, no cycle and no `-target`."""
import re

import hcl2
import pytest

from tests.generate.conftest import PLAN_NAMES

REFERENCE = re.compile(r"\b((?:data\.|ephemeral\.)?(?:google|random|archive)_[a-z0-9_]+\.[a-z0-9_]+)")
RUNS_AS = re.compile(r"\bgoogle_service_account\.([a-z0-9_]+)\.email\b")
# The API each resource family needs (cloud.google.com/<product>/docs enable-the-API pages). Longest
# prefix wins.
API_OF_PREFIX = {
    "google_cloud_run_v2_": "run.googleapis.com", "google_cloudfunctions2_": "cloudfunctions.googleapis.com",
    "google_sql_": "sqladmin.googleapis.com", "google_redis_": "redis.googleapis.com",
    "google_container_": "container.googleapis.com", "google_compute_": "compute.googleapis.com",
    "google_secret_manager_": "secretmanager.googleapis.com", "google_pubsub_": "pubsub.googleapis.com",
    "google_storage_": "storage.googleapis.com", "google_service_account": "iam.googleapis.com",
    "google_artifact_registry_": "artifactregistry.googleapis.com", "google_dns_": "dns.googleapis.com",
    "google_monitoring_": "monitoring.googleapis.com", "google_billing_budget": "billingbudgets.googleapis.com",
    "google_cloud_scheduler_": "cloudscheduler.googleapis.com", "google_bigquery_": "bigquery.googleapis.com",
    "google_firestore_": "firestore.googleapis.com", "google_vpc_access_": "vpcaccess.googleapis.com",
    "google_service_networking_": "servicenetworking.googleapis.com",
    "google_logging_": "logging.googleapis.com", "google_project_iam_": "cloudresourcemanager.googleapis.com",
}


def walk_strings(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from walk_strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk_strings(value)
    elif isinstance(node, str):
        yield node


def configuration(folder):
    """{address: body}, the APIs of local.services, and the comments' text."""
    blocks, services, text = {}, set(), ""
    for path in sorted(folder.glob("*.tf")):
        source = path.read_text()
        text += source
        parsed = hcl2.loads(source)
        for section, prefix in (("resource", ""), ("data", "data."), ("ephemeral", "ephemeral.")):
            for item in parsed.get(section, []):
                for type_name, named in item.items():
                    for name, body in named.items():
                        blocks[f"{prefix}{type_name.strip(chr(34))}.{name.strip(chr(34))}"] = body
        for local in parsed.get("locals", []):
            services.update(s.strip('"') for s in local.get("services", []))
    return blocks, services, text


def graph(blocks):
    edges = {}
    for address, body in blocks.items():
        found = set()
        for value in walk_strings(body):
            found.update(m for m in REFERENCE.findall(value) if m in blocks and m != address)
        edges[address] = found
    return edges


def ancestors(edges, address):
    seen, stack = set(), [address]
    while stack:
        for parent in edges[stack.pop()]:
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


def api_of(type_name):
    matches = [p for p in API_OF_PREFIX if type_name.startswith(p)]
    return API_OF_PREFIX[max(matches, key=len)] if matches else None


@pytest.fixture(scope="module")
def configurations(generated):
    return {name: configuration(generated / name / "terraform") for name in PLAN_NAMES}


@pytest.mark.parametrize("example", PLAN_NAMES)
def test_every_resource_waits_for_its_api(configurations, example):
    blocks, services, text = configurations[example]
    edges = graph(blocks)
    assert "-target" not in text
    for address in blocks:
        type_name = address.removeprefix("data.").split(".")[0]
        if not type_name.startswith("google_") or type_name == "google_project_service":
            continue
        assert "google_project_service.enabled" in edges[address], f"{example}: {address} does not wait for APIs"
        api = api_of(type_name)
        assert api is None or api in services, f"{example}: {address} needs {api}, which is not enabled"


@pytest.mark.parametrize("example", PLAN_NAMES)
def test_binary_authorization_api_is_on_where_clusters_enforce_it(configurations, example):
    blocks, services, _ = configurations[example]
    enforcing = [a for a, body in blocks.items() if a.startswith("google_container_cluster.")
                 and body.get("binary_authorization")]
    assert not enforcing or "binaryauthorization.googleapis.com" in services


@pytest.mark.parametrize("example", PLAN_NAMES)
def test_the_graph_has_no_cycle(configurations, example):
    edges = graph(configurations[example][0])
    state = {}

    def visit(node):
        state[node] = "open"
        for parent in edges[node]:
            assert state.get(parent) != "open", f"{example}: cycle through {node} and {parent}"
            if parent not in state:
                visit(parent)
        state[node] = "done"

    for node in edges:
        if node not in state:
            visit(node)


def secret_reads(address, body):
    """(secret resource name, version) a Cloud Run service or function reads at deploy time."""
    reads = []
    if address.startswith("google_cloud_run_v2_service."):
        for template in body.get("template", []):
            for container in template.get("containers", []):
                for env in container.get("env", []):
                    for source in env.get("value_source", []):
                        for ref in source.get("secret_key_ref", []):
                            reads.append((ref["secret"], ref["version"]))
    elif address.startswith("google_cloudfunctions2_function."):
        for service in body.get("service_config", []):
            for ref in service.get("secret_environment_variables", []):
                reads.append((ref["secret"], ref["version"]))
    return [(REFERENCE.search(secret).group(1).split(".")[1], version.strip('"')) for secret, version in reads]


def test_workloads_start_after_their_secret_versions_and_grants(configurations):
    checked = 0
    for example, (blocks, _, _) in configurations.items():
        checked += check_secret_order(example, blocks)
    assert checked > 5


def check_secret_order(example, blocks) -> int:
    edges = graph(blocks)
    checked = 0
    for address, body in blocks.items():
        reads = secret_reads(address, body)
        # the account it runs as, named by its email (a function's build account is named by its id)
        account = next((m for v in walk_strings(body) for m in RUNS_AS.findall(v)), None)
        before = ancestors(edges, address)
        for secret, version in reads:
            checked += 1
            if version == "latest":
                assert f"google_secret_manager_secret_version.{secret}" in before, \
                    f"{example}: {address} reads {secret} before any version exists"
            grants = [a for a in before if a.startswith("google_secret_manager_secret_iam_member.")
                      and f"google_secret_manager_secret.{secret}." in " ".join(walk_strings(blocks[a]))
                      and f"google_service_account.{account}." in " ".join(walk_strings(blocks[a]))]
            assert grants, f"{example}: {address} may start before it can read {secret}"
    return checked


@pytest.mark.parametrize("example", PLAN_NAMES)
def test_every_function_source_object_is_in_the_configuration(configurations, example):
    blocks, _, _ = configurations[example]
    for address, body in blocks.items():
        if not address.startswith("google_cloudfunctions2_function."):
            continue
        storage = body["build_config"][0]["source"][0]["storage_source"][0]
        reference = REFERENCE.search(storage["object"])
        assert reference and reference.group(1) in blocks, f"{example}: {address} source object is not created"
        assert blocks[reference.group(1)]["bucket"] == storage["bucket"]


@pytest.mark.parametrize("example", PLAN_NAMES)
def test_workload_identity_members_wait_for_a_cluster_that_makes_the_pool(configurations, example):
    """The project's workload identity pool (PROJECT.svc.id.goog) exists once the first cluster with Workload
    Identity does: a grant to one of its members made before fails on a new project (Error 400: Identity Pool
    does not exist). The bindings waited only for the APIs."""
    blocks, _, _ = configurations[example]
    edges = graph(blocks)
    pools = {a for a, body in blocks.items() if a.startswith("google_container_cluster.")
             and body.get("workload_identity_config")}
    for address, body in blocks.items():
        if any(".svc.id.goog[" in value for value in walk_strings(body)):
            assert ancestors(edges, address) & pools, f"{example}: {address} may be made before the pool exists"


def test_a_workload_identity_binding_waits_for_its_cluster(tmp_path):
    from tests.generate.conftest import generate_text

    out = generate_text(tmp_path, "project: {name: wi, region: europe-west4}\n"
                                  "traffic: {daily_active_users: 100, requests_per_user_per_day: 10}\n"
                                  "components:\n  apps:\n    kind: gke\n    mode: standard\n"
                                  "    location_type: zonal\n    workload_identity: true\n"
                                  "    node_pools: [{name: main, machine_type: e2-standard-4, nodes: 3}]\n"
                                  "    deployments: [{name: api, replicas: 2, cpu: 250m, memory: 256Mi}]\n")
    blocks, _, _ = configuration(out / "terraform")
    binding = blocks["google_service_account_iam_member.apps_api_workload_identity"]
    assert binding["member"] == '"serviceAccount:${var.project_id}.svc.id.goog[wi/api]"'
    assert "${google_container_cluster.apps}" in binding["depends_on"]
