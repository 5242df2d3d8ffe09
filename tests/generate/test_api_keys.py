"""An API whose OpenAPI document requires an API key must have its managed service enabled in the project,
or Service Control refuses every key (https://cloud.google.com/api-gateway/docs/authenticate-api-keys); found
by a review for API Gateway (the document asked for a key, but the service was never enabled and no key could
be had), and again for Cloud Endpoints, which had been left out."""
import pytest

from tests.generate.conftest import generate_text
from tests.generate.test_apply_order import configuration
from tests.generate.test_provider_schema import folder_violations

PLAN = """project: {{name: partners, region: us-central1}}
components:
  api: {{kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50, requests_per_month: 1000}}
  {name}:
    kind: {kind}
    {backend}calls_per_month: 100000
    api_key_required: {keys}
    routes: [{{path: /v1/orders, methods: [GET]}}]
"""
# kind -> (component name, its lines naming the backend, the managed service, what enables it after, its output)
KINDS = {
    "api_gateway": ("gateway", "backend: api\n    depends_on: [api]\n    ",
                    "${google_api_gateway_api.gateway.managed_service}", "${google_api_gateway_api_config.gateway}",
                    "gateway_managed_service"),
    "cloud_endpoints": ("endpoints", "", "${google_endpoints_service.endpoints.service_name}", None,
                        "endpoints_service_name"),
}


def generated(tmp_path, kind: str, keys: bool):
    name, backend, *_ = KINDS[kind]
    return generate_text(tmp_path, PLAN.format(name=name, kind=kind, backend=backend, keys=str(keys).lower()))


@pytest.mark.parametrize("kind", KINDS)
def test_a_key_checked_api_enables_its_managed_service_and_has_a_key_restricted_to_it(tmp_path, kind):
    name, _backend, managed_service, first_rollout, service_output = KINDS[kind]
    out = generated(tmp_path, kind, True)
    blocks, services, _ = configuration(out / "terraform")
    enabled = blocks[f"google_project_service.{name}_managed_service"]
    assert enabled["service"] == managed_service
    if first_rollout:  # after the config: the managed service's first rollout (the API itself comes before it)
        assert first_rollout in enabled["depends_on"]
    key = blocks[f"google_apikeys_key.{name}"]
    assert key["name"] == f'"${{var.prefix}}-{name}"'
    assert key["restrictions"][0]["api_targets"][0]["service"] == managed_service
    assert f"${{google_project_service.{name}_managed_service}}" in key["depends_on"]
    assert "apikeys.googleapis.com" in services
    outputs = (out / "terraform" / "outputs.tf").read_text()
    assert "key_string" not in outputs  # the key itself is read with gcloud, never put in an output
    assert f'output "{service_output}"' in outputs and f'output "{name}_api_key_name"' in outputs
    readme = (out / "README.md").read_text()
    assert f"`gcloud services api-keys get-key-string partners-{name} --project=partners`" in readme
    assert f"SERVICE being the `{service_output}` output" in readme
    problems = folder_violations(out / "terraform")  # the google-beta resources are not in its schema
    assert all("google_api_gateway_" in problem for problem in problems), problems


@pytest.mark.parametrize("kind", KINDS)
def test_an_api_without_keys_enables_nothing_more(tmp_path, kind):
    name = KINDS[kind][0]
    out = generated(tmp_path, kind, False)
    blocks, services, _ = configuration(out / "terraform")
    assert not [address for address in blocks if address.startswith(("google_apikeys_key.",
                                                                      f"google_project_service.{name}"))]
    assert "apikeys.googleapis.com" not in services
    assert "api-keys" not in (out / "README.md").read_text()
