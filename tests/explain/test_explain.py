"""`archplan explain`: a component, a finding id and a SKU, in words, with the arithmetic of each figure."""
import json

from tests.test_cli import STARTER, run


def words(*args) -> str:
    """The explanation with its line wrapping undone."""
    result = run("explain", *args)
    assert result.returncode == 0, result.stderr
    return " ".join(result.stdout.split())


def test_sku_shows_its_unit_price_source_and_arithmetic():
    text = words(STARTER, "forwarding_rule_first_5")
    # One global forwarding rule all month: 730 h x $0.025 = $18.25.
    assert "lb: 730 hour x $0.025 per hour = $18.25 a month." in text
    assert "Source: " in text and "cloud.google.com/load-balancing/pricing" in text


def test_component_total_is_the_sum_its_lines_show():
    text = words(STARTER, "db")
    lines = run("explain", STARTER, "db").stdout
    cost = json.loads(run("cost", STARTER, "--format", "json").stdout)
    db = next(c for c in cost["components"] if c["name"] == "db")
    # starter is an INR plan: rupees first, dollars beside them, as `cost` shows them
    assert f"It costs ₹{db['monthly']['inr']:,.2f} (${db['monthly']['usd']:,.2f}) a month" in text
    assert lines.count("\n  - Cloud SQL ") == len(db["line_items"])
    for item in db["line_items"]:
        assert f"= ${item['monthly']['usd']:,.2f} a month." in text
    assert "db is a cloud_sql component (line 35 of" in text
    assert "Used by: api." in text
    assert "SEC-001" in text  # its findings, with their numbers


def test_free_tier_is_subtracted_in_words():
    text = words(STARTER, "api")
    # Cloud Run's 180,000 vCPU-seconds a month are free: billed = busy vCPU-seconds - 180,000.
    assert "less 180,000 free = " in text and "vCPU-second billed x $0.000024 per vCPU-second" in text


def test_finding_id_shows_the_rule_and_each_occurrence():
    text = words(STARTER, "sec-001")
    assert text.startswith("SEC-001 (error, security): database reachable on a public IP. Why: ")
    assert "SEC-001 on db, line 35" in text
    absent = words(STARTER, "REL-006")  # a rule the starter does not trip
    assert "REL-006 (" in absent and "This plan has no REL-006 finding." in absent


def test_unknown_target_is_one_line_with_suggestion():
    result = run("explain", STARTER, "ap")
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "did you mean 'api'" in result.stderr


def test_a_source_date_is_joined_with_its_own_verb():
    # found by the trial: "Price source: https://cloud.google.com/tasks/pricing, seen read 2026-12-01."
    from archplan import catalog
    from archplan.render.explain_text import seen
    from tests.trial.test_trial_plans import PLANS

    assert seen("read 2026-11-22") == "read 2026-11-22" and seen("seen 2026-12-02") == "seen 2026-12-02"
    assert seen("2026-04-15") == "seen 2026-04-15"
    price = catalog.service("cloud_tasks").price("operations", "us-central1")
    assert price.date.startswith("read ")  # the catalog's form that was joined as "seen read"
    text = " ".join(run("explain", PLANS / "ingest.yaml", "enrich-queue").stdout.split())  # wherever it wraps
    assert f"Price source: {price.source}, {price.date}." in text
    for target in ("enrich-queue", "operations", "warehouse", "events"):
        assert "seen read" not in words(PLANS / "ingest.yaml", target)


def test_a_tiered_line_shows_its_first_tiers_unit_price_and_a_region_stays_lower_case(tmp_path):
    # a Vision feature: 120,000 units less 1,000 free at $1.50 per 1,000 = $178.50; the first tier's price was
    # rounded to cents ("first tier $0.00 per unit"), and a note starting with the region read "Us-east1 ..."
    plan = tmp_path / "vision.yaml"
    plan.write_text("""\
project: {name: v, region: us-east1}
components:
  api: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 90, requests_per_month: 1000,
        depends_on: [vision]}
  vision: {kind: cloud_vision, features: [{feature: label_detection, units_per_month: 120000}]}
  shop:
    kind: gke
    mode: autopilot
    location_type: regional
    deployments: [{name: web, replicas: 1, cpu: 0.25, memory: 512Mi}]
""")
    text = words(plan, "vision")
    assert "less 1,000 free = 119,000 unit billed, priced by tiers (first tier $0.0015 per unit) = $178.50" in text
    text = words(plan, "shop")
    assert "us-east1 figure derived, not published" in text and "Us-east1" not in text


def test_a_component_is_placed_where_it_runs_not_in_the_plans_region():
    """explain said every component ran in the plan's region: dr.yaml's api-west (region: us-west1) 'in
    us-east1', docflow.yaml's EU dataset and dual-region bucket 'in europe-west3' (found by the trial)."""
    from tests.trial.test_trial_plans import PLANS

    assert words(PLANS / "dr.yaml", "api-west").startswith("api-west is a cloud_run component (line 48 of "
                                                           f"{PLANS / 'dr.yaml'}), in us-west1.")
    assert f"{PLANS / 'dr.yaml'}), in us-east1." in words(PLANS / "dr.yaml", "api-east")
    assert "), global (not placed in a region)." in words(PLANS / "dr.yaml", "lb")
    docflow = PLANS / "docflow.yaml"
    assert "), in the eu multi-region." in words(docflow, "warehouse")
    assert "), in the europe-west3+europe-west1 dual-region." in words(docflow, "inbox")
    assert "), in europe-west3." in words(docflow, "status")


def test_component_total_in_the_plans_currency_keeps_its_pence():
    # found by the trial: orders.yaml's on-events costs $0.25 a month, x 0.73768 GBP per USD = £0.19; it read
    # "(GBP 0)", the plan's currency rounded to whole pounds
    from tests.trial.test_trial_plans import PLANS

    text = words(PLANS / "orders.yaml", "on-events")
    cost = json.loads(run("cost", PLANS / "orders.yaml", "--format", "json").stdout)
    monthly = next(c for c in cost["components"] if c["name"] == "on-events")["monthly"]
    # a GBP plan's total leads with pounds (found by review: it led with dollars, unlike `cost`)
    assert f"It costs £{monthly['gbp']:,.2f} (${monthly['usd']:,.2f}) a month" in text and "GBP 0" not in text
