"""A workload is told where what it calls lives: the URL of a service it calls, the name of each topic it
publishes to and of the subscription it pulls (found by a trial plan: web called api and api published
events, but neither had a variable naming the other end, so the code could not find them)."""
import re

import yaml

from tests.generate.conftest import generate

PLAN = """project: {name: shop, region: europe-west1}
traffic: {requests_per_month: 1000000, avg_request_kib: 1, avg_response_kib: 4}
components:
  web: {kind: cloud_run, cpu: 1, memory: 512Mi, max_instances: 3, request_duration_ms: 50, depends_on: [api]}
  api:
    kind: cloud_run
    cpu: 1
    memory: 512Mi
    max_instances: 3
    request_duration_ms: 50
    depends_on: [{name: orders, access: write}]
  worker:
    kind: cloud_run
    cpu: 1
    memory: 512Mi
    max_instances: 3
    request_duration_ms: 50
    requests_per_month: 1000
    depends_on: [{name: orders, access: read, protocol: Pub/Sub pull}, {name: audit, access: read}]
  orders: {kind: pubsub, topics: [order-placed], messages_per_month: 1000, avg_message_kib: 1}
  audit: {kind: pubsub, topics: [audit-log], messages_per_month: 1000, avg_message_kib: 1, subscriptions_per_topic: 2}
"""


def service_env(terraform: str, name: str) -> dict[str, str]:
    block = re.search(rf'resource "google_cloud_run_v2_service" "{name}" {{(.*?)\n}}\n', terraform, re.S).group(1)
    return dict(re.findall(r'env {\s+name\s+= "(\w+)"\s+value\s+= (.+)', block))


