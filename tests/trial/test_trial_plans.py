"""Plans written as a newcomer would, from public GCP architecture descriptions (not the seeds): every
command runs on each, and the figures that were wrong when they were first run are checked against hand
arithmetic from the catalog's unit prices.

- webcdn.yaml: Cloud Run + Cloud SQL HA + buckets behind a global HTTPS load balancer with Cloud CDN, europe-west1, EUR.
- ingest.yaml: Cloud Run collector -> Pub/Sub -> Cloud Run writer -> BigQuery, Cloud Tasks, Cloud Scheduler -> Cloud Run job.
- dr.yaml: an active-passive API in us-east1 / us-west1 with a cross-region Cloud SQL replica.
- bank.yaml: Bank of Anthos on a regional GKE Standard cluster with two Cloud SQL databases.
- boutique.yaml: Online Boutique on a regional GKE Standard cluster with Memorystore Redis, europe-west1, EUR
  (started from `archplan init --template gke-microservices`).
- rag.yaml: a RAG assistant: Cloud Run, Gemini and gemini-embedding-001, AlloyDB with a read pool, a bucket and
  a nightly Cloud Run job that re-embeds it, three growth phases, us-east4.
- pipeline.yaml: Cloud Run collector -> Pub/Sub -> Cloud Function -> BigQuery, Scheduler -> Cloud Run job,
  asia-northeast1, JPY.
- wordpress.yaml: WordPress on Compute Engine VMs behind a global load balancer with Cloud CDN and Cloud SQL
  for MySQL HA, southamerica-east1 (priced in USD).
- payments.yaml: an active-passive payments API in europe-west4 / europe-north1, Cloud SQL Enterprise Plus
  with a DR replica, Cloud KMS (HSM), replicated secrets, Cloud Armor, GBP.
- autopilot.yaml: Online Boutique's 11 deployments on GKE Autopilot, each with its own depends_on, a Valkey
  cart store, an external HTTPS load balancer with Cloud Armor, NAT, us-east1, USD.
- media.yaml: uploads to Cloud Storage -> Eventarc -> a Cloud Run processor -> Vision and Document AI ->
  Firestore and Pub/Sub, a nightly Cloud Run job, australia-southeast1, AUD, with a monthly budget.
- b2bapi.yaml: a B2B API on 3 Compute Engine VMs behind a load balancer with Cloud Armor, Cloud SQL for MySQL
  (HA, a read replica), Cloud NAT, southamerica-east1, with dev and prod environments (dev excludes Armor).
- docflow.yaml: documents and call recordings in a configurable dual-region bucket -> Pub/Sub -> Cloud Functions ->
  Document AI, Speech-to-Text, Translation -> a BigQuery dataset in the EU multi-region and Firestore,
  europe-west3, EUR, dev and prod environments.
- semsearch.yaml: semantic search and RAG answers: API Gateway -> Cloud Run, Identity Platform, Vector Search,
  gemini-embedding-001 and Gemini, Memorystore for Redis Cluster, a CPU re-ranker, Cloud Build, a nightly
  re-embedding job, asia-northeast1, JPY, three growth phases by monthly active users.
- globalapp.yaml: a global consumer app: one load balancer with Cloud CDN and Cloud Armor, Cloud Run in us-east4
  and europe-west1 active-active, Spanner Enterprise in us-east4, Cloud Tasks to a worker, Scheduler, KMS,
  replicated secrets, USD, with the design document's SLA, RTO and cost claims.
- mlserve.yaml: ML serving on regional GKE Standard, a CPU pool (n2-standard-8) and an L4 GPU pool (g2-standard-8),
  both on 1-year commitments, HPA-scaled deployments, Cloud NAT, Artifact Registry, Cloud Build, Logging and
  Monitoring volumes, europe-west4, EUR.
- ledger.yaml: a fintech ledger: Cloud Run API and Pub/Sub-pushed projector, a dead-letter topic, AlloyDB HA with a
  read pool, Memorystore Redis Standard, a nightly Cloud Run job, Cloud KMS (HSM signing key), a VPC connector,
  asia-south1, INR, dev/staging/prod environments and two growth phases.
- liftshift.yaml: a three-tier lift and shift on Compute Engine (e2 web, n2 app, a PostgreSQL VM on pd-ssd, a
  reporting VM running 260 h a month), a warm standby in us-west1, private Cloud DNS, NAT, the on-premises circuit as
  an external item, northamerica-northeast1, CAD.
- orders.yaml: an event-driven order system: API Gateway -> an HTTP Cloud Function -> Firestore (nam5) and Pub/Sub,
  Eventarc triggers on that topic and on an invoice bucket -> Cloud Run, a Cloud Tasks queue with bounded retries to
  a payments function, Identity Platform, Secret Manager, Cloud Scheduler, europe-west2, GBP.
- telemetry.yaml: streaming analytics: a Cloud Run collector -> Pub/Sub (push, dead letter) -> a Cloud Run worker ->
  Memorystore for Valkey, a regional BigQuery dataset and a data-lake bucket with Nearline/Coldline/Archive lifecycle
  classes, a nightly Cloud Run job, Cloud SQL on a 1-year commitment, Logging and Monitoring volumes,
  northamerica-northeast2, USD, dev and prod environments, pilot and growth phases.
- saas.yaml: a multi-tenant SaaS: one global load balancer with Cloud CDN and Cloud Armor, Cloud Run in asia-southeast1
  and europe-west4 active-active, a regional Spanner Enterprise instance in Singapore, Cloud KMS (software and HSM
  keys), replicated secrets, a budget and contingency, SGD, with the design document's SLA, RTO/RPO and cost claims.
"""
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from archplan import catalog
from tests.generate import provider_schema
from tests.generate.test_provider_schema import blocks_of

PLANS = Path(__file__).parent / "plans"
NAMES = ["webcdn", "ingest", "dr", "bank", "boutique", "rag", "pipeline", "wordpress", "payments", "autopilot", "media",
         "b2bapi", "docflow", "semsearch", "globalapp", "mlserve", "ledger", "liftshift", "orders",
         "telemetry", "saas"]


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "archplan", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd)


def ok(*args):
    result = run(*args)
    assert result.returncode == 0, f"{args}: {result.stderr or result.stdout}"
    assert "Traceback" not in result.stderr
    return result.stdout


def cost_json(name, *extra):
    return json.loads(ok("cost", PLANS / f"{name}.yaml", "--format", "json", *extra))


def line(report, component, sku):
    items = next(c for c in report["components"] if c["name"] == component)["line_items"]
    return next(item for item in items if item["sku"] == sku)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("trial")
    for name in NAMES:
        result = run("generate", PLANS / f"{name}.yaml", "-o", out / name)
        assert result.returncode == 0, result.stderr
        (out / f"{name}.warnings").write_text(result.stdout + result.stderr)
    return out


