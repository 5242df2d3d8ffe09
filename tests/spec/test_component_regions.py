"""A component may name its own region; the spec refuses regions archplan does not price, regions on global
kinds, and cross-region replicas in the primary's own region."""
import pytest

from archplan import catalog
from archplan.errors import SpecError
from archplan.plan import resolve
from archplan.spec.load import load_spec

PLAN = """\
project: {name: events, region: asia-south1}
components:
  api-delhi:
    kind: cloud_run
    region: %s
    cpu: 1
    memory: 512Mi
    request_duration_ms: 100
    requests_per_month: 1000
  db:
    kind: cloud_sql
    engine: postgres
    tier: db-custom-2-7680
    storage_gb: 20
    cross_region_replicas: [{region: %s}]
"""


def _load(tmp_path, text):
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return load_spec(path, None, catalog.supported_regions())


def test_component_region_is_used_and_defaults_to_the_project(tmp_path):
    plan = resolve(_load(tmp_path, PLAN % ("asia-south2", "asia-south2")))
    regions = {c.name: c.region for c in plan.components}
    assert regions == {"api-delhi": "asia-south2", "db": "asia-south1"}


def test_unknown_component_region_names_line_key_and_nearest(tmp_path):
    with pytest.raises(SpecError) as caught:
        _load(tmp_path, PLAN % ("asia-south3", "asia-south2"))
    text = str(caught.value)
    assert ":5:" in text and "components.api-delhi.region" in text and "asia-south2" in text


def test_replica_in_the_primary_region_is_refused(tmp_path):
    with pytest.raises(SpecError) as caught:
        _load(tmp_path, PLAN % ("asia-south2", "asia-south1"))
    assert "components.db.cross_region_replicas[0].region" in str(caught.value)


def test_global_kind_has_no_region(tmp_path):
    text = PLAN % ("asia-south2", "asia-south2") + "  dns: {kind: cloud_dns, region: asia-south2}\n"
    with pytest.raises(SpecError) as caught:
        _load(tmp_path, text)
    assert "global service" in str(caught.value)


def test_region_flag_moves_components_in_the_plan_region_only(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN % ("asia-south2", "asia-south2"), encoding="utf-8")
    plan = resolve(load_spec(path, None, catalog.supported_regions(), region="europe-west1"))
    assert {c.name: c.region for c in plan.components} == {"api-delhi": "asia-south2", "db": "europe-west1"}


def test_bigquery_and_cloud_storage_locations_take_the_capitals_those_services_write(tmp_path):
    """BigQuery's docs and Cloud Storage's API write US, EU, EUROPE-WEST3; `location: EU` was 'unknown location
    'EU'; a region or one of: eu, us' (found by the trial). Either case is the same location."""
    path = tmp_path / "plan.yaml"
    path.write_text("""\
project: {name: loc, region: europe-west3}
components:
  warehouse: {kind: bigquery, location: EU, active_storage_gb: 10, query_tib_per_month: 1}
  inbox: {kind: cloud_storage, location_type: dual-region, location: EU,
          data_locations: [EUROPE-WEST3, EUROPE-WEST1], storage_gb: 10}
""")
    spec = load_spec(path, None, catalog.supported_regions())
    assert spec.components["warehouse"].location == "eu"
    assert (spec.components["inbox"].location, spec.components["inbox"].data_locations) == (
        "eu", ["europe-west3", "europe-west1"])
    lower = tmp_path / "lower.yaml"
    lower.write_text(path.read_text().lower())
    from archplan.analysis.cost import cost_report

    assert cost_report(resolve(spec)).total_usd == cost_report(resolve(load_spec(lower))).total_usd


def test_an_api_gateway_outside_its_ten_regions_is_one_line_naming_them(tmp_path):
    """API Gateway deploys gateways in ten regions only (its deployment-model page); its calls are priced
    globally, so before, a plan in me-central1 priced, checked and generated a gateway its first apply refused."""
    import subprocess
    import sys

    from archplan import catalog

    offered = catalog.service("service_control").fact("api_gateway_regions").value
    assert len(offered) == 10 and "me-central1" not in offered and "europe-west2" in offered
    path = tmp_path / "plan.yaml"
    base = ("project: {name: g, region: me-central1}\ncomponents:\n"
            "  api: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 10, requests_per_month: 10}\n")
    path.write_text(base + "  gw: {kind: api_gateway, backend: api, calls_per_month: 10, depends_on: [api]}\n")
    for command in ("validate", "cost", "check"):
        result = subprocess.run([sys.executable, "-m", "archplan", command, str(path)], capture_output=True, text=True)
        (line,) = result.stderr.splitlines()  # one line, clipped to the terminal-friendly length if need be
        assert result.returncode == 1 and line.startswith(
            f"error: {path}:4: components.gw.kind: api_gateway is not offered in me-central1; set its region to one "
            f"of {', '.join(offered)}"[:len(line) - 3]), command
    path.write_text(base + "  gw: {kind: api_gateway, region: europe-west2, backend: api, calls_per_month: 10, "
                           "depends_on: [api]}\n")
    assert subprocess.run([sys.executable, "-m", "archplan", "validate", str(path)]).returncode == 0


def test_moving_a_plan_with_region_keeps_its_gateway_where_gateways_are_deployed(tmp_path):
    """`cost --region asia-south1` moves every component in the plan's region, but API Gateway is not deployed
    there: the gateway stays in us-central1, fronting the moved backends, and its line says so (its calls are
    priced globally, so the figure does not change)."""
    import json
    import subprocess
    import sys

    path = tmp_path / "plan.yaml"
    path.write_text("project: {name: g, region: us-central1}\ncomponents:\n"
                    "  api: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 10, requests_per_month: 10}\n"
                    "  gw: {kind: api_gateway, backend: api, calls_per_month: 3000000, depends_on: [api]}\n")
    result = subprocess.run([sys.executable, "-m", "archplan", "cost", str(path), "--region", "asia-south1",
                             "--format", "json"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    (line,) = [i for c in json.loads(result.stdout)["components"] if c["name"] == "gw" for i in c["line_items"]]
    assert line["description"].endswith("; the gateway is in us-central1 (API Gateway is not offered in asia-south1)")
