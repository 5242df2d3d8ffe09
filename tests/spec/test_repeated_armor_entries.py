"""A WAF set or country named twice would be written twice into the Cloud Armor policy (two rules with one
meaning, each priced): the plan is refused on the line of the list (found by `make fuzz`, seed 1 input 8026,
a mutation of drivopay that repeated its waf_rules)."""
import pytest

from archplan.errors import SpecError
from archplan.spec.load import load_spec

PLAN = """project: {name: x, region: us-central1}
traffic: {requests_per_month: 1000000, avg_response_kib: 10}
components:
  lb: {kind: load_balancer, depends_on: [armor]}
  armor: {kind: cloud_armor, load_balancer: lb, depends_on: [web], %s}
  web: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 100}
"""


@pytest.mark.parametrize("field, entries, repeated", [
    ("waf_rules", "[sqli-v33-stable, xss-v33-stable, sqli-v33-stable]", "sqli-v33-stable"),
    ("allowed_countries", "[IN, US, IN]", "IN"),
])
def test_a_repeated_entry_is_one_line_naming_it(tmp_path, field, entries, repeated):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN % f"{field}: {entries}")
    with pytest.raises(SpecError) as caught:
        load_spec(str(path))
    assert str(caught.value) == f"{path}:5: components.armor.{field}: {field} names {repeated!r} twice"


def test_distinct_entries_load(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN % "waf_rules: [sqli-v33-stable, xss-v33-stable], allowed_countries: [IN, US]")
    assert load_spec(str(path)).components["armor"].waf_rules == ["sqli-v33-stable", "xss-v33-stable"]
