"""Least privilege: from the plan's edges alone (each workload's depends_on, with its access, its env
secrets and its stated service_account_roles) this test derives the roles every workload identity needs,
and compares them with every IAM grant the generated Terraform makes to that identity: nothing more,
nothing less. The table below is the test's own reading of the IAM docs, not the generator's."""
import pytest

from archplan.generate.context import env_key, ident
from archplan.plan import resolve
from archplan.spec.load import load_spec
from tests.generate.conftest import PLAN_FILES, PLAN_NAMES
from tests.generate.test_apply_order import REFERENCE, configuration, walk_strings

OBJECT_ROLES = {"read": "roles/storage.objectViewer", "write": "roles/storage.objectCreator",
                "read-write": "roles/storage.objectUser"}
PROJECT_ROLES = {"cloud_sql": ["roles/cloudsql.client"], "firestore": ["roles/datastore.user"],
                 "bigquery": ["roles/bigquery.jobUser"], "cloud_logging": ["roles/logging.logWriter"],
                 "cloud_monitoring": ["roles/monitoring.metricWriter"], "cloud_trace": ["roles/cloudtrace.agent"],
                 "llm": ["roles/aiplatform.user"],
                 # https://cloud.google.com/document-ai/docs/access-control/iam-roles: process documents
                 "document_ai": ["roles/documentai.apiUser"],
                 # https://cloud.google.com/iam/docs/roles-permissions/cloudtranslate: cloudtranslate.generalModels.predict
                 "cloud_translation": ["roles/cloudtranslate.user"],
                 # https://cloud.google.com/iam/docs/roles-permissions/speech: speech.recognizers.recognize
                 "speech_to_text": ["roles/speech.client"],
                 # https://cloud.google.com/alloydb/docs/auth-proxy/overview: alloydb.instances.connect
                 "alloydb": ["roles/alloydb.client"]}
ACCESSOR = "roles/secretmanager.secretAccessor"
# Memorystore clusters with IAM authentication: clients connect as their service account
# (https://cloud.google.com/memorystore/docs/valkey/about-iam-auth, .../cluster/about-iam-auth).
IAM_AUTH_ROLES = {"memorystore_valkey": "roles/memorystore.dbConnectionUser",
                  "memorystore_redis_cluster": "roles/redis.dbConnectionUser"}


def plan_secret(plan, secret: str) -> str:
    """The Terraform secret a plan-named secret is: a Cloud SQL instance's or AlloyDB cluster's generated
    password where its id is that password's (<prefix>-<database>-password), else secret_<id>."""
    sql = next((c for c in plan.components if c.kind in ("cloud_sql", "alloydb")
                and secret == f"{c.name.lower().replace('_', '-')}-password"), None)
    return f"google_secret_manager_secret.{ident(sql.name)}_password" if sql else \
        f"google_secret_manager_secret.secret_{ident(secret)}"


def subscriptions(blocks, component):
    """The topics' pull subscriptions: not an export one (BigQuery or Cloud Storage), which Pub/Sub itself
    delivers (https://cloud.google.com/pubsub/docs/bigquery: no subscriber client)."""
    topics = {f"google_pubsub_topic.{ident(component.name)}_{ident(t)}" for t in component.spec.topics}
    return {a for a, b in blocks.items() if a.startswith("google_pubsub_subscription.")
            and REFERENCE.search(b["topic"]).group(1) in topics
            and not b.get("bigquery_config") and not b.get("cloud_storage_config")}


def pushed(plan, component):
    return any(plan_component.kind == "cloud_run" or (plan_component.kind == "cloud_functions"
                                                      and plan_component.spec.trigger != "pubsub")
               for plan_component in [c for c in plan.components if c.name in {d.name for d in component.spec.depends_on}])


