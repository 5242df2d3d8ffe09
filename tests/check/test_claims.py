"""The claims audit recomputes what documents promise."""
import pytest

from archplan import catalog
from archplan.check import run_checks
from archplan.plan import resolve
from archplan.spec.load import load_spec
from tests.check.conftest import ids
from tests.conftest import EXAMPLES

RUN = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 100, "requests_per_month": 1000}


def example(name):
    return run_checks(resolve(load_spec(EXAMPLES / f"{name}.yaml", None, catalog.supported_regions())))


def test_cotton_erp_99_95_is_21_9_minutes_a_month_not_21_a_year():
    report = example("cotton-erp")
    wrong = [f for f in ids(report, "CLAIM-011") if "downtime-year " in f.detail + " " and "21 min a year" in f.detail]
    assert wrong, [f.detail for f in ids(report, "CLAIM-011")]
    assert "262.8 min a year" in wrong[0].detail and "21.9 min a month" in wrong[0].detail
    assert "4.38 h a year" in wrong[0].detail
    # the headline 99.95% is the plan's SLO too: one finding (AVAIL-001) that names the claim
    headline = next(v for v in report.claims if v.id == "availability")
    assert headline.verdict == "off" and headline.finding == "AVAIL-001"
    assert "claim availability" in ids(report, "AVAIL-001")[0].detail
    assert not [f for f in ids(report, "CLAIM-010") if f.claim == "availability"]


def test_downtime_consistent_with_its_availability_passes(check):
    report = check({"api": RUN}, claims=[
        {"id": "a", "kind": "availability_percent", "value": 99.9},
        {"id": "d", "kind": "downtime_minutes_per_month", "value": 43.8}])
    assert not ids(report, "CLAIM-011") and not ids(report, "CLAIM-010")


