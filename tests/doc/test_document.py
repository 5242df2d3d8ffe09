"""The architecture document: golden Markdown for the examples; every component and edge in both the
Markdown and the HTML; the HTML parses, is self-contained and carries the figures the analyses compute;
availability, capacity and findings come from `archplan check` (or a line says they could not);
`archplan doc` writes its folder atomically."""
from __future__ import annotations

import os
import sys
from decimal import Decimal

import pytest

from archplan.analysis.cost import cost_report
from archplan.check import run_checks
from archplan.cli import main
from archplan.doc import command, content
from archplan.errors import UsageError
from archplan.plan import resolve
from archplan.render import cost_view
from archplan.render.numbers import inr, usd
from tests.conftest import ROOT
from tests.doc.helpers import ALL, SEEDS, depends_on_edges, example_spec, external_references, parse_html, spec_from

GOLDEN = ROOT / "tests" / "golden" / "doc"
SIMULATED = ("load", "instances", "latency", "rejections")
SITE_FILES = sorted(["architecture.dot", "architecture.md", "architecture.mmd", "architecture.svg",
                     "chart-availability.svg", "chart-cost-by-category.svg", "chart-cost-by-component.svg",
                     "index.html", "scale.svg"]  # scale.svg: plans that state users (the Growth section; PNG: --png)
                    + [f"simulate-{what}.svg" for what in SIMULATED])  # the Simulated day's pictures (PNG: --png)


@pytest.fixture(scope="module")
def sites():
    """name -> {file name: bytes} for every example, built once."""
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        return {name: command.build_site(example_spec(name)) for name in ALL}
    finally:
        os.chdir(here)


def _markdown(sites, name) -> str:
    return sites[name]["architecture.md"].decode("utf-8")


def _html(sites, name) -> str:
    return sites[name]["index.html"].decode("utf-8")


@pytest.mark.parametrize("name", ALL)
def test_markdown_matches_golden(sites, name):
    rendered = _markdown(sites, name)
    golden = GOLDEN / f"{name}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8"), f"regenerate with UPDATE_GOLDEN=1 and review {golden}"


@pytest.mark.parametrize("name", ALL)
def test_every_component_and_edge_is_in_the_document(sites, name):
    spec = example_spec(name)
    markdown = _markdown(sites, name)
    page = _html(sites, name)
    for component in spec.components:
        assert f"| **{component}** |" in markdown  # the components table
        assert f"<td><strong>{component}</strong></td>" in page
    for source, target, protocol in depends_on_edges(spec):
        assert f"| {source} | {target} | {protocol or '-'} |" in markdown  # the connections table
        assert f"<td>{source}</td><td>{target}</td><td>{protocol or '-'}</td>" in page


@pytest.mark.parametrize("name", ALL)
def test_html_parses_and_references_nothing_outside(sites, name):
    page = parse_html(_html(sites, name))
    assert page.doctype and not page.problems, page.problems[:5]
    assert external_references(page) == []
    assert len(page.ids) == len(set(page.ids)), "duplicate ids"
    text = _html(sites, name)
    assert "@media print" in text and "@media (max-width" in text and 'name="viewport"' in text
    # The architecture diagram, the charts, and the Growth picture when the plan states users to scale.
    charts = text.count('<figure class="picture"><svg xmlns="http://www.w3.org/2000/svg" class="chart"')
    assert charts >= 2  # cost by category and by component; availability where check has it
    simulated = text.count("(also simulate-")  # the Simulated day's four pictures, where there is a service
    assert simulated in (0, 4)
    assert text.count("<svg") == 1 + charts + ('id="growth"' in text) + simulated and "<script" not in text


def test_the_reference_scan_finds_references():
    page = parse_html('<!DOCTYPE html><html><head><style>@import "x.css"; b{background:url(http://x/y.png)}'
                      '</style></head><body><img src="https://x/a.png"><a href="#ok">a</a>'
                      '<a href="other.html">b</a><svg><image xlink:href="/abs/icon.png"/></svg></body></html>')
    found = "\n".join(external_references(page))
    assert "https://x/a.png" in found and "other.html" in found and "/abs/icon.png" in found
    assert "@import" in found and "url(http://x/y.png)" in found and "#ok" not in found