def expected_grants(plan, blocks, identity_kind, component, fields, edges):
    by_name = {c.name: c for c in plan.components}
    env = getattr(fields, "env", {})  # VMs have no env in the plan
    grants = set()
    if identity_kind == "compute_engine":  # the VMs' logging and monitoring agents write as the VM's account
        grants.update({("roles/logging.logWriter", "project"), ("roles/monitoring.metricWriter", "project")})
    for edge in edges:
        target = by_name.get(edge.name)
        if target is None:
            continue  # a sibling deployment: called over the cluster network, no IAM
        kind = target.kind
        grants.update((role, "project") for role in PROJECT_ROLES.get(kind, []))
        if kind == "llm" and not any(b for a, b in blocks.items() if "aiplatform" in str(b)):
            grants.discard(("roles/aiplatform.user", "project"))
        if kind in IAM_AUTH_ROLES and target.spec.iam_auth:
            grants.add((IAM_AUTH_ROLES[kind], "project"))
        if kind == "cloud_storage":
            grants.add((OBJECT_ROLES[edge.access], f"google_storage_bucket.{ident(target.name)}"))
        elif kind == "pubsub":
            if edge.access in ("write", "read-write"):
                grants.update(("roles/pubsub.publisher", f"google_pubsub_topic.{ident(target.name)}_{ident(t)}")
                              for t in target.spec.topics)
            if edge.access in ("read", "read-write") and not pushed(plan, target):
                grants.update(("roles/pubsub.subscriber", s) for s in subscriptions(blocks, target))
        elif kind == "secret_manager" and isinstance(target.spec.secrets, list):
            grants.update((ACCESSOR, plan_secret(plan, s)) for s in target.spec.secrets)
        elif kind == "cloud_run":
            grants.add(("roles/run.invoker", f"google_cloud_run_v2_service.{ident(target.name)}"))
        elif kind == "cloud_functions":
            grants.add(("roles/run.invoker", f"google_cloudfunctions2_function.{ident(target.name)}"))
        elif kind == "bigquery":
            # reading tables needs bigquery.tables.getData (dataViewer); writing them updateData (dataEditor)
            role = "roles/bigquery.dataViewer" if edge.access == "read" else "roles/bigquery.dataEditor"
            grants.add((role, f"google_bigquery_dataset.{ident(target.name)}"))
        elif kind == "artifact_registry":
            grants.add(("roles/artifactregistry.reader", f"google_artifact_registry_repository.{ident(target.name)}"))
        # Secrets the link to a data store carries, unless the plan's own env sets that variable.
        def linked(variable, secret):
            if variable not in env and f"{env_key(target.name)}_{variable}" not in env:
                grants.add((ACCESSOR, f"google_secret_manager_secret.{secret}"))

        if kind == "cloud_sql":
            linked("DB_PASSWORD", f"{ident(target.name)}_password")
        if kind == "alloydb":
            linked("ALLOYDB_PASSWORD", f"{ident(target.name)}_password")
            if identity_kind == "gke":
                linked("ALLOYDB_HOST", f"{ident(target.name)}_host")
        if kind == "memorystore_redis":
            if target.spec.auth_enabled:
                linked("REDIS_AUTH", f"{ident(target.name)}_auth")
            if identity_kind == "gke":
                linked("REDIS_HOST", f"{ident(target.name)}_host")
                linked("REDIS_PORT", f"{ident(target.name)}_port")
                if target.spec.transit_encryption:
                    linked("REDIS_CA_CERT", f"{ident(target.name)}_ca")
    for env_name, value in env.items():
        if hasattr(value, "secret") and isinstance(value.secret, str):
            grants.add((ACCESSOR, plan_secret(plan, value.secret)))
        elif hasattr(value, "value"):
            key = f"{component.name}-{fields.name}" if identity_kind == "gke" else component.name
            grants.add((ACCESSOR, f"google_secret_manager_secret.literal_{ident(key)}_{ident(env_name)}"))
    grants.update((role, "project") for role in getattr(fields, "service_account_roles", []))
    if identity_kind == "cloud_functions" and component.spec.trigger == "pubsub":
        grants.add(("roles/eventarc.eventReceiver", "project"))
        grants.add(("roles/run.invoker", f"google_cloudfunctions2_function.{ident(component.name)}"))
    return grants


def identities(plan):
    """(service account Terraform name, kind, component, fields, edges) per workload with its own identity."""
    for component in plan.components:
        if component.kind in ("cloud_run", "cloud_functions"):
            yield ident(component.name), component.kind, component, component.spec, component.spec.depends_on
        elif component.kind == "compute_engine":
            yield ident(component.name), component.kind, component, component.spec, component.spec.depends_on
        elif component.kind == "gke" and (component.spec.workload_identity or component.spec.mode == "autopilot"):
            for deployment in component.spec.deployments:
                edges = deployment.depends_on if deployment.depends_on is not None else component.spec.depends_on
                yield ident(f"{component.name}-{deployment.name}"), "gke", component, deployment, edges


def actual_grants(blocks, account):
    grants = set()
    member = f"google_service_account.{account}.email"
    for address, body in blocks.items():
        if "_iam_member." not in address or member not in " ".join(walk_strings(body.get("member", ""))):
            continue
        if address.startswith("google_project_iam_member."):
            target = "project"
        elif address.startswith("google_service_account_iam_member."):
            continue  # Workload Identity: the Kubernetes account may act as this one
        else:
            target = next(REFERENCE.search(str(v)).group(1) for k, v in body.items()
                          if k not in ("role", "member", "depends_on", "project", "location", "__is_block__")
                          and REFERENCE.search(str(v)))
        grants.add((body["role"].strip('"'), target))
    return grants


