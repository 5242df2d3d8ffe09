"""GKE deployments are wired by their own depends_on (not the cluster's): environment, mounted secrets and
IAM grants follow each deployment's edges. Removing one edge of one deployment changes that deployment only."""
import re
from pathlib import Path

import yaml

from tests.conftest import EXAMPLES
from tests.generate.conftest import generate

EDGE = "depends_on: [postgres, redis, twilio]}"  # drivopay's auth-service


def env_names(folder: Path, deployment: str) -> set[str]:
    names = set()
    for document in yaml.safe_load_all((folder / "kubernetes" / "gke" / f"{deployment}.yaml").read_text()):
        if document["kind"] == "Deployment":
            for container in document["spec"]["template"]["spec"]["containers"]:
                names |= {e["name"] for e in container.get("env", [])}
    return names


def test_one_deployments_edge_changes_only_that_deployment(tmp_path):
    source = (EXAMPLES / "drivopay.yaml").read_text()
    assert source.count(EDGE) == 1
    edited = tmp_path / "drivopay.yaml"
    edited.write_text(source.replace(EDGE, "depends_on: [postgres, twilio]}"))
    code, _, err = generate(EXAMPLES / "drivopay.yaml", tmp_path / "before")
    assert code == 0, err
    code, _, err = generate(edited, tmp_path / "after")
    assert code == 0, err
    before, after = tmp_path / "before", tmp_path / "after"

    assert {"REDIS_HOST_FILE", "REDIS_PORT_FILE"} <= env_names(before, "auth-service")
    assert not {"REDIS_HOST_FILE", "REDIS_PORT_FILE"} & env_names(after, "auth-service")
    assert env_names(after, "auth-service") == env_names(before, "auth-service") - {"REDIS_HOST_FILE", "REDIS_PORT_FILE"}
    for sibling in ("wallet-service", "api-gateway", "payment-service"):
        assert env_names(after, sibling) == env_names(before, sibling), sibling

    iam_before = (before / "terraform" / "iam.tf").read_text()
    iam_after = (after / "terraform" / "iam.tf").read_text()
    assert '"gke_auth_service_reads_redis_host"' in iam_before
    assert '"gke_auth_service_reads_redis_host"' not in iam_after
    assert '"gke_wallet_service_reads_redis_host"' in iam_after


def test_each_deployment_gets_only_its_own_edges():
    """In drivopay, the documents bucket is wallet-service's edge, not auth-service's; sibling URLs are the
    deployments each one calls."""
    plan = yaml.safe_load((EXAMPLES / "drivopay.yaml").read_text())
    deployments = {d["name"]: d for d in plan["components"]["gke"]["deployments"]}
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        code, _, err = generate(EXAMPLES / "drivopay.yaml", Path(folder))
        assert code == 0, err
        for name, deployment in deployments.items():
            edges = {e if isinstance(e, str) else e["name"] for e in deployment.get("depends_on") or []}
            env = env_names(Path(folder), name)
            calls = {n for n in edges if n in deployments}
            upper = {n.upper().replace("-", "_") for n in deployments}
            urls = {e.removesuffix("_URL") for e in env if e.endswith("_URL") and e.removesuffix("_URL") in upper}
            assert urls == {c.upper().replace("-", "_") for c in calls}, name
            assert ("DOCUMENTS_BUCKET" in env) == ("documents" in edges), name
            assert ("DB_HOST" in env) == ("postgres" in edges), name


def test_pods_get_the_host_of_a_valkey_instance_and_an_alloydb_primary(tmp_path):
    # Both hosts are known only after apply: like a Redis host they go to Secret Manager and are mounted as
    # files; they used to be left out of the manifests, so the pods had a port and no host
    plan = tmp_path / "shop.yaml"
    plan.write_text("""\
project: {name: shop, region: us-east1}
components:
  gke:
    kind: gke
    mode: autopilot
    location_type: regional
    depends_on: [cart, vectors]
    deployments:
      - {name: cartservice, replicas: 2, cpu: 0.25, memory: 512Mi, depends_on: [cart]}
      - {name: search, replicas: 2, cpu: 0.25, memory: 512Mi, depends_on: [vectors]}
  cart: {kind: memorystore_valkey, shards: 1, replicas_per_shard: 1}
  vectors: {kind: alloydb, machine_type: n2-highmem-2, storage_gb: 10, storage_usd_per_gb_month: 0.3,
            storage_price_source: "plan test"}
""")
    code, _, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    out = tmp_path / "out"
    # Valkey's in-transit TLS is on by default: clients get TLS and the instance's CA, mounted the same way
    assert {"VALKEY_HOST_FILE", "VALKEY_PORT", "VALKEY_TLS", "VALKEY_CA_CERT_FILE"} <= env_names(out, "cartservice")
    assert "ALLOYDB_HOST_FILE" in env_names(out, "search") and "VALKEY_HOST_FILE" not in env_names(out, "search")
    secrets = (out / "terraform" / "secrets.tf").read_text()
    assert "secret_data = google_memorystore_instance.cart.discovery_endpoints[0].address" in secrets
    assert "secret_data = google_alloydb_instance.vectors_primary.ip_address" in secrets
    assert ("google_memorystore_instance.cart.managed_server_ca[0].ca_certs[*].certificates" in secrets
            and '"gke_cartservice_reads_cart_ca"' in (out / "terraform" / "iam.tf").read_text())
    iam = (out / "terraform" / "iam.tf").read_text()
    assert '"gke_cartservice_reads_cart_host"' in iam and '"gke_search_reads_vectors_host"' in iam
    assert '"gke_search_reads_cart_host"' not in iam



def test_a_deployments_edge_takes_the_clusters_access_it_leaves_unset(tmp_path):
    """The cluster says the queue is written and the bucket read; api names both without an access of its own,
    so its edges are the cluster's (components/gke.py deployment_calls, as cost and check read them). generate
    took the default read-write instead: api could pull the queue's subscription and write the bucket."""
    plan = tmp_path / "plan.yaml"
    plan.write_text("""\
project: {name: shop, region: us-central1}
traffic: {daily_active_users: 100, requests_per_user_per_day: 10}
components:
  queue: {kind: pubsub, topics: [orders], messages_per_request: 1, avg_message_kib: 1}
  files: {kind: cloud_storage, location_type: region, storage_gb: 1}
  apps:
    kind: gke
    mode: autopilot
    depends_on: [{name: queue, access: write}, {name: files, access: read}]
    deployments:
      - {name: api, replicas: 1, cpu: 500m, memory: 512Mi, depends_on: [queue, files]}
      - {name: worker, replicas: 1, cpu: 500m, memory: 512Mi, depends_on: [{name: queue, access: read-write}]}
""")
    code, _, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    iam = (tmp_path / "out" / "terraform" / "iam.tf").read_text()
    granted = set(re.findall(r'resource "(google_(?:pubsub|storage)\w+_iam_member)" "(apps_\w+)"', iam))
    assert granted == {
        ("google_pubsub_topic_iam_member", "apps_api_publishes_queue_orders"),
        ("google_storage_bucket_iam_member", "apps_api_reads_files"),
        ("google_pubsub_topic_iam_member", "apps_worker_publishes_queue_orders"),  # its own access: both
        ("google_pubsub_subscription_iam_member", "apps_worker_pulls_queue_orders_sub_1"),
    }
