"""The output's README: every value the user supplies (sensitive variables, variables without a default)
with its command, the `cost` total, the apply order with real paths, and a rollback per workload."""
import re

import pytest

from archplan.analysis.cost import cost_report
from archplan.plan import resolve
from archplan.render.numbers import money
from archplan.spec.load import load_spec
from tests.conftest import EXAMPLES
from tests.generate.conftest import EXAMPLE_NAMES


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_readme_says_what_to_supply_run_and_pay(generated, example):
    readme = (generated / example / "README.md").read_text()
    variables = (generated / example / "terraform" / "variables.tf").read_text()
    for block in re.findall(r'variable "(\w+)" \{(.*?)\n\}', variables, re.S):
        name, body = block
        if "sensitive" in body:
            assert f"export TF_VAR_{name}=" in readme, f"{example}: {name} is not in the README"
        elif "default" not in body:
            assert f"`{name}`" in readme, f"{example}: {name} has no default and the README does not say so"
    report = cost_report(resolve(load_spec(EXAMPLES / f"{example}.yaml")))
    assert money(report.total_usd, report.currency, report.rate) + " a month" in readme
    for folder in re.findall(r"kubectl apply -f (\S+)/", readme):
        assert (generated / example / folder).is_dir()
    for config in re.findall(r"--config=(\S+)", readme):
        assert (generated / example / config).is_file(), f"{example}: {config}"
    assert "terraform init -backend-config=bucket=" in readme and "## Rolling back a release" in readme


LB_PLAN = """project: {{name: web, region: europe-west1}}
traffic: {{requests_per_month: 1000000, avg_request_kib: 1, avg_response_kib: 10}}
components:
  lb: {{kind: load_balancer{domains}, depends_on: [api]}}
  api: {{kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50}}
{zone}"""


def _readme(tmp_path, domains="", zone=""):
    from archplan.generate.command import build, selected_targets
    from archplan.generate.context import Context

    path = tmp_path / "plan.yaml"
    path.write_text(LB_PLAN.format(domains=domains, zone=zone))
    ctx = Context(resolve(load_spec(path)))
    return build(ctx, selected_targets(None, ctx))["README.md"][1]


def test_dns_is_asked_for_only_when_the_plan_has_domains(tmp_path):
    # found by the trial (dr.yaml, no domains): "After the apply: A records for the domains pointing at ..."
    assert "After the apply" not in _readme(tmp_path) and "A records" not in _readme(tmp_path)
    assert "3. After the apply: point the A records of `www.example.com`, `example.com` at the `lb_ip` output; " \
           "each managed certificate becomes active once its domains resolve.\n" in \
        _readme(tmp_path, ", domains: [www.example.com, example.com]")
    zoned = _readme(tmp_path, ", domains: [www.example.com]", "  dns: {kind: cloud_dns, queries_per_month: 1000}\n")
    assert "After the apply: set the name servers of the `dns_name_servers` output at your registrar; each " \
           "managed certificate becomes active once its domains resolve." in zoned


AUD_PLAN = """project: {name: web, region: australia-southeast1, currency: AUD}
traffic: {requests_per_month: 1000000, avg_request_kib: 1, avg_response_kib: 10}
components:
  api: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50, min_instances: 1}
"""


def test_readme_total_is_the_cost_commands_total_in_the_plans_currency(tmp_path):
    """An AUD plan's README said 'AUD 167,256.10' for a total `cost` shows as AUD 2,467.21: the USD total at
    the INR rate, labelled AUD."""
    import subprocess
    import sys

    plan = tmp_path / "plan.yaml"
    plan.write_text(AUD_PLAN)
    cost = subprocess.run([sys.executable, "-m", "archplan", "cost", str(plan)], capture_output=True, text=True,
                          check=True).stdout
    total = re.search(r"^Total per month\s+(AUD [\d,.]+)\s", cost, re.M).group(1)
    subprocess.run([sys.executable, "-m", "archplan", "generate", str(plan), "-o", str(tmp_path / "out")],
                   capture_output=True, check=True)
    assert f"{total} a month: the total of `archplan cost" in (tmp_path / "out" / "README.md").read_text()


CREATED_PLAN = """project: {name: orders, region: us-east1, gcp_project_id: acme-orders}
traffic: {daily_active_users: 1000, requests_per_user_per_day: 10}
components:
  api: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 100, depends_on: [store, tasks]}
  mailer: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 100, ingress: internal}
  tasks:
    kind: cloud_tasks
    queues: [{name: send-mail, target: mailer, max_dispatches_per_second: 10, max_attempts: 5}]
    tasks_per_month: 1000
  cron:
    kind: cloud_scheduler
    jobs:
      - {name: nightly-digest, schedule: "0 2 * * *", target: mailer}
      - {name: hourly_cleanup, schedule: "0 * * * *", target: api}
  uploads: {kind: cloud_storage, location_type: region, storage_gb: 10}
  on-upload:
    kind: eventarc
    triggers:
      - {name: thumbnail, event_type: google.cloud.storage.object.v1.finalized, bucket: uploads,
         destination: mailer, events_per_month: 1000}
  store: {kind: firestore, stored_gb: 1, reads_per_month: 1000, writes_per_month: 1000}
  reports: {kind: firestore, edition: enterprise, stored_gb: 1, reads_per_month: 1000, writes_per_month: 1000,
    avg_document_kib: 1}
"""