def test_connection_arithmetic_claim(check):
    report = check({
        "api": {**RUN, "max_instances": 20, "db_pool_size": 5, "db_max_overflow": 10, "workers_per_instance": 2,
                "depends_on": ["db"]},
        "db": {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-2-4096", "storage_gb": 10}},
        claims=[{"id": "pool", "kind": "db_connections", "value": 100, "components": ["db"]}])
    assert "total 600" in ids(report, "CLAIM-040")[0].detail


def test_cost_claim_within_ten_percent_is_accepted(check):
    report = check({"cache": {"kind": "memorystore_redis", "tier": "basic", "capacity_gb": 1}}, claims=[
        {"id": "ok", "kind": "monthly_cost", "value": 46, "currency": "USD"},  # 730 x 0.063 = 45.99
        {"id": "low", "kind": "monthly_cost", "value": 20, "currency": "USD"}])
    assert [f.detail.split(" ")[1].rstrip(":") for f in ids(report, "CLAIM-001")] == ["low"]


def test_rto_claim(check):
    report = check({"api": {**RUN, "depends_on": ["db"]},
                    "db": {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-1-3840", "storage_gb": 10}},
                   claims=[{"id": "rto", "kind": "rto_minutes", "value": 5}])
    assert ids(report, "CLAIM-060")


def test_a_claim_is_checked_in_the_environment_it_names(check):
    cache = {"kind": "memorystore_redis", "tier": "basic", "capacity_gb": 1}
    report = check({"cache": cache},
                   {"environments": {"big": {"components": {"cache": {"capacity_gb": 2}}}}},
                   claims=[{"id": "big", "kind": "monthly_cost", "value": 92, "currency": "USD",
                            "environment": "big"},  # 2 GB x 730 h x 0.063 = 91.98
                           {"id": "default", "kind": "monthly_cost", "value": 92, "currency": "USD"}])
    flagged = [f.detail for f in ids(report, "CLAIM-001")]
    assert len(flagged) == 1 and flagged[0].startswith("claim default")


DB = {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-2-7680", "storage_gb": 10, "ha": True}
CACHE = {"kind": "memorystore_redis", "tier": "basic", "capacity_gb": 1}  # 730 h x $0.063 = $45.99 a month


def verdict(report, claim_id):
    return next(v for v in report.claims if v.id == claim_id)


def test_every_claim_gets_a_verdict_and_held_ones_are_listed(check):
    """Fault: claims that pass were never listed."""
    report = check({"cache": CACHE}, claims=[
        {"id": "ok", "kind": "monthly_cost", "value": 46, "currency": "USD"},
        {"id": "low", "kind": "monthly_cost", "value": 20, "currency": "USD"},
        {"id": "lat", "kind": "latency_p95_ms", "value": 10, "components": ["cache"]}])
    assert [(v.id, v.verdict) for v in report.claims] == [("ok", "held"), ("low", "off"), ("lat", "not checkable")]
    assert "730 GiB-hour x $0.063 = $45.99 a month" in verdict(report, "ok").explanation
    assert "not database" in verdict(report, "lat").explanation


def test_downtime_is_paired_with_its_own_basis_not_the_first_availability_claim(check):
    """Fault: "95% = 36 h a year" was judged as if it were 99.95% (the first availability claim)."""
    report = check({"api": RUN, "db": DB}, claims=[
        {"id": "sla", "kind": "availability_percent", "value": 99.95, "components": ["db"]},
        {"id": "ninety-five", "kind": "downtime_minutes_per_year", "value": 2160, "components": ["db"],
         "basis": {"availability_percent": 95}}])
    v = verdict(report, "ninety-five")
    # 95% allows (1 - 0.95) x 525,600 = 26,280 min (438 h) a year, not 2,160 (36 h)
    assert v.verdict == "off" and v.computed_value == pytest.approx(26_280)
    assert "95% (the claim's own basis)" in v.explanation and "99.95" not in v.explanation.split(";")[0]


def test_claims_pair_only_within_their_environment(check):
    report = check({"api": RUN, "db": DB}, {"environments": {"small": {"components": {"db": {"ha": False}}}}},
                   claims=[{"id": "sla", "kind": "availability_percent", "value": 95, "components": ["db"],
                            "environment": "small"},
                           {"id": "down", "kind": "downtime_minutes_per_month", "value": 21.9, "components": ["db"]}])
    v = verdict(report, "down")
    assert "claim sla" not in v.explanation  # the small environment's 95% is not this claim's basis
    assert v.verdict == "held"  # HA db: (1 - 0.9995) x 43,800 = 21.9 min


def test_claim_about_a_system_the_plan_does_not_model_is_not_checkable(check):
    """Fault: a Phase-3 recovery claim was checked against the MVP."""
    report = check({"api": {**RUN, "depends_on": ["db"]}, "db": {**DB, "ha": False}}, claims=[
        {"id": "rto3", "kind": "rto_minutes", "value": 60, "applies_to": "Phase 3 with a second region"}])
    v = verdict(report, "rto3")
    assert v.verdict == "not checkable" and "Phase 3" in v.explanation and not ids(report, "CLAIM-060")


def test_failover_claim_is_compared_with_the_failover_not_a_restore(check):
    """Fault: a failover claim was compared with a 60-minute restore instead of the failover time."""
    report = check({"api": {**RUN, "depends_on": ["db"]}, "db": {**DB, "backups": {"pitr": True}}}, claims=[
        {"id": "failover", "kind": "rto_minutes", "value": 2, "components": ["db"], "scenario": "zone outage"},
        {"id": "restore", "kind": "rto_minutes", "value": 30, "components": ["db"], "scenario": "data corruption"}])
    assert verdict(report, "failover").verdict == "held"  # HA failover ~1 min
    assert verdict(report, "restore").verdict == "off"  # restore assumed 60 min


def test_token_saving_and_projections_at_other_volumes(check):
    """Fault: a token saving was compared with total usage; projections at 2K and 10K chats a day were compared
    with a 5K-a-day plan."""
    llm = {"kind": "llm", "model": "gemini-2.5-flash", "chats_per_day": 5000, "per_chat": {"input": 1000, "output": 500}}
    report = check({"ai": llm}, claims=[
        {"id": "saved", "kind": "llm_tokens_saved_per_month", "value": 15_000_000},
        # 2,000 chats a day x 1,500 tokens x 30.4167 = 91,250,000
        {"id": "at-2k", "kind": "llm_tokens_per_month", "value": 91_000_000, "basis": {"chats_per_day": 2000}},
        {"id": "at-10k", "kind": "llm_tokens_per_month", "value": 450_000_000, "basis": {"chats_per_day": 10000}},
        {"id": "plan", "kind": "llm_tokens_per_month", "value": 228_000_000}])
    assert verdict(report, "saved").verdict == "not checkable"
    assert verdict(report, "at-2k").verdict == "held"
    assert verdict(report, "at-10k").verdict == "held"  # 456,250,000, 1.4% off
    assert verdict(report, "plan").verdict == "held"


def test_token_saving_against_the_prompt_it_replaces(check):
    """A saving is (tokens a chat before - the plan's tokens a chat) x chats a day x 30.4167, not the usage."""
    llm = {"kind": "llm", "model": "gemini-2.5-flash", "chats_per_day": 1000, "per_chat": {"input": 1000, "output": 500}}
    before = {"replaced_tokens_per_chat": 2000}
    report = check({"ai": llm}, claims=[
        # (2,000 - 1,500) x 1,000 x 30.4167 = 15,208,333
        {"id": "saved", "kind": "llm_tokens_saved_per_month", "value": 15_000_000, "basis": before},
        # the whole usage after the change, 1,500 x 1,000 x 30.4167 = 45.6M, is not a saving
        {"id": "usage", "kind": "llm_tokens_saved_per_month", "value": 45_625_000, "basis": before},
        # at 4,000 chats a day: 500 x 4,000 x 30.4167 = 60,833,333
        {"id": "at-4k", "kind": "llm_tokens_saved_per_month", "value": 60_833_333,
         "basis": {**before, "chats_per_day": 4000}}])
    assert verdict(report, "saved").verdict == "held"
    off = verdict(report, "usage")
    assert off.verdict == "off" and off.computed == "15,208,333"
    assert "(2,000 tokens a chat before - 1,500 in the plan) x 1,000 chats a day" in off.explanation
    assert verdict(report, "at-4k").verdict == "held"


def test_connection_claim_below_what_the_pools_open(check):
    """Fault: connection-count claims were never audited (a claim of 50 passed while archplan computed 400)."""
    report = check({
        "api": {**RUN, "max_instances": 20, "db_pool_size": 10, "workers_per_instance": 2, "depends_on": ["db"]},
        "db": DB}, claims=[{"id": "conns", "kind": "db_connections", "value": 50}])
    v = verdict(report, "conns")
    assert v.verdict == "off" and v.computed == "400"  # 20 x 2 x (10 + 0)
    assert "20 max instances x 2 worker(s) x (10 pool + 0 overflow) = 400" in v.explanation


def test_cost_explanation_is_computed_and_the_note_kept_apart(check):
    """Fault: the reason under a cost finding was the author's note (which could contradict the figure)."""
    report = check({"cache": CACHE}, claims=[
        {"id": "low", "kind": "monthly_cost", "value": 20, "currency": "USD", "note": "archplan says $12"}])
    finding = ids(report, "CLAIM-001")[0]
    assert "$12" not in finding.detail and "$45.99" in finding.detail
    assert verdict(report, "low").note == "archplan says $12"


def test_new_cost_kinds(check):
    report = check({"cache": CACHE, "ai": {"kind": "llm", "model": "gemini-2.5-flash", "chats_per_day": 1000,
                                           "per_chat": {"input": 1000, "output": 500}}},
                   traffic={"monthly_active_users": 500},
                   claims=[
                       # $45.99 / 730 h = $0.0630 an hour
                       {"id": "hourly", "kind": "hourly_cost", "value": 0.063, "currency": "USD", "components": ["cache"]},
                       {"id": "hourly-bad", "kind": "hourly_cost", "value": 0.03, "currency": "USD",
                        "components": ["cache"]},
                       # $45.99 / 500 users = $0.092 per user
                       {"id": "per-user", "kind": "cost_per_user", "value": 0.092, "currency": "USD",
                        "components": ["cache"]},
                       {"id": "per-user-bad", "kind": "cost_per_user", "value": 0.2, "currency": "USD",
                        "components": ["cache"]},
                       {"id": "tokens-chat", "kind": "tokens_per_chat", "value": 1500},
                       {"id": "tokens-chat-bad", "kind": "tokens_per_chat", "value": 15000}])
    got = {v.id: v.verdict for v in report.claims}
    assert got == {"hourly": "held", "hourly-bad": "off", "per-user": "held", "per-user-bad": "off",
                   "tokens-chat": "held", "tokens-chat-bad": "off"}


def test_cost_per_chat(check):
    # gemini-2.5-flash at $0.30 / 1M input and $2.50 / 1M output: 1,000 x 0.30e-6 + 500 x 2.50e-6 = $0.00155 a chat
    report = check({"ai": {"kind": "llm", "model": "gemini-2.5-flash", "chats_per_day": 1000,
                           "per_chat": {"input": 1000, "output": 500}}},
                   claims=[{"id": "chat", "kind": "cost_per_chat", "value": 0.00155, "currency": "USD"},
                           {"id": "chat-bad", "kind": "cost_per_chat", "value": 0.0006, "currency": "USD"}])
    assert verdict(report, "chat").verdict == "held", verdict(report, "chat").explanation
    assert verdict(report, "chat-bad").verdict == "off"


def test_line_item_claim(check):
    report = check({"k8s": {"kind": "gke", "mode": "standard", "location_type": "regional",
                            "node_pools": [{"name": "p", "machine_type": "e2-standard-2", "nodes": 1}]}},
                   claims=[{"id": "fee", "kind": "monthly_cost", "value": 73, "currency": "USD",
                            "line_item": "management fee"}])
    v = verdict(report, "fee")
    assert v.verdict in ("held", "off") and "management fee" in v.explanation.lower()


def test_consistency_between_claims(check):
    report = check({"cache": CACHE}, claims=[
        {"id": "hour", "kind": "hourly_cost", "value": 0.1, "currency": "USD"},
        {"id": "month", "kind": "monthly_cost", "value": 73, "currency": "USD"},  # 0.1 x 730 = 73
        {"id": "month-bad", "kind": "monthly_cost", "value": 50, "currency": "USD"},
        {"id": "a", "kind": "monthly_cost", "value": 10, "currency": "USD"},
        {"id": "b", "kind": "monthly_cost", "value": 20, "currency": "USD"},
        {"id": "sum", "kind": "monthly_cost", "value": 35, "currency": "USD"},
        {"id": "c1", "kind": "consistency", "claims": ["hour", "month"]},
        {"id": "c2", "kind": "consistency", "claims": ["hour", "month-bad"]},
        {"id": "c3", "kind": "consistency", "claims": ["a", "b", "sum"]}])
    assert verdict(report, "c1").verdict == "held"
    assert verdict(report, "c2").verdict == "off" and "x 730 hours" in verdict(report, "c2").explanation
    assert verdict(report, "c3").verdict == "off"  # 10 + 20 = 30, not 35 (14% off)


def test_per_component_availability_claim(check):
    """Fault: a claim about one Cloud Run service's SLA was judged against three services multiplied."""
    report = check({"a": RUN, "b": RUN, "c": RUN}, claims=[
        {"id": "each", "kind": "availability_percent", "value": 99.95, "components": ["a", "b", "c"],
         "per_component": True},
        {"id": "series", "kind": "availability_percent", "value": 99.95, "components": ["a", "b", "c"]}])
    assert verdict(report, "each").verdict == "held"
    assert verdict(report, "series").verdict == "off"  # 0.9995^3 = 99.85%


def test_peak_rate_claim_names_the_service_and_its_share(check):
    """Fault: a peak-rate claim was failed on a service that sees 2% of traffic without naming it."""
    report = check({
        "api": {**RUN, "requests_per_month": None, "traffic_share": 1, "max_instances": 100},
        "report": {**RUN, "requests_per_month": None, "traffic_share": 0.02, "max_instances": 1, "concurrency": 1,
                   "request_duration_ms": 1000}},
        traffic={"requests_per_month": 2_628_000},
        claims=[{"id": "rps", "kind": "peak_rps", "value": 100}])
    v = verdict(report, "rps")
    # report: 1 x 1 x 0.6 / 1 s = 0.6 req/s at 2% of the traffic -> the system sustains 0.6 / 0.02 = 30 req/s
    assert v.verdict == "off" and "report sees 2.0% of the requests" in v.explanation
    assert v.computed_value == pytest.approx(30)


def test_peak_rate_claim_on_a_cluster_takes_each_deployments_share(check):
    """A cluster named as a whole takes the users' requests: it sustains min over its deployments of what each
    sustains / its share. web: 10 x 20 x 0.6 / 0.04 s = 3,000 / 1; orders: 6 x 10 x 0.6 / 0.15 s = 240 / 0.1 =
    2,400; catalog: 1 x 20 x 0.6 / 0.02 s = 600 / 0.9 = 667 req/s (it was orders' own 240, failing 300)."""
    deployment = {"cpu": "500m", "memory": "512Mi", "health_check_path": "/healthz"}
    report = check({
        "k8s": {"kind": "gke", "mode": "standard", "location_type": "regional",
                "node_pools": [{"name": "pool", "machine_type": "e2-standard-4", "nodes": 3}],
                "deployments": [
                    {**deployment, "name": "web", "replicas": 3, "max_replicas": 10, "public": True,
                     "traffic_share": 1, "request_duration_ms": 40, "concurrency": 20},
                    {**deployment, "name": "orders", "replicas": 2, "max_replicas": 6, "traffic_share": 0.1,
                     "request_duration_ms": 150, "concurrency": 10},
                    {**deployment, "name": "catalog", "replicas": 1, "traffic_share": 0.9,
                     "request_duration_ms": 20, "concurrency": 20}]}},
        traffic={"requests_per_month": 2_628_000},
        claims=[{"id": "cluster", "kind": "peak_rps", "value": 300, "components": ["k8s"]}])
    v = verdict(report, "cluster")
    assert v.verdict == "held" and v.computed_value == pytest.approx(600 / 0.9)
    assert "so k8s sustains 600 / 0.9 = 667 req/s" in v.explanation


def test_budget_claim_and_budget_rule_are_one_finding(check):
    """Fault: REL-007 and the budget claim reported the same fact twice."""
    report = check({"cache": CACHE}, {"monthly_budget": {"amount": 20, "currency": "USD"}},
                   claims=[{"id": "budget", "kind": "monthly_cost", "value": 20, "currency": "USD"}])
    assert ids(report, "REL-007") and not ids(report, "CLAIM-001")
    assert verdict(report, "budget").finding == "REL-007"
    assert "claim budget" in ids(report, "REL-007")[0].detail


def test_instances_and_connections_claims(check):
    ws = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "max_instances": 10, "concurrency": 100,
          "request_duration_ms": 60_000, "requests_per_month": 2_628_000, "long_lived": "websocket",
          "timeout_seconds": 3600}
    # 1 connection a second x 60 s = 60 open; at 100 x 0.6 per instance that is 1 instance; cap 10 x 100 = 1,000
    report = check({"ws": ws}, claims=[
        {"id": "conn-ok", "kind": "concurrent_connections", "value": 1000},
        {"id": "conn-bad", "kind": "concurrent_connections", "value": 10000},
        {"id": "inst-ok", "kind": "instances", "value": 1},
        {"id": "inst-bad", "kind": "instances", "value": 8}])
    got = {v.id: v.verdict for v in report.claims}
    assert got == {"conn-ok": "held", "conn-bad": "off", "inst-ok": "held", "inst-bad": "off"}


def test_slo_claim_and_avail_001_are_one_finding(check):
    """Fault: AVAIL-001 and CLAIM-010 reported the same fact twice."""
    report = check({"api": {**RUN, "depends_on": ["cache"]}, "cache": {**CACHE, "tier": "standard"}},
                   slo={"availability_percent": 99.95},
                   claims=[{"id": "headline", "kind": "availability_percent", "value": 99.95}])
    assert ids(report, "AVAIL-001") and not ids(report, "CLAIM-010")
    assert ids(report, "AVAIL-001")[0].same_as == ["CLAIM-010 claim headline"]


def test_connection_claim_above_max_connections_is_one_finding(check):
    """Fault: one connection claim raised CLAIM-040 and CLAIM-041 (three claims gave three CLAIM-041)."""
    report = check({
        "api": {**RUN, "max_instances": 10, "db_pool_size": 10, "depends_on": ["db"]},
        "db": {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-2-4096", "storage_gb": 10}},
        claims=[{"id": f"c{i}", "kind": "db_connections", "value": 1000, "components": ["db"]} for i in range(3)])
    claim_findings = [f for f in report.findings if f.section == "claims"]
    assert [f.claim for f in claim_findings] == ["c0", "c1", "c2"]  # one each: 1,000 stated, pools open 100
    assert all(f.id == "CLAIM-040" for f in claim_findings)


def test_recovery_claims_per_scenario(check):
    plan = {"api": {**RUN, "depends_on": ["db"]}, "db": {**DB, "ha": False, "backups": {"pitr": True}}}
    report = check(plan, claims=[
        {"id": "zone", "kind": "rto_minutes", "value": 90, "scenario": "zone outage"},  # restore, 60 min
        {"id": "region", "kind": "rpo_minutes", "value": 60, "scenario": "region outage"},  # last backup: 24 h
        {"id": "deploy", "kind": "rpo_minutes", "value": 5, "scenario": "bad deploy"},  # PITR: 5 min
        {"id": "deploy-rto", "kind": "rto_minutes", "value": 5, "scenario": "bad deploy", "components": ["api"]}])
    got = {v.id: v.verdict for v in report.claims}
    assert got == {"zone": "held", "region": "off", "deploy": "held", "deploy-rto": "not checkable"}


def test_flow_claims_equal_to_the_flows_own_targets_are_its_findings(check):
    report = check({"api": {**RUN, "depends_on": ["cache"]}, "cache": CACHE},
                   flows={"cached": {"entry": "api", "slo": {"availability_percent": 99.9, "latency_p95_ms": 50}}},
                   claims=[{"id": "fa", "kind": "availability_percent", "value": 99.9, "flow": "cached"},
                           {"id": "fl", "kind": "latency_p95_ms", "value": 50, "flow": "cached"}])
    assert verdict(report, "fa").finding == "AVAIL-006" and verdict(report, "fl").finding == "CAP-005"
    assert not [f for f in report.findings if f.section == "claims"]


def test_an_annual_cost_is_the_month_as_shown_times_12(check):
    """The text read "(... = $390.80 a month) x 12 = $4,689.64": 390.803 x 12 unrounded, while 390.80 x 12 =
    4,689.60. 390,803 emails x $0.001 = $390.803, shown $390.80; the year is $390.80 x 12 = $4,689.60."""
    report = check({"mail": {"kind": "external", "provider": "X", "service": "email", "items": [
        {"description": "emails", "unit": "email", "unit_price": 0.001, "currency": "USD",
         "quantity_per_month": 390_803}]}},
        claims=[{"id": "year", "kind": "annual_cost", "value": 4689.60, "currency": "USD"}])
    v = verdict(report, "year")
    assert "$390.80 a month) x 12 = $4,689.60" in v.explanation
    assert v.computed_value == pytest.approx(4689.60)