def test_callers_get_the_url_topic_and_subscription_of_what_they_call(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN)
    code, _, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    terraform = (tmp_path / "out" / "terraform" / "cloud_run.tf").read_text()
    assert service_env(terraform, "web")["API_URL"] == "google_cloud_run_v2_service.api.uri"
    api = service_env(terraform, "api")
    assert api["ORDER_PLACED_TOPIC"] == "google_pubsub_topic.orders_order_placed.name"
    assert "ORDER_PLACED_SUBSCRIPTION" not in api  # it only publishes
    worker = service_env(terraform, "worker")
    assert worker["ORDER_PLACED_SUBSCRIPTION"] == "google_pubsub_subscription.orders_order_placed_sub_1.name"
    assert "ORDER_PLACED_TOPIC" not in worker  # it only reads
    # audit has two subscriptions per topic: which is the worker's is not in the plan, so none is named
    assert not any(name.startswith("AUDIT_LOG") for name in worker)
    pubsub = (tmp_path / "out" / "terraform" / "pubsub.tf").read_text()
    assert 'resource "google_pubsub_subscription" "orders_order_placed_sub_1"' in pubsub
    assert 'name                       = "${var.prefix}-order-placed-sub-1"' in pubsub
    # The Cloud Run YAML has the literal names, and lists the URL only Terraform knows
    api_yaml = (tmp_path / "out" / "cloudrun" / "api.yaml").read_text()
    env = {e["name"]: e.get("value") for e in
           yaml.safe_load(api_yaml)["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["ORDER_PLACED_TOPIC"] == "shop-order-placed"
    web_yaml = (tmp_path / "out" / "cloudrun" / "web.yaml").read_text()
    assert "Known only once Terraform has applied: API_URL (terraform output)" in web_yaml


def job_env(terraform: str, name: str) -> dict[str, str]:
    block = re.search(rf'resource "google_cloud_run_v2_job" "{name}" {{(.*?)\n}}\n', terraform, re.S).group(1)
    return dict(re.findall(r'env {\s+name\s+= "(\w+)"\s+value\s+= (.+)', block))


def test_a_vector_search_index_is_reachable_and_named_to_its_clients_jobs_too(tmp_path):
    """The index was deployed on a Private Service Connect endpoint with no consumer endpoint in the VPC, and its
    clients got neither the VPC nor its address, so nothing could query it; a Cloud Run job got no variable
    from its depends_on at all (not even its bucket's name). Found by the trial's semsearch plan."""
    from tests.generate.test_provider_schema import blocks_of

    plan = tmp_path / "plan.yaml"
    plan.write_text("""project: {name: search, region: asia-northeast1}
components:
  api: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50, requests_per_month: 1000,
        depends_on: [vectors]}
  reindex: {kind: cloud_run_job, cpu: 1, memory: 512Mi, tasks: 1, task_duration_seconds: 60, executions_per_month: 30,
            depends_on: [{name: corpus, access: read}, vectors]}
  vectors: {kind: vector_search, index_gib: 1, build_gib_per_month: 2, nodes: 1}
  corpus: {kind: cloud_storage, location_type: region, storage_gb: 10}
""")
    code, _, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    blocks = {(t, n): body for path in (tmp_path / "out" / "terraform").glob("*.tf") for _s, t, n, body in blocks_of(path)}
    rule = blocks[("google_compute_forwarding_rule", "vectors_psc")]
    assert rule["target"] == ("${google_vertex_ai_index_endpoint_deployed_index.vectors.private_endpoints[0]"
                              ".service_attachment}")
    assert rule["ip_address"] == "${google_compute_address.vectors_psc.id}" and rule["load_balancing_scheme"] == '""'
    address = blocks[("google_compute_address", "vectors_psc")]
    assert address["address_type"] == '"INTERNAL"' and address["subnetwork"] == "${google_compute_subnetwork.main.id}"
    terraform = (tmp_path / "out" / "terraform" / "cloud_run.tf").read_text()
    for env in (service_env(terraform, "api"), job_env(terraform, "reindex")):
        assert env["VECTOR_SEARCH_ADDRESS"] == "google_compute_address.vectors_psc.address"
        assert env["VECTOR_SEARCH_INDEX_ENDPOINT"] == "google_vertex_ai_index_endpoint.vectors.id"
        assert env["VECTOR_SEARCH_DEPLOYED_INDEX_ID"] == '"vectors"'
    assert job_env(terraform, "reindex")["CORPUS_BUCKET"] == "google_storage_bucket.corpus.name"
    api = blocks[("google_cloud_run_v2_service", "api")]["template"][0]["vpc_access"][0]
    assert api["egress"] == '"PRIVATE_RANGES_ONLY"'  # the PSC address is a private one


def test_a_queue_that_names_its_target_by_depends_on_can_call_it_and_its_enqueuers_find_it(tmp_path):
    """`queues: 2, depends_on: [worker]` (how the trial's globalapp and ingest plans name a queue's target, and
    how check follows the hand-off) made no task identity and no invoker grant, so every task's call to the
    private worker would be refused; and an enqueuer got neither the queues' names nor the account to sign
    tasks as. Found by the trial."""
    from tests.generate.test_least_privilege import actual_grants
    from tests.generate.test_apply_order import configuration

    plan = tmp_path / "plan.yaml"
    plan.write_text("""project: {name: shop, region: us-east4}
components:
  web: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50, requests_per_month: 1000,
        depends_on: [{name: deferred, access: write}]}
  deferred: {kind: cloud_tasks, queues: 2, tasks_per_month: 1000, depends_on: [worker]}
  worker: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50, requests_per_month: 1000,
           ingress: internal}
""")
    code, _, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    blocks, _, _ = configuration(tmp_path / "out" / "terraform")
    assert actual_grants(blocks, "deferred_tasks") == {("roles/run.invoker", "google_cloud_run_v2_service.worker")}
    iam = (tmp_path / "out" / "terraform" / "iam.tf").read_text()
    assert 'resource "google_service_account_iam_member" "web_acts_as_deferred_tasks"' in iam
    web = service_env((tmp_path / "out" / "terraform" / "cloud_run.tf").read_text(), "web")
    assert web["DEFERRED_1_QUEUE"] == "google_cloud_tasks_queue.deferred_deferred_1.id"
    assert web["DEFERRED_2_QUEUE"] == "google_cloud_tasks_queue.deferred_deferred_2.id"
    assert web["DEFERRED_TASKS_SERVICE_ACCOUNT"] == '"shop-deferred-tasks@${var.project_id}.iam.gserviceaccount.com"'
    assert "WORKER_URL" not in web  # web does not call worker: the queue does (import would read an edge)
    env = {e["name"]: e.get("value") for e in yaml.safe_load((tmp_path / "out" / "cloudrun" / "web.yaml").read_text())[
        "spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["DEFERRED_1_QUEUE"] == "projects/shop/locations/us-east4/queues/shop-deferred-1"
    assert env["DEFERRED_TASKS_SERVICE_ACCOUNT"] == "shop-deferred-tasks@shop.iam.gserviceaccount.com"


def test_a_cloud_kms_caller_is_told_each_key_it_may_use(tmp_path):
    """A workload that depends on a key ring is granted a role on each key, but no variable named the key,
    whose resource name holds the prefixed key ring's (found by a trial: a ledger API signing entries with an
    HSM key had the role and no key name). The plan names the ring `ledger`: the keys live under
    <prefix>-ledger, not <prefix>-<component>."""
    plan = tmp_path / "plan.yaml"
    plan.write_text("""project: {name: ledger, region: asia-south1}
components:
  api: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50, requests_per_month: 1000,
        depends_on: [signing]}
  signing:
    kind: cloud_kms
    key_ring: ledger
    keys: [{name: entry-signing, protection_level: hsm, algorithm: ec_p256}, {name: data_key, rotation_days: 90}]
""")
    code, _, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    api = service_env((tmp_path / "out" / "terraform" / "cloud_run.tf").read_text(), "api")
    assert api["ENTRY_SIGNING_KMS_KEY"] == "google_kms_crypto_key.signing_entry_signing.id"
    assert api["DATA_KEY_KMS_KEY"] == "google_kms_crypto_key.signing_data_key.id"
    env = {e["name"]: e.get("value") for e in yaml.safe_load((tmp_path / "out" / "cloudrun" / "api.yaml").read_text())[
        "spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["ENTRY_SIGNING_KMS_KEY"] == \
        "projects/ledger/locations/asia-south1/keyRings/ledger-ledger/cryptoKeys/entry-signing"
    kms = (tmp_path / "out" / "terraform" / "kms.tf").read_text()
    assert '"${var.prefix}-ledger"' in kms and 'name            = "data-key"' in kms  # the names the variables hold
