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