@pytest.mark.parametrize("name", NAMES)
def test_every_command_runs(name, tmp_path, generated):
    plan = PLANS / f"{name}.yaml"
    ok("validate", plan)
    ok("cost", plan, "--currency", "EUR")
    ok("cost", plan, "--region", "asia-south1")
    for fmt in ("text", "json", "sarif"):
        result = run("check", plan, "--format", fmt)
        assert result.returncode in (0, 1) and result.stdout and "Traceback" not in result.stderr
    ok("doc", plan, "-o", tmp_path / "doc")
    assert (tmp_path / "doc" / "index.html").stat().st_size > 10_000
    ok("diagram", plan, "-o", tmp_path / "arch.svg")
    ok("explain", plan, next(iter(hcl2_free_components(plan))))
    variant = tmp_path / f"{name}-variant.yaml"
    variant.write_text(plan.read_text().replace("ha: true", "ha: false").replace("min_instances: 1", "min_instances: 0"))
    ok("diff", plan, variant)
    result = run("optimize", plan, "--slo", "availability=99")
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr and result.stdout
    # every generated block is one the pinned google provider accepts
    problems = []
    for path in sorted((generated / name / "terraform").glob("*.tf")):
        for section, type_name, block, body in blocks_of(path):
            if "google-beta" not in str(body.get("provider", "")):
                problems += provider_schema.violations(section, type_name, body, f"{path.name}: {type_name}.{block}")
    assert not problems, "\n".join(problems)
    # the round trip: the generated Terraform imports back into a plan that prices
    back = tmp_path / "imported.yaml"
    result = run("import", "terraform", generated / name / "terraform", "-o", back)
    assert result.returncode == 0, result.stderr
    assert "has no kind for" not in result.stderr + result.stdout  # every generated resource is known
    ok("validate", back)  # and the plan it writes generates again (no name read twice)


def hcl2_free_components(plan):
    import yaml

    return yaml.safe_load(plan.read_text())["components"]


def test_diff_of_dropping_ha_by_hand(tmp_path):
    # webcdn.yaml's db (db-custom-2-7680, 50 GB SSD) without HA: half the vCPU-hours, GB-hours and storage
    plan = PLANS / "webcdn.yaml"
    variant = tmp_path / "zonal.yaml"
    variant.write_text(plan.read_text().replace("ha: true", "ha: false"))
    report = cost_json("webcdn")
    saved = sum(Decimal(str(line(report, "db", sku)["monthly"]["usd"])) / 2
                for sku in ("enterprise_vcpu", "enterprise_memory", "storage_ssd"))
    delta = json.loads(ok("diff", plan, variant, "--format", "json"))["cost"]["total"]
    assert abs(Decimal(str(delta["delta_usd"])) + saved) <= Decimal("0.02"), delta


def test_scale_runs_on_a_plan_with_users():
    out = ok("scale", PLANS / "webcdn.yaml", "--users", "1k..100k")
    assert "100,000" in out or "100k" in out


def test_regional_node_pool_is_priced_as_generate_creates_it(generated):
    # bank.yaml: a regional pool of `nodes: 1`; GKE's node_count is per zone, so the cluster runs 3 nodes
    tf = (generated / "bank" / "terraform" / "gke.tf").read_text()
    assert "initial_node_count = 1" in tf
    item = line(cost_json("bank"), "bank", "instance/e2-standard-4/sud")
    assert Decimal(str(item["quantity"])) == 3 * 730  # 3 nodes x 730 h
    assert "1 planned, 3 created" in item["description"]
    disks = line(cost_json("bank"), "bank", "pd_balanced")
    assert Decimal(str(disks["quantity"])) == 3 * 100  # 3 x 100 GiB boot disks


def test_scheduler_starts_a_cloud_run_job(generated):
    job = next(body for _section, type_name, name, body in blocks_of(generated / "ingest" / "terraform" / "scheduler.tf")
               if (type_name, name) == ("google_cloud_scheduler_job", "nightly_compact"))
    target = job["http_target"][0]
    assert target["uri"].endswith('/jobs/${google_cloud_run_v2_job.compactor.name}:run"')
    assert "oauth_token" in target and "oidc_token" not in target
    iam = (generated / "ingest" / "terraform" / "iam.tf").read_text()
    assert 'resource "google_cloud_run_v2_job_iam_member" "nightly_runs_compactor"' in iam
    assert "roles/run.invoker" in iam


def test_ingest_figures_by_hand():
    report = cost_json("ingest")
    # Cloud Tasks: 2,000,000 tasks x (1 create + 1.2 attempts) = 4,400,000 operations, first 1,000,000 free
    tasks = line(report, "enrich-queue", "operations")
    price = Decimal(str(tasks["unit_price_usd"]))
    assert Decimal(str(tasks["quantity"])) == 4_400_000
    assert Decimal(str(tasks["monthly"]["usd"])) == round((4_400_000 - 1_000_000) * price, 2)
    # BigQuery on demand: 8 TiB scanned less 1 TiB free, at the catalog's US multi-region price
    query = line(report, "warehouse", "query_on_demand")
    assert Decimal(str(query["monthly"]["usd"])) == round(7 * Decimal(str(query["unit_price_usd"])), 2)
    # Pub/Sub throughput: 50M messages x 4 KiB, published and delivered once: 2 x 50e6 x 4096 B in TiB
    throughput = line(report, "events", "throughput")
    assert abs(Decimal(str(throughput["quantity"])) - Decimal(2 * 50_000_000 * 4096) / 2**40) < Decimal("0.0001")


def test_cross_region_replica_is_drawn_and_described(tmp_path):
    ok("diagram", PLANS / "dr.yaml", "-o", tmp_path / "dr.dot")
    drawn = (tmp_path / "dr.dot").read_text()
    assert ">db-custom-4-15360, HA, replica<" in drawn and ">in us-west1<" in drawn  # wrapped at spaces only
    ok("doc", PLANS / "dr.yaml", "-o", tmp_path / "doc")
    assert "cross-region replica in us-west1 (manual promotion)" in (tmp_path / "doc" / "architecture.md").read_text()


def test_optimize_budget_is_read_in_the_plans_currency():
    # webcdn.yaml is an EUR plan: a bare --budget 800 is EUR 800, 800 / (EUR per USD) in USD
    eur = catalog.exchange_rate("EUR").per_usd
    for text in ("800", "800EUR", "€800"):
        result = run("optimize", PLANS / "webcdn.yaml", "--budget", text, "--format", "json")
        assert result.returncode in (0, 1), result.stderr
        budget = json.loads(result.stdout)["targets"]["budget_usd"]
        assert abs(Decimal(str(budget)) - Decimal(800) / eur) < Decimal("0.01"), text
    result = run("optimize", PLANS / "webcdn.yaml", "--budget", "800XYZ")
    assert result.returncode == 1 and "no dated exchange rate for currency 'XYZ'" in result.stderr


def test_active_passive_path_latency_takes_one_region():
    # dr.yaml: the balancer sends a request to api-east or (after failover) api-west, never both in turn
    report = json.loads(run("check", PLANS / "dr.yaml", "--format", "json").stdout)
    path = report["capacity"]["paths"][0]
    east = next(s for s in report["capacity"]["services"] if s["name"] == "api-east")
    assert len(path["services"]) == 1 and path["mean_ms"] == 90.0
    assert path["p95_ms"] == east["p95_ms"]


def test_check_accepts_table_as_cost_and_diff_call_it():
    plan = PLANS / "ingest.yaml"
    table, text = run("check", plan, "--format", "table"), run("check", plan, "--format", "text")
    assert table.returncode == text.returncode and table.stdout == text.stdout and "Findings:" in table.stdout


