"""A plan across regions (tests/fixtures/multiregion/events.yaml, issue 16's example): every regional resource
in its component's region, cross-region replicas, a turbo-replicated bucket, one backend per region behind
the global load balancer, and the failure runbooks with this stack's names."""
import shlex

from tests.generate.conftest import PLAN_FILES, generate
from tests.generate.test_terraform import resources

PLAN = PLAN_FILES["multiregion"]


def test_each_service_runs_in_its_components_region(generated):
    found = resources(generated, "multiregion")
    assert found["google_cloud_run_v2_service.api_mumbai"]["location"] == "var.region"
    delhi = found["google_cloud_run_v2_service.api_delhi"]
    assert delhi["location"] == "asia-south2"
    # Its VPC egress leaves through the subnet in its own region, not the default region's.
    interface = delhi["template"][0]["vpc_access"][0]["network_interfaces"][0]
    assert interface["subnetwork"] == "google_compute_subnetwork.asia_south2.id"
    subnet = found["google_compute_subnetwork.asia_south2"]
    assert subnet["region"] == "asia-south2" and subnet["ip_cidr_range"] == "var.subnet_cidr_asia_south2"
    assert found["google_compute_network.vpc"]["routing_mode"] == "GLOBAL"


def test_cloud_sql_replica_in_the_other_region(generated):
    replica = resources(generated, "multiregion")["google_sql_database_instance.db_asia_south2"]
    assert replica["region"] == "asia-south2"
    assert replica["master_instance_name"] == "google_sql_database_instance.db.name"
    assert replica["name"] == "${var.prefix}-db-asia-south2"
    settings = replica["settings"][0]
    # ha: true on the replica keeps it regional once promoted; its tier defaults to the primary's.
    assert settings["availability_type"] == "REGIONAL" and settings["tier"] == "db-custom-2-7680"


def test_valkey_secondary_replicates_from_the_primary(generated):
    found = resources(generated, "multiregion")
    secondary = found["google_memorystore_instance.cache_asia_south2"]
    assert secondary["location"] == "asia-south2"
    config = secondary["cross_instance_replication_config"][0]
    assert config["instance_role"] == "SECONDARY"
    assert config["primary_instance"][0]["instance"] == "google_memorystore_instance.cache.id"
    # Its PSC endpoints come from a connection policy in its own region.
    policy = found["google_network_connectivity_service_connection_policy.gcp_memorystore_psc_asia_south2"]
    assert policy["location"] == "asia-south2"
    assert "google_network_connectivity_service_connection_policy.gcp_memorystore_psc_asia_south2" in \
        secondary["depends_on"]


def test_dual_region_bucket_has_turbo_replication(generated):
    bucket = resources(generated, "multiregion")["google_storage_bucket.media"]
    assert bucket["location"] == "ASIA1" and bucket["rpo"] == "ASYNC_TURBO"


def test_one_backend_service_with_a_neg_per_region(generated):
    found = resources(generated, "multiregion")
    services = [a for a in found if a.startswith("google_compute_backend_service.")]
    assert services == ["google_compute_backend_service.lb_api_mumbai"]
    service = found[services[0]]
    groups = [b["group"] for b in service["backend"]]
    assert groups == ["google_compute_region_network_endpoint_group.lb_api_mumbai.id",
                      "google_compute_region_network_endpoint_group.lb_api_delhi.id"]
    assert found["google_compute_region_network_endpoint_group.lb_api_delhi"]["region"] == "asia-south2"
    assert service["outlier_detection"][0]["consecutive_errors"] == 5


def test_residency_keeps_secret_replicas_in_every_plan_region(generated):
    secret = resources(generated, "multiregion")["google_secret_manager_secret.secret_payment_key"]
    replicas = secret["replication"][0]["user_managed"][0]["replicas"]
    assert [r["location"] for r in replicas] == ["var.region", "asia-south2"]


def test_active_passive_serves_the_first_region_and_the_runbook_adds_the_other(tmp_path):
    plan = tmp_path / "events.yaml"
    plan.write_text(PLAN.read_text().replace("failover: active-active", "failover: active-passive"))
    code, _, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    found = resources(tmp_path, "out")
    backend = found["google_compute_backend_service.lb_api_mumbai"]["backend"]
    assert [b["group"] for b in backend] == ["google_compute_region_network_endpoint_group.lb_api_mumbai.id"]
    assert "google_compute_region_network_endpoint_group.lb_api_delhi" in found
    runbook = (tmp_path / "out/runbooks/region-outage.md").read_text()
    assert ("gcloud compute backend-services add-backend events-api-mumbai-backend --global "
            "--network-endpoint-group=events-api-delhi-neg --network-endpoint-group-region=asia-south2 "
            "--project=events") in runbook


def test_two_copies_in_one_region_behind_a_cross_region_lb_is_one_line_error(tmp_path):
    plan = tmp_path / "events.yaml"
    text = PLAN.read_text().replace("    region: asia-south2\n", "", 1)  # api-delhi back in asia-south1
    text = text.replace("  db:\n", "  api-pune:\n    kind: cloud_run\n    region: asia-south2\n"
                                   "    cpu: 1\n    memory: 512Mi\n    request_duration_ms: 100\n    traffic_share: 0\n  db:\n", 1)
    text = text.replace("depends_on: [api-mumbai, api-delhi]", "depends_on: [api-mumbai, api-delhi, api-pune]")
    plan.write_text(text)
    code, out, err = generate(plan, tmp_path / "out")
    assert code == 1 and len(err.strip().splitlines()) == 1, err
    assert "api-mumbai and api-delhi are both in asia-south1" in err
    assert not (tmp_path / "out").exists()