@pytest.mark.parametrize("name", SEEDS)
def test_the_document_states_the_computed_figures(sites, name):
    spec = example_spec(name)
    plan = resolve(spec)
    report = cost_report(plan)
    markdown = _markdown(sites, name)
    page = _html(sites, name)
    total_usd, total_inr = usd(report.total_usd), inr(report.total_usd * report.usd_inr)
    for text in (markdown, page):
        assert total_usd in text and total_inr in text
    by_component = report.by_component()
    in_usd, in_inr = cost_view.shown(report, "USD"), cost_view.shown(report, "INR")
    for component, kind in report.component_order:  # the by-component table, both currencies
        assert f"| {component} | {kind} | {usd(in_usd.components[component])} | " \
               f"{inr(in_inr.components[component])} |" in markdown
        # as shown, each at most a cent from its own rounding, and together the total as shown
        assert abs(in_usd.components[component] - by_component[component]) < Decimal("0.01")
        assert abs(in_inr.components[component] - by_component[component] * report.usd_inr) < Decimal("0.01")
    assert sum(in_usd.components.values()) == in_usd.subtotal and usd(in_usd.total) == total_usd
    checked = run_checks(plan)
    assert f"**{checked.availability.composite_percent:.3f}%**" in markdown
    for finding in checked.findings:
        assert f"| {finding.severity} | {finding.id} | {finding.component or 'plan'}" in markdown
    if report.budget_usd is not None:
        assert f"{report.total_usd / report.budget_usd * 100:.1f}% used" in markdown


def test_cost_per_user_and_phases(sites):
    markdown = _markdown(sites, "event-platform")
    spec = example_spec("event-platform")
    report = cost_report(resolve(spec))
    per_dau = report.total_usd * report.usd_inr / spec.traffic.daily_active_users
    assert f"{inr(per_dau)} (" in markdown and "per daily active user a month" in markdown
    growth = cost_report(resolve(example_spec("event-platform", "growth")))
    assert "| **growth** |" in markdown and usd(growth.total_usd) in markdown
    assert "## Scaling phases" in _markdown(sites, "starter")
    assert "declares no other environments" in _markdown(sites, "starter")


def test_the_checklist_is_derived_from_the_plan(tmp_path):
    def plan(db: dict, service: dict, **project) -> str:
        document = {"project": {"name": "t", "region": "us-central1", **project},
                    "traffic": {"daily_active_users": 100, "requests_per_user_per_day": 10, "peak_to_average": 4,
                                "avg_request_kib": 1, "avg_response_kib": 4},
                    "components": {
                        "lb": {"kind": "load_balancer", "depends_on": [{"name": "api", "protocol": "HTTPS"}]},
                        "api": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 50,
                                "traffic_share": 1, "depends_on": [{"name": "db", "protocol": "Postgres"}], **service},
                        "db": {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-1-3840",
                               "storage_gb": 10, **db}}}
        spec = spec_from(document, tmp_path)
        _plan = resolve(spec)
        from archplan.doc.graph import build_graph

        document_model = content.build(_plan, build_graph(_plan), "plan.yaml")
        section = next(s for s in document_model.sections if s.key == "checklist")
        return "\n".join(f"{status}: {text}" for block in section.blocks if hasattr(block, "items")
                         and block.items and isinstance(block.items[0], tuple) for status, text in block.items)

    bare = plan({}, {})
    assert "todo: db: set private_ip" in bare
    assert "todo: db: turn on point-in-time recovery" in bare
    assert "todo: Put a Cloud Armor policy on lb" in bare
    assert "todo: Keep at least one instance warm (min_instances) on the request path" in bare
    assert "todo: Set health_check_path for startup, liveness and readiness probes: api" in bare
    assert "todo: Set project.monthly_budget" in bare
    assert "task: Load-test at the peak the plan is sized for: 0.046 requests a second (0.012 on average x 4)" in bare

    careful = plan({"private_ip": True, "backups": {"pitr": True}},
                   {"min_instances": 1, "health_check_path": "/healthz", "vpc_egress": "private-ranges-only",
                    "env": {"DB_PASSWORD": {"secret": "db-password"}}},
                   monthly_budget={"amount": 100, "currency": "USD"})
    assert "done: db: private IP only" in careful and "done: db: point-in-time recovery" in careful
    assert "done: Instances kept warm on the request path: api 1" in careful
    assert "done: Startup and liveness probes: api (/healthz)" in careful
    assert "task: Create a Cloud Billing budget of $100.00 a month with alerts at 50%, 75%, 90%" in careful
    assert "todo: Add a secret_manager component: workloads read db-password" in careful
    assert "vpc_egress" not in careful
    assert "task: Build and push the images of api to Artifact Registry" in careful


def test_the_checklist_deploys_functions_from_source(tmp_path):
    """A Cloud Function is deployed from a source archive (cloudbuild/<name>.yaml zips it), never an image: the
    checklist told the trial's docflow plan to build and push its functions' images."""
    document = {"project": {"name": "t", "region": "us-central1"},
                "components": {
                    "api": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 50,
                            "requests_per_month": 1000},
                    "intake": {"kind": "cloud_functions", "cpu": 1, "memory": "512Mi", "duration_ms": 50,
                               "invocations_per_month": 1000}}}
    _plan = resolve(spec_from(document, tmp_path))
    from archplan.doc.checklist import checklist
    from archplan.doc.graph import build_graph

    tasks = [item.text for item in checklist(_plan, build_graph(_plan)) if item.group == "Deployment steps"]
    assert "Build and push the images of api to Artifact Registry" in tasks
    assert "Upload and deploy the source of intake (its Cloud Build pipeline zips it to the function-sources " \
        "bucket)" in tasks
    assert not any("images of" in task and "intake" in task for task in tasks)


