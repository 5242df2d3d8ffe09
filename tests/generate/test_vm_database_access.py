"""VMs that use a Cloud SQL database can log in to it: their account may read the database user's password
secret (as a Cloud Run or GKE client's may), and the VMs find that secret, and the rest of what their
depends_on give a service, in their instance metadata. Found by a review: a VM's account got cloudsql.client
and nothing else, and the VM was told neither the user nor where its password is."""
from archplan.plan import resolve
from archplan.spec.load import load_spec
from tests.generate.conftest import generate_text
from tests.generate.test_apply_order import configuration
from tests.generate.test_least_privilege import actual_grants, expected_grants, identities
from tests.generate.test_provider_schema import folder_violations

PLAN = """\
project: {name: shop, region: europe-west1}
components:
  app: {kind: compute_engine, machine_type: e2-small, count: 2, depends_on: [db, cache, files]}
  tools: {kind: compute_engine, machine_type: e2-small}
  db: {kind: cloud_sql, engine: postgres, tier: db-custom-1-3840, storage_gb: 10}
  cache: {kind: memorystore_redis, tier: basic, capacity_gb: 1, auth_enabled: true}
  files: {kind: cloud_storage, location_type: region, storage_gb: 10}
"""


def test_vms_read_their_database_password_and_find_it_in_their_metadata(tmp_path):
    out = generate_text(tmp_path, PLAN)
    blocks, _, _ = configuration(out / "terraform")
    grants = actual_grants(blocks, "app")
    assert ("roles/cloudsql.client", "project") in grants
    assert ("roles/secretmanager.secretAccessor", "google_secret_manager_secret.db_password") in grants
    assert ("roles/secretmanager.secretAccessor", "google_secret_manager_secret.cache_auth") in grants
    resolved = resolve(load_spec(tmp_path / "plan.yaml"))
    for account, kind, component, fields, edges in identities(resolved):
        assert actual_grants(blocks, account) == expected_grants(resolved, blocks, kind, component, fields, edges)
    metadata = blocks["google_compute_instance.app"]["metadata"]
    assert metadata["DB_PASSWORD_SECRET"] == "${google_secret_manager_secret.db_password.secret_id}"
    assert metadata["DB_USER"] == '"app"' and metadata["DB_NAME"] == '"shop"'
    assert metadata["DB_INSTANCE_CONNECTION_NAME"] == "${google_sql_database_instance.db.connection_name}"
    assert metadata["REDIS_AUTH_SECRET"] == "${google_secret_manager_secret.cache_auth.secret_id}"
    assert metadata["FILES_BUCKET"] == "${google_storage_bucket.files.name}"
    assert "DB_PASSWORD" not in metadata  # the value itself is never written
    assert set(blocks["google_compute_instance.tools"]["metadata"]) == {'"enable-oslogin"', '"block-project-ssh-keys"'}
    readme = (out / "README.md").read_text()
    assert "Your application on the VMs of app reads what its depends_on give it from the instance metadata" in readme
    assert ("`gcloud secrets versions access latest --secret=\"$(curl -s -H 'Metadata-Flavor: Google' "
            "http://metadata.google.internal/computeMetadata/v1/instance/attributes/DB_PASSWORD_SECRET)\"`") in readme
    assert "VMs of tools reads" not in readme
    assert not folder_violations(out / "terraform")