def test_armor_evaluates_only_the_backend_services_requests():
    # webcdn.yaml: 20,000 users x 30 requests x 365/12 days = 18,250,000 requests; lb routes 0.4 of them to
    # the Cloud Run service (the policy's only backend service) and the rest to the CDN's backend bucket
    report = cost_json("webcdn")
    evaluated = line(report, "armor", "requests")
    assert abs(Decimal(str(evaluated["quantity"])) - Decimal("0.4") * 20_000 * 30 * 365 / 12) < 1  # 7,300,000
    assert Decimal(str(evaluated["monthly"]["usd"])) == round(7_300_000 * Decimal(str(evaluated["unit_price_usd"])), 2)
    assert any("requests to backend buckets are not evaluated" in a for a in report["assumptions"])
    # dr.yaml has no bucket route: every request reaches a backend service and is evaluated
    assert abs(Decimal(str(line(cost_json("dr"), "armor", "requests")["quantity"])) - Decimal(30_416_667)) < 1


def iam_grants(generated, name):
    """(resource address, role) of every IAM member block the plan's Terraform writes."""
    return {(f"{type_name}.{block}", body["role"].strip('"'))
            for _section, type_name, block, body in blocks_of(generated / name / "terraform" / "iam.tf")
            if type_name.endswith("_iam_member")}


def test_cloud_run_job_gets_the_roles_and_network_its_depends_on_need(generated):
    # rag.yaml: ingest reads the corpus bucket, calls the embeddings model and writes AlloyDB (private IP only)
    grants = iam_grants(generated, "rag")
    assert ("google_storage_bucket_iam_member.ingest_reads_corpus", "roles/storage.objectViewer") in grants
    assert ("google_project_iam_member.ingest_aiplatform_user", "roles/aiplatform.user") in grants
    assert ("google_project_iam_member.ingest_alloydb_client", "roles/alloydb.client") in grants
    job = next(body for _s, type_name, block, body in blocks_of(generated / "rag" / "terraform" / "cloud_run.tf")
               if (type_name, block) == ("google_cloud_run_v2_job", "ingest"))
    access = job["template"][0]["template"][0]["vpc_access"][0]
    assert access["egress"].strip('"') == "PRIVATE_RANGES_ONLY" and "network_interfaces" in access
    # pipeline.yaml: the nightly rollup queries and writes the warehouse
    grants = iam_grants(generated, "pipeline")
    assert ("google_bigquery_dataset_iam_member.rollup_writes_warehouse", "roles/bigquery.dataEditor") in grants
    assert ("google_project_iam_member.rollup_bigquery_jobuser", "roles/bigquery.jobUser") in grants
    rollup = next(body for _s, type_name, block, body in blocks_of(generated / "pipeline" / "terraform" / "cloud_run.tf")
                  if (type_name, block) == ("google_cloud_run_v2_job", "rollup"))
    assert "vpc_access" not in rollup["template"][0]["template"][0]  # BigQuery needs no VPC


def test_a_service_that_reaches_alloydb_gets_vpc_egress_unasked(tmp_path):
    # AlloyDB has only a private IP (private services access): without Direct VPC egress chat cannot reach it
    plan = tmp_path / "rag.yaml"
    plan.write_text((PLANS / "rag.yaml").read_text().replace("    vpc_egress: private-ranges-only\n", ""))
    ok("generate", plan, "-o", tmp_path / "out")
    chat = next(body for _s, type_name, block, body in blocks_of(tmp_path / "out" / "terraform" / "cloud_run.tf")
                if (type_name, block) == ("google_cloud_run_v2_service", "chat"))
    assert chat["template"][0]["vpc_access"][0]["egress"].strip('"') == "PRIVATE_RANGES_ONLY"


def test_vms_get_the_roles_of_their_depends_on_and_sit_behind_the_balancer(generated):
    # wordpress.yaml: web (3 VMs) talks to Cloud SQL, reads and writes the media bucket and reads two secrets
    grants = iam_grants(generated, "wordpress")
    assert ("google_project_iam_member.web_cloudsql_client", "roles/cloudsql.client") in grants
    assert ("google_storage_bucket_iam_member.web_uses_media", "roles/storage.objectUser") in grants
    for secret in ("wp_db_password", "wp_auth_salts"):
        assert (f"google_secret_manager_secret_iam_member.web_reads_secret_{secret}",
                "roles/secretmanager.secretAccessor") in grants
    # the plan's edge lb -> web says HTTPS: the backend service speaks HTTPS to the VMs' instance groups
    # (3 VMs: one per zone a, b, c) on port 443, the default for HTTPS, and nothing says they are left out
    blocks = {(type_name, block): body for path in sorted((generated / "wordpress" / "terraform").glob("*.tf"))
              for _s, type_name, block, body in blocks_of(path)}
    service = blocks[("google_compute_backend_service", "lb_web")]
    assert service["protocol"] == '"HTTPS"' and service["port_name"] == '"https"'
    assert [b["group"] for b in service["backend"]] == [
        f"${{google_compute_instance_group.web_{zone}.id}}" for zone in "abc"]
    assert {blocks[("google_compute_instance_group", f"web_{zone}")]["named_port"][0]["port"] for zone in "abc"} == {443}
    assert "not behind" not in (generated / "wordpress.warnings").read_text()
    assert "not behind" not in (generated / "wordpress" / "README.md").read_text()


def test_a_key_rotated_less_often_than_checkov_asks_is_skipped_with_the_plans_reason(generated):
    kms = (generated / "payments" / "terraform" / "kms.tf").read_text()
    assert "#checkov:skip=CKV_GCP_43:the plan rotates this key every 365 days (rotation_days)" in kms
    assert kms.count("CKV_GCP_43") == 1  # card-tokens rotates every 90 days: checkov passes it


@pytest.mark.skipif(not os.environ.get("ARCHPLAN_CHECKOV") or not Path(os.environ["ARCHPLAN_CHECKOV"]).exists(),
                    reason="ARCHPLAN_CHECKOV is not set (make test sets it after building .venv-checkov)")
def test_checkov_finds_no_failed_check_in_the_trial_plans(generated):
    from tests.generate.test_checkov import run_checkov

    failed = [(c["check_id"], c["file_path"], c["resource"]) for r in run_checkov(generated)
              for c in r["results"]["failed_checks"]]
    assert not failed, failed


def test_boutique_figures_by_hand():
    report = cost_json("boutique")
    eur = catalog.exchange_rate("EUR").per_usd
    # Memorystore Standard 5 GB (band M2): 5 GiB x 730 h
    redis = line(report, "cart-redis", "standard_m2")
    assert Decimal(str(redis["quantity"])) == 5 * 730
    usd = round(5 * 730 * Decimal(str(redis["unit_price_usd"])), 2)
    assert Decimal(str(redis["monthly"]["usd"])) == usd
    assert abs(Decimal(str(redis["monthly"]["eur"])) - usd * eur) <= Decimal("0.01")
    # a regional pool of `nodes: 1` runs one node in each of 3 zones
    assert Decimal(str(line(report, "shop", "instance/e2-standard-4/sud")["quantity"])) == 3 * 730
    # internet egress: 20,000 users x 40 requests x 365/12 days x 30 KiB responses, in GiB
    egress = line(report, "egress", "egress_internet")
    assert abs(Decimal(str(egress["quantity"])) - Decimal(20_000 * 40 * 30) * 365 / 12 / 2**20) < Decimal("0.001")
    assert report["currency"] == "EUR" and abs(Decimal(str(report["total"]["eur"]))
                                               - Decimal(str(report["total"]["usd"])) * eur) <= Decimal("0.01")


