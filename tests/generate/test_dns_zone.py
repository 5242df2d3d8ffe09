"""Cloud DNS: the zone is what the load balancers' domains share, and each record is named relative to the
zone's variable. The zone was the first domain's last two labels (api.example.co.uk gave co.uk), records
outside it were written (Cloud DNS refuses a name outside the zone), and records kept the plan's names when
the zone's variable was overridden."""
import re

import pytest

from archplan.generate.terraform.cloud_dns import zone_domain
from tests.generate.conftest import generate

HEAD = ("project: {name: d, region: us-central1}\n"
        "traffic: {requests_per_month: 1000, avg_request_kib: 1, avg_response_kib: 4}\n"
        "components:\n"
        "  api: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 100, "
        "ingress: internal-and-cloud-load-balancing}\n"
        "  dns: {kind: cloud_dns, queries_per_month: 100000}\n")


@pytest.mark.parametrize("domains, zone", [
    (["api.example.com"], "example.com"),
    (["example.com"], "example.com"),
    (["api.example.co.uk", "www.example.co.uk"], "example.co.uk"),
    (["api.example.org", "example.org"], "example.org"),
    (["api.example.org", "www.example.net"], None),
    ([], None),
])
def test_the_zone_is_what_the_domains_share(domains, zone):
    assert zone_domain(domains) == zone


def test_records_are_made_inside_the_zone_only_and_follow_its_variable(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(HEAD + "  lb: {kind: load_balancer, domains: [api.example.org, www.example.net, example.org], "
                           "depends_on: [api]}\n")
    code, out, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    dns = (tmp_path / "out" / "terraform" / "dns.tf").read_text()
    names = re.findall(r'^\s+name\s+= "(.*)"$', dns, re.M)
    assert names == ["${var.prefix}-dns", "api.${var.dns_domain}.", "${var.dns_domain}."]
    assert "example.net" not in dns
    assert ("warning: dns: the load balancers' domains share no zone; the zone is example.org (the first domain's), "
            "and no record is made for www.example.net: a Cloud DNS zone holds names inside it only, so create "
            "their zones (or records at their DNS host) by hand") in out.splitlines()
