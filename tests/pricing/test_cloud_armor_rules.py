"""Cloud Armor: the rules `cost` charges are the rules `generate` writes (components/cloud_armor.policy_rules
is the one list), by hand: $5 a policy and $1 a rule a month (Standard tier, us-central1)."""
import subprocess
import sys

import hcl2
import pytest
import yaml

from archplan import catalog
from archplan.analysis.cost import cost_report
from archplan.plan import resolve
from archplan.spec.load import load_spec
from tests.conftest import close, items

PLAN = {
    "project": {"name": "shop", "region": "us-central1"},
    "traffic": {"requests_per_month": 1_000_000, "avg_request_kib": 1, "avg_response_kib": 10},
    "components": {
        "lb": {"kind": "load_balancer", "forwarding_rules": 1, "depends_on": [{"name": "api", "protocol": "HTTPS"}]},
        "api": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 100, "traffic_share": 1,
                "ingress": "internal-and-cloud-load-balancing"},
    },
}


def _armor_plan(tmp_path, armor: dict):
    plan = yaml.safe_load(yaml.safe_dump(PLAN))
    plan["components"]["armor"] = {"kind": "cloud_armor", "load_balancer": "lb", "requests_per_month": 0, **armor}
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(plan, sort_keys=False))
    return path


def _generated_rules(tmp_path, path) -> tuple[int, str]:
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "archplan", "generate", str(path), "--target", "terraform",
                             "-o", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    text = (out / "terraform" / "cloud_armor.tf").read_text()
    resource = hcl2.loads(text)["resource"][0]
    policy = next(iter(resource[next(k for k in resource if k.strip('"') == "google_compute_security_policy")].values()))
    return len(policy["rule"]), text


@pytest.mark.parametrize("armor, written, names", [
    # No WAF sets named: archplan's SQLi and XSS baseline, the CVE canary, the default rule.
    ({}, 4, ["sqli-v33-stable", "xss-v33-stable", "cve-canary", "default"]),
    ({"baseline_waf": False, "cve_canary": False}, 1, ["default"]),
    ({"rate_limit_per_minute": 100, "allowed_countries": ["in", "sg"], "waf_rules": ["sqli", "xss", "lfi"]}, 7,
     ["countries", "rate-ban", "sqli-v33-stable", "xss-v33-stable", "lfi-v33-stable", "cve-canary", "default"]),
    ({"waf_rules": ["sqli", "cve-canary"]}, 3, ["sqli-v33-stable", "cve-canary", "default"]),
])
def test_rules_priced_are_the_rules_generated(tmp_path, armor, written, names):
    from archplan.components.cloud_armor import policy_rules

    path = _armor_plan(tmp_path, armor)
    spec = load_spec(path, None, catalog.supported_regions())
    assert [r.name for r in policy_rules(spec.components["armor"])] == names
    assert spec.warnings == []
    got = items(cost_report(resolve(spec)))
    assert close(got["policy"], 1 * 5)
    assert close(got["rule"], written * 1)  # $1 a rule a month
    assert _generated_rules(tmp_path, path)[0] == written


def test_rules_of_the_plans_own_are_priced_and_left_to_add(tmp_path):
    path = _armor_plan(tmp_path, {"rules": 6, "rate_limit_per_minute": 100, "waf_rules": ["sqli"]})
    report = cost_report(resolve(load_spec(path, None, catalog.supported_regions())))
    rule = next(i for i in report.line_items if i.sku == "rule")
    assert rule.quantity == 6 and "4 archplan writes, 2 of your own" in rule.description  # rate, sqli, canary, default
    assert close(rule.monthly_usd, 6 * 1)
    count, text = _generated_rules(tmp_path, path)
    assert count == 4 and "The plan counts 6 rules (all priced): the 4 below and 2 of its own to add here." in text


def test_fewer_rules_than_archplan_writes_is_a_warning_and_the_written_ones_are_priced(tmp_path):
    path = _armor_plan(tmp_path, {"rules": 2, "waf_rules": ["sqli", "xss"]})
    spec = load_spec(path, None, catalog.supported_regions())
    assert len(spec.warnings) == 1 and "2 rules, but the policy archplan writes for these settings has 4 " \
        "(sqli-v33-stable, xss-v33-stable, cve-canary, default): 4 are priced" in spec.warnings[0]
    assert close(items(cost_report(resolve(spec)))["rule"], 4 * 1)
    assert _generated_rules(tmp_path, path)[0] == 4