def test_rag_figures_by_hand():
    report = cost_json("rag")
    chats = Decimal(16_000) * 365 / 12  # chats a month
    assert abs(Decimal(str(line(report, "gemini", "gemini-2.5-flash/input")["quantity"])) - chats * 4000) < 1
    assert abs(Decimal(str(line(report, "gemini", "gemini-2.5-flash/output")["quantity"])) - chats * 500) < 1
    nodes = [item for item in next(c for c in report["components"] if c["name"] == "vectors")["line_items"]
             if item["sku"] == "node/n2-highmem-2"]
    assert sorted(Decimal(str(item["quantity"])) for item in nodes) == [730, 2 * 730]  # read pool; HA primary
    storage = line(report, "vectors", "storage")
    assert Decimal(str(storage["monthly"]["usd"])) == Decimal("30.00")  # 100 GB x the plan's $0.30
    job = line(report, "ingest", "cpu_instance_based")  # 2 vCPU x 30.4 runs x 4 tasks x 900 s
    assert Decimal(str(job["quantity"])) == 2 * Decimal("30.4") * 4 * 900


def test_pipeline_figures_by_hand():
    report = cost_json("pipeline")
    messages = Decimal(50_000 * 40) * 365 / 12  # one message per request
    throughput = line(report, "events", "throughput")
    assert abs(Decimal(str(throughput["quantity"])) - 2 * messages * 1024 / 2**40) < Decimal("0.000001")
    query = line(report, "warehouse", "query_on_demand")
    assert Decimal(str(query["monthly"]["usd"])) == round(11 * Decimal(str(query["unit_price_usd"])), 2)
    jpy = catalog.exchange_rate("JPY").per_usd
    assert report["currency"] == "JPY"
    assert abs(Decimal(str(report["total"]["jpy"])) - Decimal(str(report["total"]["usd"])) * jpy) <= 1


def test_wordpress_figures_by_hand():
    report = cost_json("wordpress")
    # Cloud SQL HA doubles vCPU-hours and storage: 2 vCPU x 2 x 730 h; 100 GB x 2
    assert Decimal(str(line(report, "db", "enterprise_vcpu")["quantity"])) == 2 * 2 * 730
    assert Decimal(str(line(report, "db", "storage_ssd")["quantity"])) == 200
    # backups: one full copy (100 GB) + 10% for each of the 6 further retained backups
    assert Decimal(str(line(report, "db", "backup")["quantity"])) == 160
    lookups = line(report, "cdn", "cache_lookup")
    assert Decimal(str(lookups["quantity"])) == Decimal("0.7") * Decimal(30_000 * 15) * 365 / 12


def test_payments_figures_by_hand():
    report = cost_json("payments")
    hsm = line(report, "keys", "operations_hsm")
    assert Decimal(str(hsm["monthly"]["usd"])) == round(2_000_000 * Decimal(str(hsm["unit_price_usd"])), 2)
    assert Decimal(str(line(report, "secrets", "active_version")["quantity"])) == 2 * 2  # 2 secrets x 2 regions
    assert Decimal(str(line(report, "ledger", "backup")["quantity"])) == 250 + 13 * 25  # 14 retained
    vcpu = [Decimal(str(item["quantity"])) for item in
            next(c for c in report["components"] if c["name"] == "ledger")["line_items"]
            if item["sku"] == "enterprise_plus_vcpu"]
    assert sorted(vcpu) == [4 * 730, 2 * 4 * 730]  # the zonal DR replica; the HA primary
    gbp = catalog.exchange_rate("GBP").per_usd
    assert abs(Decimal(str(report["total"]["gbp"])) - Decimal(str(report["total"]["usd"])) * gbp) <= Decimal("0.01")


def test_autopilot_figures_by_hand():
    report = cost_json("autopilot")
    # Autopilot bills pod requests, raised to 0.5 GiB a pod: frontend 3 x 0.5 vCPU / 0.5 GiB, nine services
    # 2 x 0.25 vCPU / 0.5 GiB, loadgenerator 1 x 0.25 / 0.5: 6.25 vCPU and 11 GiB, 730 h each
    vcpu = line(report, "shop", "autopilot_vcpu")
    assert Decimal(str(vcpu["quantity"])) == Decimal("6.25") * 730
    assert Decimal(str(vcpu["monthly"]["usd"])) == round(Decimal("6.25") * 730 * Decimal(str(vcpu["unit_price_usd"])), 2)
    assert Decimal(str(line(report, "shop", "autopilot_memory")["quantity"])) == 11 * 730
    # Valkey: 1 shard x (1 primary + 1 replica) nodes x 730 h
    assert Decimal(str(line(report, "cart", "node/shared-core-nano")["quantity"])) == 2 * 730
    # egress: 15,000 users x 30 requests x 365/12 days x 40 KiB, in GiB; monitoring: 500 MiB less 150 free
    egress = line(report, "egress", "egress_internet")
    assert abs(Decimal(str(egress["quantity"])) - Decimal(15_000 * 30 * 40) * 365 / 12 / 2**20) < Decimal("0.001")
    metrics = line(report, "monitoring", "metric_data")
    assert Decimal(str(metrics["monthly"]["usd"])) == round(350 * Decimal(str(metrics["unit_price_usd"])), 2)


def test_autopilot_pods_get_the_valkey_host(generated):
    manifest = (generated / "autopilot" / "kubernetes" / "shop" / "cartservice.yaml").read_text()
    assert "VALKEY_HOST_FILE" in manifest and 'path: "VALKEY_HOST"' in manifest
    assert "VALKEY_HOST" not in (generated / "autopilot" / "kubernetes" / "shop" / "frontend.yaml").read_text()


def test_media_figures_by_hand():
    report = cost_json("media")
    aud = catalog.exchange_rate("AUD").per_usd
    assert report["currency"] == "AUD"
    # Vision label detection: 120,000 units less 1,000 free at $1.50 per 1,000; SafeSearch free with it
    labels = line(report, "vision", "label_detection")
    assert Decimal(str(labels["monthly"]["usd"])) == Decimal("178.50")
    assert Decimal(str(line(report, "vision", "safe_search_detection/with_label_detection")["monthly"]["usd"])) == 0
    # Document AI Enterprise OCR: 60,000 pages at the first tier
    pages = line(report, "docai", "enterprise_ocr/page")
    assert Decimal(str(pages["monthly"]["usd"])) == round(60_000 * Decimal(str(pages["unit_price_usd"])), 2)
    # Firestore reads: 6,000,000 less 50,000 a day x 365/12 days free
    reads = line(report, "metadata", "document_read")
    free = Decimal(50_000) * 365 / 12
    assert abs(Decimal(str(reads["monthly"]["usd"])) - (6_000_000 - free) * Decimal(str(reads["unit_price_usd"]))) \
        <= Decimal("0.01")
    assert abs(Decimal(str(report["total"]["aud"])) - Decimal(str(report["total"]["usd"])) * aud) <= Decimal("0.01")
    # the AUD 900 budget is AUD 900 / (AUD per USD) in USD, and the total's share of it
    budget = report["budget"]
    assert abs(Decimal(str(budget["usd"])) - Decimal(900) / aud) <= Decimal("0.01")
    assert abs(Decimal(str(budget["used_percent"])) - Decimal(str(report["total"]["aud"])) / 9) <= Decimal("0.05")


