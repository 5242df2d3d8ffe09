"""A missing required key says what the key is and, for a choice, the values it takes: the line alone is
enough to fix the plan (found writing tests/trial plans: `cdn.destination` and `nat.vms` said only
"required key is missing")."""
import pytest

from archplan.errors import SpecError
from archplan.spec.load import load_spec

PLAN = """project: {name: x, region: us-central1}
traffic: {requests_per_month: 1000000, avg_response_kib: 10}
components:
  lb: {kind: load_balancer}
  %s
"""


@pytest.mark.parametrize("component, expected", [
    ("cdn: {kind: cloud_cdn, load_balancer: lb, cache_hit_ratio: 0.9}",
     "components.cdn.destination: required key is missing: where most viewers are (CDN egress is priced by "
     "destination); one of asia_pacific, north_america, europe, south_america, oceania"),
    ("nat: {kind: cloud_nat, data_processed_gb_per_month: 5}",
     "components.nat.vms: required key is missing: VMs or GKE nodes using each gateway"),
])
def test_missing_key_names_its_meaning_and_values(tmp_path, component, expected):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN % component)
    with pytest.raises(SpecError) as caught:
        load_spec(str(path))
    assert str(caught.value) == f"{path}:5: {expected}"
