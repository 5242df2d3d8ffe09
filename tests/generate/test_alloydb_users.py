"""An AlloyDB cluster's clients can log in: the cluster is created with the application's user and a
generated password, kept in Secret Manager, which every client reads (as Cloud SQL's clients read theirs).
Found by a review: clients got ALLOYDB_HOST, ALLOYDB_PORT and roles/alloydb.client, but no user and no password,
and the cluster's own postgres user had none either."""
import yaml

from archplan.plan import resolve
from archplan.spec.load import load_spec
from tests.generate.conftest import generate_text
from tests.generate.test_apply_order import configuration
from tests.generate.test_deployment_edges import env_names
from tests.generate.test_least_privilege import actual_grants, expected_grants, identities
from tests.generate.test_provider_schema import folder_violations

PLAN = """\
project: {name: shop, region: us-east1}
components:
  api: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50, requests_per_month: 1000,
        depends_on: [orders]}
  report: {kind: cloud_functions, cpu: 1, memory: 256Mi, duration_ms: 200, invocations_per_month: 1000,
           depends_on: [connector, orders]}
  connector: {kind: vpc_connector}
  gke:
    kind: gke
    mode: autopilot
    location_type: regional
    depends_on: [orders]
    deployments:
      - {name: billing, replicas: 2, cpu: 0.25, memory: 512Mi, depends_on: [orders]}
  orders: {kind: alloydb, machine_type: n2-highmem-2, storage_gb: 10, storage_usd_per_gb_month: 0.3,
           storage_price_source: "plan test"}
"""


def test_alloydb_clients_get_the_generated_user_and_its_password(tmp_path):
    out = generate_text(tmp_path, PLAN)
    blocks, _, _ = configuration(out / "terraform")
    cluster = blocks["google_alloydb_cluster.orders"]
    assert cluster["initial_user"][0]["user"] == '"app"'
    assert cluster["initial_user"][0]["password"] == "${random_password.orders_app.result}"
    assert blocks["random_password.orders_app"]["length"] == 32
    # named as Cloud SQL's: <prefix>-<name>-password, written by Terraform
    assert blocks["google_secret_manager_secret.orders_password"]["secret_id"] == '"${var.prefix}-orders-password"'
    version = blocks["google_secret_manager_secret_version.orders_password"]
    assert version["secret"] == "${google_secret_manager_secret.orders_password.id}"
    assert version["secret_data"] == "${random_password.orders_app.result}"
    accessor = ("roles/secretmanager.secretAccessor", "google_secret_manager_secret.orders_password")
    for account in ("api", "report", "gke_billing"):
        assert accessor in actual_grants(blocks, account), account
        assert ("roles/alloydb.client", "project") in actual_grants(blocks, account), account
    resolved = resolve(load_spec(tmp_path / "plan.yaml"))
    for account, kind, component, fields, edges in identities(resolved):
        assert actual_grants(blocks, account) == expected_grants(resolved, blocks, kind, component, fields, edges)
    # the password reaches each client as ALLOYDB_PASSWORD, the user as ALLOYDB_USER
    api = blocks["google_cloud_run_v2_service.api"]["template"][0]["containers"][0]["env"]
    assert {"name": '"ALLOYDB_USER"', "value": '"app"', "__is_block__": True} in api
    password = next(e for e in api if e["name"] == '"ALLOYDB_PASSWORD"')
    assert password["value_source"][0]["secret_key_ref"][0]["secret"] == \
        "${google_secret_manager_secret.orders_password.secret_id}"
    assert "${google_secret_manager_secret_version.orders_password}" in \
        blocks["google_cloud_run_v2_service.api"]["depends_on"]
    function = blocks["google_cloudfunctions2_function.report"]["service_config"][0]
    assert function["environment_variables"]["ALLOYDB_USER"] == '"app"'
    assert any(s["key"] == '"ALLOYDB_PASSWORD"' and s["secret"] == "${google_secret_manager_secret.orders_password.secret_id}"
               for s in function["secret_environment_variables"])
    assert {"ALLOYDB_USER", "ALLOYDB_PASSWORD_FILE", "ALLOYDB_HOST_FILE", "ALLOYDB_PORT"} <= env_names(out, "billing")
    assert "shop-orders-password" in (out / "kubernetes" / "gke" / "billing.yaml").read_text()
    cloudrun = yaml.safe_load((out / "cloudrun" / "api.yaml").read_text())
    names = {e["name"] for e in cloudrun["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert {"ALLOYDB_USER", "ALLOYDB_PASSWORD"} <= names
    assert not folder_violations(out / "terraform")


def test_a_listed_alloydb_password_is_the_generated_one(tmp_path):
    """A plan listing <cluster>-password in Secret Manager means the cluster's password: one secret, written by
    Terraform, not a second one of the same id left for the user to fill."""
    out = generate_text(tmp_path, PLAN + "  vault: {kind: secret_manager, secrets: [orders-password], "
                                         "access_ops_per_month: 1000}\n")
    blocks, _, _ = configuration(out / "terraform")
    ids = [body["secret_id"] for address, body in blocks.items() if address.startswith("google_secret_manager_secret.")]
    assert ids.count('"${var.prefix}-orders-password"') == 1
    assert "google_secret_manager_secret.secret_orders_password" not in blocks