def test_media_processor_is_started_by_its_trigger_and_may_call_document_ai(generated):
    from archplan.doc.graph import build_graph
    from archplan.plan import resolve
    from archplan.spec.load import load_spec

    graph = build_graph(resolve(load_spec(PLANS / "media.yaml", None, catalog.supported_regions())))
    assert graph.entries == ["web"]  # Eventarc starts the processor: no Users -> processor arrow
    iam = iam_grants(generated, "media")
    assert ("google_project_iam_member.processor_documentai_apiuser", "roles/documentai.apiUser") in iam


def test_b2bapi_figures_by_hand_and_its_dev_environment():
    report = cost_json("b2bapi")
    # MySQL HA: 4 vCPU x 2 x 730 h; the zonal read replica 2 vCPU x 730 h; backups 120 GB + 13 x 12 GB
    vcpu = sorted(Decimal(str(i["quantity"])) for i in next(c for c in report["components"] if c["name"] == "db")[
        "line_items"] if i["sku"] == "enterprise_vcpu")
    assert vcpu == [2 * 730, 4 * 2 * 730]
    assert Decimal(str(line(report, "db", "backup")["quantity"])) == 120 + 13 * 12
    # Armor evaluates 1,200 users x 2,000 requests x 365/12 days = 73,000,000 requests
    assert abs(Decimal(str(line(report, "armor", "requests")["quantity"])) - Decimal(1200 * 2000) * 365 / 12) < 1
    # dev excludes armor: lb's edge to it goes too, and diff says so in one row
    dev = cost_json("b2bapi", "--env", "dev")
    assert "armor" not in {c["name"] for c in dev["components"]}
    diff = json.loads(ok("diff", PLANS / "b2bapi.yaml", "--env", "dev", "--to", "prod", "--format", "json"))
    lb = next(c for c in diff["components"]["changed"] if c["component"] == "lb")["settings"]
    assert lb == [{"setting": "depends_on[armor]", "before": None, "after": "armor"}]
    # no option meets the 30-min RTO (a restore takes 60): optimize says so instead of crashing
    result = run("optimize", PLANS / "b2bapi.yaml")
    assert result.returncode == 1 and "db: every option fails" in result.stdout and "internal error" not in result.stderr


def blocks_in(generated, name):
    return {(type_name, block): body for path in sorted((generated / name / "terraform").glob("*.tf"))
            for _s, type_name, block, body in blocks_of(path)}


def test_docflow_figures_by_hand():
    report = cost_json("docflow")
    eur = catalog.exchange_rate("EUR").per_usd
    assert report["currency"] == "EUR"
    # Speech-to-Text V2 standard: 20,000 minutes at the first tier's $0.016 = $320 (no free minutes in V2)
    speech = line(report, "speech", "v2/standard")
    assert Decimal(str(speech["unit_price_usd"])) == Decimal("0.016")
    assert Decimal(str(speech["monthly"]["usd"])) == Decimal("320.00")
    # Translation: 60M characters x 2 languages = 120M, less 500,000 free, at $20 per million = $2,390
    translate = line(report, "translate", "basic_characters")
    assert Decimal(str(translate["quantity"])) == 120_000_000
    assert Decimal(str(translate["monthly"]["usd"])) == round((120_000_000 - 500_000) * Decimal(
        str(translate["unit_price_usd"])), 2) == Decimal("2390.00")
    # Document AI Enterprise OCR: 90,000 pages x $0.0015 = $135
    assert Decimal(str(line(report, "ocr", "enterprise_ocr/page")["monthly"]["usd"])) == Decimal("135.00")
    # Cloud Functions (Tier 2 in Frankfurt): 300,000 invocations x 8 s one at a time = 2,400,000 vCPU-seconds
    cpu = line(report, "intake", "cpu_request_based")
    assert Decimal(str(cpu["quantity"])) == 2_400_000 and Decimal(str(cpu["unit_price_usd"])) == Decimal("0.0000336")
    assert abs(Decimal(str(report["total"]["eur"])) - Decimal(str(report["total"]["usd"])) * eur) <= Decimal("0.01")


def test_docflow_terraform_places_the_dataset_and_grants_what_each_edge_needs(generated, tmp_path):
    blocks = blocks_in(generated, "docflow")
    assert blocks[("google_bigquery_dataset", "warehouse")]["location"] == '"EU"'  # priced in EU, created there
    grants = iam_grants(generated, "docflow")
    assert ("google_bigquery_dataset_iam_member.report_reads_warehouse", "roles/bigquery.dataViewer") in grants
    assert ("google_bigquery_dataset_iam_member.intake_writes_warehouse", "roles/bigquery.dataEditor") in grants
    assert ("google_project_iam_member.intake_speech_client", "roles/speech.client") in grants
    back = tmp_path / "imported.yaml"
    assert run("import", "terraform", generated / "docflow" / "terraform", "-o", back).returncode == 0
    import yaml

    assert yaml.safe_load(back.read_text())["components"]["warehouse"]["location"] == "eu"
    # functions are deployed from source: the document's checklist does not ask for their images
    ok("doc", PLANS / "docflow.yaml", "-o", tmp_path / "doc")
    markdown = (tmp_path / "doc" / "architecture.md").read_text()
    assert "Upload and deploy the source of intake, report" in markdown and "images of intake" not in markdown


def test_semsearch_figures_by_hand_and_its_phases():
    report = cost_json("semsearch")
    jpy = catalog.exchange_rate("JPY").per_usd
    # Identity Platform: 60,000 MAU less 50,000 free = 10,000 x $0.0055 = $55
    assert Decimal(str(line(report, "auth", "tier1_mau")["monthly"]["usd"])) == Decimal("55.00")
    # Gemini 2.5 Flash: 30,000 chats a day x 365/12 days x 3,000 input tokens
    chats = Decimal(30_000) * 365 / 12
    assert abs(Decimal(str(line(report, "gemini", "gemini-2.5-flash/input")["quantity"])) - chats * 3000) < 1
    # Redis Cluster: 3 shards x (1 primary + 1 replica) = 6 nodes x 730 h
    assert Decimal(str(line(report, "cache", "node/redis-standard-small")["quantity"])) == 6 * 730
    assert abs(Decimal(str(report["total"]["jpy"])) - Decimal(str(report["total"]["usd"])) * jpy) <= 1
    assert any("Private Service Connect endpoint the clients of vectors query it at" in a for a in report["assumptions"])
    # scale: at 100k users the phase is launch and Identity Platform bills 100,000 MAU: 50,000 x $0.0055 = $275;
    # 2M, the last phase's own top end, is in that phase
    result = json.loads(ok("scale", PLANS / "semsearch.yaml", "--users", "100k,2M", "--format", "json"))
    first, last = result["points"]
    assert first["phase"] == "launch" and next(c for c in first["components"] if c["component"] == "auth")["usd"] == 275
    assert last["phase"] == "scale" and last["phase_note"] is None


def test_semsearch_index_is_reachable_from_the_vpc(generated):
    blocks = blocks_in(generated, "semsearch")
    rule = blocks[("google_compute_forwarding_rule", "vectors_psc")]
    assert "private_endpoints[0].service_attachment" in rule["target"]
    tf = (generated / "semsearch" / "terraform" / "cloud_run.tf").read_text()
    assert tf.count('name  = "VECTOR_SEARCH_ADDRESS"') == 2  # api and the reindex job
    assert "warning: auth: sign-in with google needs each provider's client id" in (
        generated / "semsearch.warnings").read_text()