def test_runbooks_per_scenario_linked_from_the_readme(generated):
    folder = generated / "multiregion"
    names = sorted(p.name for p in (folder / "runbooks").iterdir())
    assert names == ["bad-deploy.md", "data-corruption.md", "region-outage.md", "zone-outage.md"]
    readme = (folder / "README.md").read_text()
    for name in names:
        assert f"(runbooks/{name})" in readme


def test_region_outage_promotes_in_order_with_generated_names(generated):
    text = (generated / "multiregion/runbooks/region-outage.md").read_text()
    lost_primary = text.split("## If asia-south2 is lost")[0]
    promote = lost_primary.index("gcloud sql instances promote-replica events-db-asia-south2 --project=events")
    rewire = lost_primary.index("--set-cloudsql-instances=events:asia-south2:events-db-asia-south2")
    cache = lost_primary.index("terraform -chdir=terraform output -raw cache_asia_south2_discovery_address")
    assert promote < rewire < cache
    # The promoted replica is the one Terraform creates, and the output the runbook reads exists.
    assert '"${var.prefix}-db-asia-south2"' in (generated / "multiregion/terraform/cloud_sql.tf").read_text()
    assert 'output "cache_asia_south2_discovery_address"' in (generated / "multiregion/terraform/outputs.tf").read_text()
    # Losing the replicas' region promotes nothing.
    assert "promote-replica" not in text.split("## If asia-south2 is lost")[1]


def test_runbook_commands_are_shell_words(generated):
    """Every command line splits into shell words, and a quoted --format keeps its parentheses."""
    for path in (generated / "multiregion/runbooks").glob("*.md"):
        inside = False
        for line in path.read_text().splitlines():
            if line.strip() == "```sh":
                inside = True
            elif line.strip() == "```":
                inside = False
            elif inside:
                words = shlex.split(line)
                assert words, f"{path.name}: {line}"
    zone = (generated / "multiregion/runbooks/zone-outage.md").read_text()
    assert "'--format=value(state,gceZone,secondaryGceZone)'" in zone


def test_single_region_plans_get_no_runbooks(generated):
    assert not (generated / "starter" / "runbooks").exists()


def test_each_region_pushes_to_and_pulls_from_its_own_repository(generated):
    build = (generated / "multiregion/cloudbuild/api-delhi.yaml").read_text()
    assert "_IMAGE: asia-south2-docker.pkg.dev/events/events-images-delhi/api-delhi" in build
    found = resources(generated, "multiregion")
    assert found["google_artifact_registry_repository.images_delhi"]["location"] == "asia-south2"
    grant = found["google_artifact_registry_repository_iam_member.cloud_build_pushes_images_delhi"]
    assert grant["location"] == "asia-south2" and grant["role"] == "roles/artifactregistry.writer"


def test_a_region_without_a_repository_is_warned_about(tmp_path):
    plan = tmp_path / "events.yaml"
    text = PLAN.read_text()
    plan.write_text(text[:text.index("  images-delhi:")])
    code, out, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    assert "warning: workloads in asia-south2 pull their images from a repository in another region" in out
    assert "asia-south1-docker.pkg.dev/events/events-images/api-delhi" in \
        (tmp_path / "out/cloudbuild/api-delhi.yaml").read_text()


def test_the_region_outage_runbook_rebuilds_a_single_region_redis_where_its_users_survive(tmp_path):
    """A Memorystore for Redis in the lost region has no cross-region replica (check counts a new instance
    elsewhere); the runbook said nothing of it, leaving the surviving service pointed at the lost instance."""
    plan = tmp_path / "plan.yaml"
    plan.write_text("""\
project: {name: shop, region: us-central1}
traffic: {requests_per_month: 1000000, avg_request_kib: 1, avg_response_kib: 4}
components:
  lb: {kind: load_balancer, failover: active-active, depends_on: [api, api-eu]}
  api: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50, depends_on: [kv]}
  api-eu: {kind: cloud_run, region: europe-west1, cpu: 1, memory: 512Mi, request_duration_ms: 50, depends_on: [kv]}
  kv: {kind: memorystore_redis, tier: standard, capacity_gb: 5, auth_enabled: true, transit_encryption: true}
""")
    code, _, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    runbook = (tmp_path / "out/runbooks/region-outage.md").read_text()
    lost = runbook.split("## If us-central1 is lost")[1].split("## If")[0]
    assert "Cache `kv` (`shop-kv`) is in us-central1 only" in lost
    assert ("gcloud redis instances create shop-kv-europe-west1 --region=europe-west1 --size=5 --tier=standard "
            "--redis-version=redis_7_2 --network=projects/shop/global/networks/shop-vpc "
            "--connect-mode=private-service-access --enable-auth --transit-encryption-mode=server-authentication "
            "--project=shop") in lost
    # its host, TLS port and CA are the new instance's; so is its AUTH string, which the services read from a secret
    assert 'gcloud run services update shop-api-eu --region=europe-west1 --project=shop ' \
           '--update-env-vars=REDIS_HOST="$HOST",REDIS_PORT="$PORT",REDIS_CA_CERT="$CA"' in lost
    assert ("gcloud redis instances get-auth-string shop-kv-europe-west1 --region=europe-west1 --project=shop "
            "'--format=value(authString)' | gcloud secrets versions add shop-kv-auth --data-file=- "
            "--project=shop") in lost
    assert "Cache `kv`" not in runbook.split("## If europe-west1 is lost")[1]
