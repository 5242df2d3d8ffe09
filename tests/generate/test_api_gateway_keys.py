"""A gateway whose OpenAPI document requires an API key must have its API's managed service enabled in the
project, or API Gateway refuses every key (https://cloud.google.com/api-gateway/docs/authenticate-api-keys);
found by a review: the document asked for a key, but the service was never enabled and no key could be had."""
from tests.generate.conftest import generate_text
from tests.generate.test_apply_order import configuration
from tests.generate.test_provider_schema import folder_violations

PLAN = """project: {{name: partners, region: us-central1}}
components:
  api: {{kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50, requests_per_month: 1000}}
  gateway:
    kind: api_gateway
    backend: api
    calls_per_month: 100000
    api_key_required: {keys}
    routes: [{{path: /v1/orders, methods: [GET]}}]
    depends_on: [api]
"""


def generated(tmp_path, keys: bool):
    return generate_text(tmp_path, PLAN.format(keys=str(keys).lower()))


def test_a_key_checked_gateway_enables_its_managed_service_and_has_a_key_restricted_to_it(tmp_path):
    out = generated(tmp_path, True)
    blocks, services, _ = configuration(out / "terraform")
    enabled = blocks["google_project_service.gateway_managed_service"]
    assert enabled["service"] == "${google_api_gateway_api.gateway.managed_service}"
    # after the config: the managed service's first rollout (the API resource itself comes before it)
    assert "${google_api_gateway_api_config.gateway}" in enabled["depends_on"]
    key = blocks["google_apikeys_key.gateway"]
    assert key["name"] == '"${var.prefix}-gateway"'
    assert key["restrictions"][0]["api_targets"][0]["service"] == "${google_api_gateway_api.gateway.managed_service}"
    assert "${google_project_service.gateway_managed_service}" in key["depends_on"]
    assert "apikeys.googleapis.com" in services
    outputs = (out / "terraform" / "outputs.tf").read_text()
    assert "key_string" not in outputs  # the key itself is read with gcloud, never put in an output
    assert "output \"gateway_managed_service\"" in outputs
    readme = (out / "README.md").read_text()
    assert "`gcloud services api-keys get-key-string partners-gateway --project=partners`" in readme
    problems = folder_violations(out / "terraform")  # the google-beta resources are not in its schema
    assert all("google_api_gateway_" in problem for problem in problems), problems


def test_a_gateway_without_keys_enables_nothing_more(tmp_path):
    out = generated(tmp_path, False)
    blocks, services, _ = configuration(out / "terraform")
    assert not [address for address in blocks if address.startswith(("google_apikeys_key.",
                                                                      "google_project_service.gateway"))]
    assert "apikeys.googleapis.com" not in services
    assert "api-keys" not in (out / "README.md").read_text()