def test_globalapp_figures_by_hand_and_its_claims():
    report = cost_json("globalapp")
    # Spanner Enterprise, regional: 2,000 PUs = 2 nodes x 730 h x 3 read-write replicas, at the us-east4 figure
    spanner = line(report, "db", "replica/enterprise")
    assert Decimal(str(spanner["quantity"])) == 2 * 730 * 3
    assert Decimal(str(spanner["monthly"]["usd"])) == round(4380 * Decimal(str(spanner["unit_price_usd"])), 2)
    # Cloud Tasks: 6,000,000 tasks x (1 create + 1.1 attempts) = 12,600,000 operations, less 1,000,000 free
    tasks = line(report, "deferred", "operations")
    assert Decimal(str(tasks["monthly"]["usd"])) == round(11_600_000 * Decimal(str(tasks["unit_price_usd"])), 2)
    # KMS: 30,000,000 software operations x $0.03 per 10,000 = $90
    assert Decimal(str(line(report, "keys", "operations_software")["monthly"]["usd"])) == Decimal("90.00")
    claims = {c["id"]: c for c in json.loads(run("check", PLANS / "globalapp.yaml", "--format", "json").stdout)[
        "claims"]}
    # losing us-east4 loses the regional Spanner instance both regions use: no 5-min RTO
    assert claims["rto.region"]["verdict"] == "off" and claims["rto.region"]["computed"] == "unbounded"
    assert claims["total.monthly"]["verdict"] == "off" and claims["downtime.month"]["verdict"] == "held"


def test_globalapp_tasks_can_call_their_worker(generated):
    grants = iam_grants(generated, "globalapp")
    assert ("google_cloud_run_v2_service_iam_member.deferred_tasks_invokes_worker", "roles/run.invoker") in grants
    spanner = (generated / "globalapp" / "terraform" / "spanner.tf").read_text()
    assert "the plan's Cloud KMS keys (keys/pii) are not named as this resource's key" in spanner


def test_mlserve_figures_by_hand_and_its_gpu_pods(generated):
    report = cost_json("mlserve")
    eur = catalog.exchange_rate("EUR").per_usd
    # regional pools of `nodes: 3` run one node in each of 3 zones: 3 x 730 h at the 1-year commitment price
    for sku in ("instance/n2-standard-8/cud_1y", "instance/g2-standard-8/cud_1y"):
        item = line(report, "serving", sku)
        assert Decimal(str(item["quantity"])) == 3 * 730
        assert Decimal(str(item["monthly"]["usd"])) == round(3 * 730 * Decimal(str(item["unit_price_usd"])), 2)
    # the GPU pool's boot disks: 3 x 200 GiB pd-ssd; the private pool's builds: 200 builds x 18 min, all three
    # pipelines being the private cluster's deployments
    assert Decimal(str(line(report, "serving", "pd_ssd")["quantity"])) == 600
    build = line(report, "build", "private_build_minute/e2-highcpu-8")
    assert Decimal(str(build["monthly"]["usd"])) == round(200 * 18 * Decimal(str(build["unit_price_usd"])), 2)
    # Monitoring: 2,000 MiB less 150 free, in the first tier; Logging: 300 GiB less 50 free
    metrics = line(report, "monitoring", "metric_data")
    assert Decimal(str(metrics["monthly"]["usd"])) == round(1850 * Decimal(str(metrics["unit_price_usd"])), 2)
    logs = line(report, "logging", "ingestion")
    assert Decimal(str(logs["monthly"]["usd"])) == round(250 * Decimal(str(logs["unit_price_usd"])), 2)
    assert report["currency"] == "EUR" and abs(Decimal(str(report["total"]["eur"]))
                                               - Decimal(str(report["total"]["usd"])) * eur) <= Decimal("0.01")
    # the model server serves 16 requests a pod at once: 40,000 x 20 x 365/12 / 2,628,000 s x 3 = 27.78 req/s
    # x 400 ms = 11.1 in flight; / (16 x 60%) = 1.16 -> 2, at least its 3 replicas (it was checked at 1 a pod:
    # 19 pods, above its HPA maximum of 6)
    checked = json.loads(run("check", PLANS / "mlserve.yaml", "--format", "json").stdout)
    model = next(s for s in checked["capacity"]["services"] if s["name"] == "serving/model-server")
    assert model["instances_needed"] == 3
    assert not any(f["id"] in ("CAP-001", "CAP-002") for f in checked["findings"])
    # its pods select the L4 pool, tolerate GKE's GPU taint and request the node's one GPU
    import yaml

    manifest = generated / "mlserve" / "kubernetes" / "serving" / "model-server.yaml"
    pod = next(d for d in yaml.safe_load_all(manifest.read_text()) if d["kind"] == "Deployment")["spec"]["template"]["spec"]
    assert pod["nodeSelector"] == {"cloud.google.com/gke-nodepool": "gpu-pool"}
    assert pod["containers"][0]["resources"]["limits"]["nvidia.com/gpu"] == "1"
    assert "has GPUs but no deployment" not in (generated / "mlserve.warnings").read_text()


def test_ledger_figures_by_hand_and_its_dead_letter_topic(generated):
    report = cost_json("ledger")
    inr = catalog.exchange_rate("INR").per_usd
    # AlloyDB: an HA n2-highmem-4 primary is 2 nodes x 2 n2-highmem-2 x 730 h; the read pool 2 x 730 h
    nodes = sorted(Decimal(str(i["quantity"])) for i in next(c for c in report["components"] if c["name"] == "ledger")[
        "line_items"] if i["sku"] == "node/n2-highmem-2")
    assert nodes == [2 * 730, 2 * 2 * 730]
    # Cloud KMS: the HSM EC P-256 signing key's 2,000,000 operations at the catalog's price
    hsm = line(report, "signing", "operations_hsm_large")
    assert Decimal(str(hsm["monthly"]["usd"])) == round(2_000_000 * Decimal(str(hsm["unit_price_usd"])), 2)
    # Pub/Sub: 150,000 x 12 x 365/12 requests x 0.3 messages = 16,425,000 messages of 1 KiB, 7 days retained
    retained = line(report, "events", "message_storage")
    assert abs(Decimal(str(retained["quantity"])) - Decimal(16_425_000) / 2**20 * 7 / (Decimal(730) / 24)) \
        < Decimal("0.0001")
    # Cloud Logging kept 400 days: each month's 120 GiB stays 370 days past the included 30, 370 / (730 / 24)
    # months (it was 370 / 30: 1,480 GiB-months, 1.4% more than a month of 30.4167 days holds)
    retention = line(report, "logging", "retention")
    assert abs(Decimal(str(retention["quantity"])) - 120 * Decimal(370) / (Decimal(730) / 24)) < Decimal("0.0001")
    # Memorystore Standard 5 GB (band M2): 5 x 730 GiB-hours; the connector: 2 e2-standard-4 x 730 h
    assert Decimal(str(line(report, "balances", "standard_m2")["quantity"])) == 5 * 730
    assert Decimal(str(line(report, "connector", "instance/e2-standard-4/sud")["quantity"])) == 2 * 730
    # the USD total is rounded to the cent: within 0.005 x the rate of the INR one
    assert report["currency"] == "INR" and abs(Decimal(str(report["total"]["inr"]))
                                               - Decimal(str(report["total"]["usd"])) * inr) <= Decimal("0.005") * inr
    # staging drops HA and the read pool: 1 node x 730 h of n2-highmem-2 and nothing else
    staging = cost_json("ledger", "--env", "staging")
    assert [Decimal(str(i["quantity"])) for i in next(c for c in staging["components"] if c["name"] == "ledger")[
        "line_items"]] == [730]
    # India data residency: the dead-letter topic keeps messages in asia-south1 as the topic does
    topics = {block: body for _s, type_name, block, body in blocks_of(generated / "ledger" / "terraform" / "pubsub.tf")
              if type_name == "google_pubsub_topic"}
    assert set(topics) == {"events_dead_letter", "events_ledger_entries"}
    assert all(body["message_storage_policy"][0]["allowed_persistence_regions"] == ["${var.region}"]
               for body in topics.values())
    # the README's "What is created" names what is created: the topics, the key ring, the secrets (it listed
    # <prefix>-events, <prefix>-signing and <prefix>-secrets, none of which exists)
    readme = (generated / "ledger" / "README.md").read_text()
    assert "| events | pubsub | `ledger-in-prod-ledger-entries`, `ledger-in-prod-events-dead-letter` |" in readme
    assert "| signing | cloud_kms | `ledger-in-prod-ledger` |" in readme
    assert "| secrets | secret_manager | `ledger-in-prod-ledger-db-password` |" in readme
    kms = (generated / "ledger" / "terraform" / "kms.tf").read_text()
    assert 'name       = "${var.prefix}-ledger"' in kms