def test_without_check_the_document_says_so(monkeypatch):
    monkeypatch.setitem(sys.modules, "archplan.check", None)  # import archplan.check now fails
    spec = example_spec("starter")
    markdown = command.build_site(spec)["architecture.md"].decode("utf-8")
    assert "## Availability, capacity and findings" in markdown
    assert "Not computed: this build of archplan has no `check` analyses" in markdown
    assert "## Capacity" not in markdown and "## Cost" in markdown
    assert "## Growth" not in markdown  # scale uses check's capacity model


def test_check_sections_render_what_check_returns(sites):
    markdown = _markdown(sites, "drivopay")
    plan = resolve(example_spec("drivopay"))
    checked = run_checks(plan)
    assert "## Availability and downtime" in markdown and "### Recovery (RTO and RPO)" in markdown
    assert f"| Target (SLO) | {checked.availability.slo_percent:g}%:" in markdown.replace("**", "")
    if checked.capacity.services:
        assert "### Services at peak" in markdown
        for service in checked.capacity.services:
            assert f"| {service.name} | {service.kind} |" in markdown


def test_doc_command_writes_the_site(tmp_path):
    out = tmp_path / "site"
    assert main(["doc", "examples/starter.yaml", "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == SITE_FILES
    again = tmp_path / "again"
    assert main(["doc", "examples/starter.yaml", "-o", str(again)]) == 0
    for name in SITE_FILES:  # deterministic
        assert (out / name).read_bytes() == (again / name).read_bytes(), name


def test_png_only_when_asked_and_a_stale_one_goes(tmp_path):
    out = tmp_path / "site"
    assert main(["doc", "examples/starter.yaml", "-o", str(out), "--png"]) == 0
    assert (out / "architecture.png").read_bytes().startswith(b"\x89PNG")
    for what in SIMULATED:  # the simulated day's PNG copies come with --png too
        assert (out / f"simulate-{what}.png").read_bytes().startswith(b"\x89PNG")
    assert (out / "scale.png").read_bytes().startswith(b"\x89PNG")  # and the growth picture's
    (out / "notes.txt").write_text("mine")
    assert main(["doc", "examples/starter.yaml", "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(SITE_FILES + ["notes.txt"])


def test_doc_command_documents_an_environment(tmp_path):
    out = tmp_path / "growth"
    assert main(["doc", "examples/event-platform.yaml", "--env", "growth", "-o", str(out)]) == 0
    markdown = (out / "architecture.md").read_text()
    assert markdown.startswith("# event-platform: architecture (environment growth)")
    report = cost_report(resolve(example_spec("event-platform", "growth")))
    assert inr(report.total_usd * report.usd_inr) in markdown
    assert "| **growth** (shown) |" in markdown


def test_doc_command_refuses_a_file_as_folder(tmp_path, capsys):
    target = tmp_path / "file.txt"
    target.write_text("keep")
    assert main(["doc", "examples/starter.yaml", "-o", str(target)]) == 2
    assert "is not a folder" in capsys.readouterr().err
    assert target.read_text() == "keep" and list(tmp_path.iterdir()) == [target]


def test_doc_command_leaves_nothing_on_a_plan_error(tmp_path):
    plan = tmp_path / "bad.yaml"
    plan.write_text("project: {name: x, region: nowhere-1}\ncomponents: {}\n")
    assert main(["doc", str(plan), "-o", str(tmp_path / "site")]) == 1
    assert not (tmp_path / "site").exists()


def test_a_failed_write_leaves_nothing_behind(tmp_path, monkeypatch):
    from archplan import output

    real_write = output._write_new
    written = []

    def failing_write(path, data):
        if len(written) == 3:
            raise OSError(28, "No space left on device", str(path))
        written.append(path)
        return real_write(path, data)

    monkeypatch.setattr(output, "_write_new", failing_write)
    with pytest.raises(UsageError, match="No space left on device"):
        output.replace_folder(tmp_path / "site", {name: b"x" for name in SITE_FILES}, keep=lambda path: True)
    assert list(tmp_path.iterdir()) == []


def test_phases_start_from_the_default_environment(tmp_path):
    document = {"project": {"name": "t", "region": "us-central1", "default_environment": "small",
                            "environments": {"small": {"components": {"api": {"max_instances": 2}}},
                                             "big": {"description": "launch week",
                                                     "components": {"api": {"min_instances": 3}}}}},
                "components": {"api": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 50,
                                       "requests_per_month": 100000}}}
    spec = spec_from(document, tmp_path)
    markdown = command.build_site(spec)["architecture.md"].decode("utf-8")
    phases = markdown.split("## Scaling phases", 1)[1].split("\n## ", 1)[0]
    assert "| **small** (default) | - |" in phases and "| vs default |" in phases
    assert "| **big** | api: min_instances 3 |" in phases and "- **big**: launch week" in phases
    assert phases.count("| **small**") == 1


def test_growth_phases_are_listed_not_said_to_be_absent(tmp_path):
    """A plan with `phases:` and no environments was told 'The plan declares no other environments or phases'
    (found by the trial's semsearch plan); its phases are listed with their users and changes."""
    api = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 50, "traffic_share": 1}
    document = {"project": {"name": "t", "region": "us-central1"},
                "traffic": {"monthly_active_users": 10000, "daily_active_users": 2000,
                            "requests_per_user_per_day": 10, "peak_to_average": 3},
                "components": {"api": api},
                "phases": [{"name": "beta", "min_users": 0, "max_users": 50000, "description": "invited users"},
                           {"name": "launch", "min_users": 50000, "max_users": 2000000,
                            "components": {"api": {"max_instances": 100}}}]}
    markdown = command.build_site(spec_from(document, tmp_path))["architecture.md"].decode("utf-8")
    phases = markdown.split("## Scaling phases", 1)[1].split("\n## ", 1)[0]
    assert "no other environments or phases" not in phases
    assert "_The plan declares no other environments (`project.environments`)._" in phases
    assert "| **beta** | 0-50k | - |" in phases and "| **launch** | 50k-2M | api: max_instances 100 |" in phases
    assert "- **beta**: invited users" in phases


def test_the_subtitle_names_every_region_with_its_count(tmp_path):
    # found by the trial (dr.yaml): "6 components in us-east1" for a plan serving from us-east1 and us-west1
    run = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 50, "requests_per_month": 1000}
    document = {"project": {"name": "two", "region": "us-east1"}, "components": {
        "lb": {"kind": "load_balancer", "failover": "active-passive", "data_processed_gb_per_month": 1,
               "depends_on": ["east", "west"]},
        "east": {**run, "depends_on": ["db"]},
        "west": {**run, "region": "us-west1", "depends_on": ["db"]},
        "db": {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-2-7680", "storage_gb": 10,
               "cross_region_replicas": [{"region": "europe-west1"}]},
        "files": {"kind": "cloud_storage", "location_type": "multi-region", "location": "us", "storage_gb": 10}}}
    plan = resolve(spec_from(document, tmp_path))
    from archplan.doc.graph import build_graph

    subtitle = content.build(plan, build_graph(plan), "plan.yaml").subtitle
    assert subtitle == ("5 components across 3 regions: us-east1 (2), us-west1 (1), europe-west1 "
                        "(1 cross-region replica); 2 global or multi-region, computed by archplan from plan.yaml")
    single = resolve(spec_from({"project": {"name": "one", "region": "asia-south1"},
                                "components": {"api": run}}, tmp_path, "one.yaml"))
    assert content.build(single, build_graph(single), "one.yaml").subtitle == \
        "1 component in asia-south1, computed by archplan from one.yaml"


@pytest.mark.parametrize("private_nodes, where", [
    (True, "private pool (2 of 3 pipelines), default pool (the rest)"), (False, "default pool")])
def test_the_build_pool_is_where_cost_prices_the_builds(tmp_path, private_nodes, where):
    """A private cluster's pipelines run in the private pool, as cost prices them; the document said "default
    pool" whatever the plan (found by a trial, whose builds were priced in the private pool). Two deployments
    of the cluster and one Cloud Run service: 3 pipelines, 2 of them the cluster's."""
    from archplan.doc.describe import facts

    spec = spec_from({"project": {"name": "b", "region": "us-central1"}, "components": {
        "gke": {"kind": "gke", "mode": "standard", "location_type": "zonal", "private_nodes": private_nodes,
                "node_pools": [{"name": "p", "machine_type": "e2-standard-4", "nodes": 1}],
                "deployments": [{"name": "a", "replicas": 1, "cpu": 0.5, "memory": "512Mi"},
                                {"name": "b", "replicas": 1, "cpu": 0.5, "memory": "512Mi"}]},
        "web": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 50, "requests_per_month": 10},
        "build": {"kind": "cloud_build", "builds_per_month": 10, "minutes_per_build": 5}}}, tmp_path)
    plan = resolve(spec)
    assert facts(plan.component("build"), plan.components).scaling == where
    report = cost_report(plan)
    skus = {item.sku for item in report.line_items if item.component == "build"}
    assert ("private_build_minute/e2-standard-2" in skus) == private_nodes