def created_table(readme: str) -> dict[str, list[str]]:
    section = readme.split("## What is created", 1)[1].split("\n\n", 2)[1]
    rows = [line.split(" | ") for line in section.splitlines()[2:]]
    return {row[0].strip("| "): re.findall(r"`([^`]+)`", row[2]) for row in rows}


def terraform_names(folder) -> set[str]:
    """Every literal a resource is named with, ${var.prefix} and the like filled in."""
    text = "\n".join(path.read_text() for path in (folder / "terraform").glob("*.tf"))
    prefix = re.search(r'variable "prefix" \{.*?default\s+= "([^"]+)"', text, re.S).group(1)
    project = re.search(r'variable "project_id" \{.*?default\s+= "([^"]+)"', text, re.S).group(1)
    text = text.replace("${local.bucket_prefix}", f"{project}-{prefix}" if prefix != project else project)
    text = text.replace("${var.prefix}", prefix).replace("${var.project_id}", project)
    names = set(re.findall(r'^\s*(?:name|dataset_id|service_name|bucket_id|secret_id|repository_id)\s+= '
                           r'"([^"$]+)"', text, re.M))
    # a name Terraform cuts to a length (a VPC connector's)
    return names | {name[:int(length)].removesuffix("-") for name, length in
                    re.findall(r'= trimsuffix\(substr\("([^"$]+)", 0, (\d+)\), "-"\)', text)}


def test_what_is_created_names_what_the_terraform_creates(tmp_path):
    """Firestore was listed as <prefix>-store where its database is (default), a Cloud Tasks component's queues
    and a Cloud Scheduler component's jobs by the component's name instead of theirs."""
    from tests.generate.conftest import generate_text

    out = generate_text(tmp_path, CREATED_PLAN)
    table = created_table((out / "README.md").read_text())
    assert table["store"] == ["(default)"] and table["reports"] == ["orders-reports"]
    assert table["tasks"] == ["orders-send-mail"]
    assert table["cron"] == ["orders-nightly-digest", "orders-hourly_cleanup"]
    assert table["on-upload"] == ["orders-thumbnail"]
    created = terraform_names(out)
    for component, names in table.items():
        assert set(names) <= created, (component, names)


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_every_example_table_names_only_what_its_terraform_creates(generated, example):
    created = terraform_names(generated / example)
    for component, names in created_table((generated / example / "README.md").read_text()).items():
        assert set(names) <= created, (component, names)


def test_the_readme_reaches_a_gke_control_plane_as_the_pipelines_do(generated, tmp_path):
    """Every generated cluster admits only var.gke_master_authorized_networks (none by default) at its IP
    endpoint; the pipelines reached it through its DNS endpoint, but the README's get-credentials took the IP
    one, so the README's kubectl apply could not reach the cluster."""
    import yaml

    from tests.generate.conftest import generate_text

    zonal = generate_text(tmp_path, "project: {name: shop, region: europe-west4}\n"
                                    "traffic: {daily_active_users: 100, requests_per_user_per_day: 10}\n"
                                    "components:\n  apps:\n    kind: gke\n    mode: standard\n"
                                    "    location_type: zonal\n    private_nodes: true\n"
                                    "    node_pools: [{name: main, machine_type: e2-standard-4, nodes: 1}]\n"
                                    "    deployments: [{name: api, replicas: 1, cpu: 250m, memory: 256Mi}]\n")
    assert "gcloud container clusters get-credentials shop-apps --location=europe-west4-a --project=shop " \
           "--dns-endpoint\n" in (zonal / "README.md").read_text()
    for folder in (zonal, generated / "drivopay"):
        readme = (folder / "README.md").read_text()
        asked = re.findall(r"^gcloud container clusters get-credentials (\S+) --location=(\S+) .*$", readme, re.M)
        assert asked and all(line.endswith(" --dns-endpoint") for line in re.findall(
            r"^gcloud container clusters get-credentials .*$", readme, re.M))
        for path in (folder / "cloudbuild").glob("*.yaml"):
            pipeline = yaml.safe_load(path.read_text())
            scripts = [step["args"][-1] for step in pipeline["steps"] if "get-credentials" in str(step["args"])]
            assert scripts and all("--dns-endpoint" in script for script in scripts)
            cluster = (pipeline["substitutions"]["_CLUSTER"], pipeline["substitutions"]["_LOCATION"])
            assert cluster in asked, f"{path.name}: the README does not fetch credentials for {cluster}"