def test_liftshift_figures_by_hand_and_its_firewall(generated):
    report = cost_json("liftshift")
    cad = catalog.exchange_rate("CAD").per_usd
    # the reporting VM runs 260 h: n2-standard-8's on-demand price, the first 182.5 h (a quarter of 730) at
    # 100%, the other 77.5 h at 1 - 2/3 x the full-month sustained-use discount
    book = catalog.service("compute_engine")
    on_demand = book.price("instance/n2-standard-8", "northamerica-northeast1").usd
    step = (1 - book.price("instance/n2-standard-8/sud", "northamerica-northeast1").usd / on_demand) * 2 / 3
    reports = line(report, "reports", "instance/n2-standard-8")
    assert Decimal(str(reports["monthly"]["usd"])) == round((Decimal("182.5") + Decimal("77.5") * (1 - step))
                                                            * on_demand, 2)
    # full-month VMs at the sustained-use price: 3 x n2-standard-4 x 730 h; the standby in us-west1 at Oregon's
    app = line(report, "app", "instance/n2-standard-4/sud")
    assert Decimal(str(app["monthly"]["usd"])) == round(3 * 730 * book.price(
        "instance/n2-standard-4/sud", "northamerica-northeast1").usd, 2)
    standby = line(report, "app-standby", "instance/n2-standard-4/sud")
    assert Decimal(str(standby["unit_price_usd"])) == book.price("instance/n2-standard-4/sud", "us-west1").usd
    # the on-premises circuit: CAD 450 stated, CAD 450 / (CAD per USD) in USD
    link = line(report, "onprem-link", "item-1")
    assert abs(Decimal(str(link["monthly"]["usd"])) - Decimal(450) / cad) <= Decimal("0.01")
    assert Decimal(str(link["monthly"]["cad"])) == Decimal("450.00")
    # private DNS: 2 zones and 30,000,000 queries at the catalog's first tier
    queries = line(report, "dns", "queries")
    assert Decimal(str(queries["monthly"]["usd"])) == round(30_000_000 * Decimal(str(queries["unit_price_usd"])), 2)
    # scale keeps the 260 h at every load (they grew with the users, past 730 h, and validate refused the plan)
    scaled = json.loads(ok("scale", PLANS / "liftshift.yaml", "--users", "3k,30k", "--format", "json"))
    for point in scaled["points"]:
        vm = next(c for c in point["components"] if c["component"] == "reports")
        assert abs(Decimal(vm["usd"]) - Decimal(str(reports["monthly"]["usd"])) - Decimal(str(
            line(report, "reports", "pd_balanced")["monthly"]["usd"]))) <= Decimal("0.01")
    # web -> app (HTTPS, 443) and app, reports -> db (Postgres, 5432) are let through the VPC's deny-all
    rules = {block: (body["source_service_accounts"], body["allow"][0]["ports"])
             for _s, type_name, block, body in blocks_of(generated / "liftshift" / "terraform" / "compute.tf")
             if type_name == "google_compute_firewall" and "_from_" in block and "load_balancer" not in block}
    assert rules == {"app_from_web": (["${google_service_account.web.email}"], ['"443"']),
                     "db_from_app": (["${google_service_account.app.email}"], ['"5432"']),
                     "db_from_reports": (["${google_service_account.reports.email}"], ['"5432"'])}


def test_orders_pubsub_trigger_carries_the_plans_topic(generated, tmp_path):
    # on-events' order-placed trigger delivers order-events' messages: its transport is that topic (without one
    # Eventarc made a topic of its own, which orders-api never published to), and the topic's one subscription
    # is Eventarc's, so Terraform writes no pull subscription nothing reads
    blocks = blocks_in(generated, "orders")
    trigger = blocks[("google_eventarc_trigger", "on_events_order_placed")]
    assert trigger["transport"][0]["pubsub"][0]["topic"] == "${google_pubsub_topic.order_events_order_placed.id}"
    assert "transport" not in blocks[("google_eventarc_trigger", "on_events_invoice_stored")]
    assert not [key for key in blocks if key[0] == "google_pubsub_subscription"]
    # imported back: the trigger names its topic, and the topic keeps its one (Eventarc's) subscription
    import yaml

    back = tmp_path / "imported.yaml"
    assert run("import", "terraform", generated / "orders" / "terraform", "-o", back).returncode == 0
    components = yaml.safe_load(back.read_text())["components"]
    assert components["on_events"]["triggers"][0]["topic"] == "order_events"
    assert components["order_events"].get("subscriptions_per_topic", 1) == 1


def test_orders_function_behind_api_gateway_admits_the_gateway(generated):
    # API Gateway calls orders-api from outside the VPC: ingress ALLOW_INTERNAL_ONLY refused every request (Cloud
    # Run's ingress page lists Scheduler, Tasks, Eventarc and Pub/Sub as internal, not API Gateway); IAM still
    # admits only the gateway's account. payments, called only by Cloud Tasks, stays internal.
    blocks = blocks_in(generated, "orders")
    settings = {name: blocks[("google_cloudfunctions2_function", name)]["service_config"][0]["ingress_settings"]
                for name in ("orders_api", "payments")}
    assert settings == {"orders_api": '"ALLOW_ALL"', "payments": '"ALLOW_INTERNAL_ONLY"'}
    grants = iam_grants(generated, "orders")
    invokers = {address for address, role in grants if role == "roles/run.invoker" and "orders_api" in address}
    assert invokers == {"google_cloud_run_v2_service_iam_member.gateway_gateway_invokes_orders_api"}


