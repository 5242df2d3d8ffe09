"""Property: for any plan of Cloud Run services spread over regions with a database replicated to others,
every service and replica is written in its own region, the plan's region stays `var.region`, every subnet
a service uses exists, and every runbook command is shell words naming resources the Terraform creates."""
import re
import shlex

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archplan import catalog
from archplan.generate.command import build, selected_targets
from archplan.generate.context import Context
from archplan.plan import resolve
from archplan.spec.load import load_spec

REGIONS = ("asia-south1", "asia-south2", "us-central1", "europe-west3")


@st.composite
def plans(draw):
    home = draw(st.sampled_from(REGIONS))
    services = draw(st.lists(st.tuples(st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True),
                                       st.sampled_from(REGIONS), st.booleans()),
                             min_size=1, max_size=4, unique_by=lambda s: s[0]))
    replicas = draw(st.lists(st.sampled_from([r for r in REGIONS if r != home]), max_size=2))
    components = {}
    for name, region, private in services:
        component = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 50,
                     "requests_per_month": 1000, "depends_on": [{"name": "db", "protocol": "Postgres"}]}
        if region != home:
            component["region"] = region
        if private:
            component["vpc_egress"] = "private-ranges-only"
        components[f"svc-{name}"] = component
    components["db"] = {"kind": "cloud_sql", "engine": "postgres", "version": "17", "tier": "db-custom-1-3840",
                        "storage_gb": 20, "private_ip": True, "backups": {"pitr": True},
                        "cross_region_replicas": [{"region": r} for r in replicas]}
    return {"project": {"name": "prop", "region": home}, "components": components}


def files_of(tmp_path, document):
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    ctx = Context(resolve(load_spec(path, None, catalog.supported_regions())))
    return {p: text for p, (_target, text) in build(ctx, selected_targets(None, ctx)).items()}


def blocks_of(text: str, type_: str) -> dict[str, str]:
    found = {}
    for match in re.finditer(rf'^resource "{type_}" "([a-z0-9_]+)" {{\n(.*?)^}}', text, re.S | re.M):
        found[match.group(1)] = match.group(2)
    return found


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(plans())
def test_every_resource_in_its_region_and_runbooks_name_real_resources(tmp_path, document):
    files = files_of(tmp_path, document)
    home = document["project"]["region"]
    run = blocks_of(files["terraform/cloud_run.tf"], "google_cloud_run_v2_service")
    subnets = blocks_of(files.get("terraform/network.tf", ""), "google_compute_subnetwork")
    for name, component in document["components"].items():
        if component["kind"] != "cloud_run":
            continue
        body = run[name.replace("-", "_")]
        region = component.get("region", home)
        expected = "var.region" if region == home else f'"{region}"'
        assert re.search(rf"^  location\s+= {re.escape(expected)}$", body, re.M), (name, body[:300])
        subnet = re.search(r"subnetwork = google_compute_subnetwork\.([a-z0-9_]+)\.id", body)
        if subnet:
            assert subnet.group(1) in subnets
            assert subnet.group(1) == ("main" if region == home else region.replace("-", "_"))
    sql = files["terraform/cloud_sql.tf"]
    replicas = document["components"]["db"]["cross_region_replicas"]
    instances = blocks_of(sql, "google_sql_database_instance")
    assert len(instances) == 1 + len(replicas)
    for body in instances.values():
        if "master_instance_name" in body:
            assert re.search(r'^  region\s+= "([a-z0-9-]+)"$', body, re.M).group(1) in [r["region"] for r in replicas]
    spans = len({c.get("region", home) for c in document["components"].values()} | {r["region"] for r in replicas}) > 1
    assert ("runbooks/region-outage.md" in files) == spans
    for path, text in files.items():
        if not path.startswith("runbooks/"):
            continue
        inside = False
        for line in text.splitlines():
            stripped = line.strip()
            if stripped == "```sh":
                inside = True
            elif stripped == "```":
                inside = False
            elif inside:
                words = shlex.split(stripped)
                if words[:4] == ["gcloud", "sql", "instances", "promote-replica"]:
                    # The replica promoted is one the Terraform creates: <prefix>-db-<region>[-n].
                    suffix = words[4].removeprefix("prop-")
                    assert f'"${{var.prefix}}-{suffix}"' in sql