@pytest.mark.parametrize("example", PLAN_NAMES)
def test_each_identity_gets_exactly_what_its_edges_need(generated, example):
    plan = resolve(load_spec(PLAN_FILES[example]))
    blocks, _, _ = configuration(generated / example / "terraform")
    checked = 0
    for account, kind, component, fields, edges in identities(plan):
        expected = expected_grants(plan, blocks, kind, component, fields, edges)
        actual = actual_grants(blocks, account)
        assert actual == expected, (f"{example}: {account}: more than needed {sorted(actual - expected)}, "
                                    f"missing {sorted(expected - actual)}")
        checked += 1
    assert checked


def test_web_dashboard_cannot_touch_kyc_documents(generated):
    blocks, _, _ = configuration(generated / "drivopay" / "terraform")
    assert not actual_grants(blocks, "gke_web_dashboard")
    assert ("roles/storage.objectViewer", "google_storage_bucket.documents") in actual_grants(blocks, "gke_audit_service")
    assert ("roles/pubsub.subscriber", "google_pubsub_subscription.pubsub_payment_events_sub_1") in \
        actual_grants(blocks, "gke_notification_service")


@pytest.mark.parametrize("body, role", [
    # https://cloud.google.com/document-ai/docs/access-control/iam-roles: process documents
    ("{kind: document_ai, pages_per_month: 1000}", "roles/documentai.apiUser"),
    # https://cloud.google.com/iam/docs/roles-permissions/cloudtranslate: cloudtranslate.generalModels.predict
    ("{kind: cloud_translation, characters_per_month: 2000000, target_languages: 2}", "roles/cloudtranslate.user"),
    # https://cloud.google.com/iam/docs/roles-permissions/speech: speech.recognizers.recognize
    ("{kind: speech_to_text, minutes_per_month: 500}", "roles/speech.client"),
])
def test_an_ai_api_caller_gets_exactly_the_role_it_calls_with(tmp_path, body, role):
    """Without its role a service calling Document AI, Translation or Speech-to-Text is refused (403); found by
    trials (the callers got no role). Only the caller gets it."""
    from tests.generate.conftest import generate

    plan = tmp_path / "ai.yaml"
    plan.write_text(f"""\
project: {{name: ai, region: us-central1}}
components:
  api: {{kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 900, requests_per_month: 1000,
        depends_on: [ai]}}
  other: {{kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 90, requests_per_month: 1000}}
  ai: {body}
""")
    code, _, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    blocks, _, _ = configuration(tmp_path / "out" / "terraform")
    assert actual_grants(blocks, "api") == {(role, "project")}
    assert actual_grants(blocks, "other") == set()
    resolved = resolve(load_spec(plan))
    for account, kind, component, fields, edges in identities(resolved):
        assert actual_grants(blocks, account) == expected_grants(resolved, blocks, kind, component, fields, edges)


def test_a_bigquery_reader_gets_data_viewer_and_the_dataset_its_location(tmp_path):
    """A reader of a dataset was given roles/bigquery.dataEditor (it may then change and delete tables), and the
    dataset was created in the plan's region whatever its `location` (priced in the EU multi-region, created
    in europe-west3): found by the trial."""
    from tests.generate.conftest import generate
    from tests.generate.test_provider_schema import blocks_of

    plan = tmp_path / "bq.yaml"
    plan.write_text("""\
project: {name: bq, region: europe-west3}
components:
  loader: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 900, requests_per_month: 1000,
           depends_on: [{name: warehouse, access: write}, {name: local, access: read-write}]}
  report: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 90, requests_per_month: 1000,
           depends_on: [{name: warehouse, access: read}]}
  warehouse: {kind: bigquery, location: eu, active_storage_gb: 10, query_tib_per_month: 1}
  local: {kind: bigquery, active_storage_gb: 10, query_tib_per_month: 1}
""")
    code, _, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    blocks, _, _ = configuration(tmp_path / "out" / "terraform")
    assert actual_grants(blocks, "report") == {("roles/bigquery.dataViewer", "google_bigquery_dataset.warehouse"),
                                               ("roles/bigquery.jobUser", "project")}
    assert ("roles/bigquery.dataEditor", "google_bigquery_dataset.warehouse") in actual_grants(blocks, "loader")
    locations = {name: body["location"] for _s, type_name, name, body in blocks_of(tmp_path / "out" / "terraform" /
                                                                                 "bigquery.tf")}
    assert locations == {"warehouse": '"EU"', "local": "${var.region}"}