def test_orders_figures_by_hand():
    report = cost_json("orders")
    gbp = catalog.exchange_rate("GBP").per_usd
    assert report["currency"] == "GBP"
    # Identity Platform Tier 1: 180,000 MAU (traffic.monthly_active_users): 50,000 free, 50,000 x $0.0055, 80,000 x
    # $0.0046 = $275 + $368 = $643.00
    assert Decimal(str(line(report, "auth", "tier1_mau")["monthly"]["usd"])) == Decimal("643.00")
    # API Gateway: 40,000 users x 12 requests x 365/12 days = 14,600,000 calls, less 2,000,000 free, at $3 a million
    calls = line(report, "gateway", "tracked_operations")
    assert Decimal(str(calls["quantity"])) == 14_600_000
    assert Decimal(str(calls["monthly"]["usd"])) == Decimal("37.80")
    # Cloud Tasks: 3,000,000 tasks x (1 create + 1.3 attempts) = 6,900,000 operations, less 1,000,000 free
    tasks = line(report, "captures", "operations")
    assert Decimal(str(tasks["monthly"]["usd"])) == round(5_900_000 * Decimal(str(tasks["unit_price_usd"])), 2)
    # Firestore in nam5: 90,000,000 reads less 50,000 a day x 365/12 days, at the nam5 price ($0.06 a 100,000)
    reads = line(report, "orders-db", "document_read")
    assert Decimal(str(reads["unit_price_usd"])) == catalog.service("firestore").price("document_read", "nam5").usd
    assert abs(Decimal(str(reads["monthly"]["usd"])) - (90_000_000 - Decimal(50_000) * 365 / 12)
               * Decimal(str(reads["unit_price_usd"]))) <= Decimal("0.01")
    # Pub/Sub: the topic's 3,000,000 messages of 2 KiB, published and delivered to its one (Eventarc's)
    # subscription; the trigger that carries them adds nothing, the bucket trigger its own publish and delivery
    throughput = line(report, "order-events", "throughput")
    assert abs(Decimal(str(throughput["quantity"])) - Decimal(2 * 3_000_000 * 2048) / 2**40) < Decimal("0.000001")
    events = next(c for c in report["components"] if c["name"] == "on-events")["line_items"]
    assert [Decimal(str(item["quantity"])) == 0 for item in events] == [True, False]
    assert abs(Decimal(str(report["total"]["gbp"])) - Decimal(str(report["total"]["usd"])) * gbp) <= Decimal("0.01")


def test_telemetry_figures_by_hand_and_its_dev_environment():
    report = cost_json("telemetry")
    book = catalog.service("cloud_storage")
    # the lake: 18,000 GB written a month, nearline at 30 days, coldline at 90, archive at 365: 18,000 x 30 /
    # 30.4167 = 17,753.42 GB standard, x 60 / 30.4167 = 35,506.85 nearline, x 275 / 30.4167 = 162,739.73 coldline,
    # the rest of 250,000 = 34,000.00 archive, each at its Toronto price (it priced all 250,000 GB as standard,
    # $5,750 a month instead of $2,094.10)
    month = Decimal(730) / 24
    bands = {c: 18_000 * Decimal(days) / month for c, days in (("standard", 30), ("nearline", 60), ("coldline", 275))}
    bands["archive"] = 250_000 - sum(bands.values())
    for storage_class, gb in bands.items():
        item = line(report, "lake", f"storage_{storage_class}_region")
        assert abs(Decimal(str(item["quantity"])) - gb) < Decimal("0.001"), storage_class
        price = book.price(f"storage_{storage_class}_region", "northamerica-northeast2").usd
        assert abs(Decimal(str(item["monthly"]["usd"])) - gb * price) <= Decimal("0.005"), storage_class
    # Valkey: 2 shards x (1 primary + 1 replica) = 4 standard-small nodes x 730 h
    assert Decimal(str(line(report, "cache", "node/standard-small")["quantity"])) == 4 * 730
    # Cloud SQL HA on a 1-year commitment: 2 vCPU x 2 x 730 h at 25% off the list price
    vcpu = line(report, "metadata", "enterprise_vcpu")
    listed = catalog.service("cloud_sql").price("enterprise_vcpu", "northamerica-northeast2").usd
    assert Decimal(str(vcpu["quantity"])) == 2920 and Decimal(str(vcpu["discount"])) == Decimal("0.25")
    assert Decimal(str(vcpu["monthly"]["usd"])) == round(2920 * listed * Decimal("0.75"), 2)
    # Logging kept 90 days: each month's 900 GiB stays 60 days past the included 30; Monitoring: 3,000 MiB less
    # 150 free at the first tier's $0.258 = $735.30
    retention = line(report, "logs", "retention")
    assert abs(Decimal(str(retention["quantity"])) - 900 * Decimal(60) / month) < Decimal("0.0001")
    assert Decimal(str(line(report, "monitoring", "metric_data")["monthly"]["usd"])) == Decimal("735.30")
    # dev: 1,000 devices x 96 readings x 365/12 days = 2,920,000 pushes to the worker; one shared-core node
    dev = cost_json("telemetry", "--env", "dev")
    assert abs(Decimal(str(line(dev, "enricher", "requests")["quantity"])) - 2_920_000) < 1
    assert Decimal(str(line(dev, "cache", "node/shared-core-nano")["quantity"])) == 730
    assert "dashboard" not in {c["name"] for c in dev["components"]}
    # a million devices is the growth phase
    scaled = json.loads(ok("scale", PLANS / "telemetry.yaml", "--users", "200k,1M", "--format", "json"))
    assert [point["phase"] for point in scaled["points"]] == ["pilot", "growth"]


def test_saas_figures_by_hand_and_its_claims():
    report = cost_json("saas")
    sgd = catalog.exchange_rate("SGD").per_usd
    requests = Decimal(60_000 * 150) * 365 / 12  # 273,750,000 a month
    # Spanner Enterprise, regional: 3,000 PUs = 3 nodes x 730 h x 3 read-write replicas
    spanner = line(report, "tenants", "replica/enterprise")
    assert Decimal(str(spanner["quantity"])) == 3 * 730 * 3
    # api-eu's calls to the Singapore database cross continents: 0.28 of the requests x 3 KiB out, x 16 KiB back
    calls = [i for i in next(c for c in report["components"] if c["name"] == "api-eu")["line_items"]
             if i["service"] == "Inter-region data transfer"]
    got = sorted(Decimal(str(i["quantity"])) for i in calls)
    assert all(abs(q - Decimal("0.28") * requests * kib / 2**20) < Decimal("0.001") for q, kib in zip(got, (3, 16)))
    # CDN lookups: 0.3 of the requests; Armor evaluates the 0.7 that reach the two services
    assert abs(Decimal(str(line(report, "cdn", "cache_lookup")["quantity"])) - Decimal("0.3") * requests) < 1
    assert abs(Decimal(str(line(report, "armor", "requests")["quantity"])) - Decimal("0.7") * requests) < 1
    # 10% contingency on the subtotal; the SGD total at the catalog's rate (1.2771 a USD)
    assert abs(Decimal(str(report["contingency"]["usd"])) - Decimal(str(report["subtotal"]["usd"])) / 10) \
        <= Decimal("0.01")  # each rounded once from the unrounded subtotal
    assert report["currency"] == "SGD" and abs(Decimal(str(report["total"]["sgd"]))
                                               - Decimal(str(report["total"]["usd"])) * sgd) <= Decimal("0.005") * sgd
    claims = {c["id"]: c for c in json.loads(run("check", PLANS / "saas.yaml", "--format", "json").stdout)["claims"]}
    # Spanner's three zonal replicas lose nothing in a zone outage (the claim was "not checkable"); losing Singapore
    # loses the one regional instance both regions use: no 15-minute RTO
    assert claims["rpo.zone"]["verdict"] == "held"
    assert claims["rto.region"]["verdict"] == "off" and claims["rto.region"]["computed"] == "unbounded"
    assert claims["cost.month"]["verdict"] == "off" and claims["downtime"]["verdict"] == "held"
