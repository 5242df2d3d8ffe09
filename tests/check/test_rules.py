"""Every rule with a plan that passes and one that fails it (like checkov's pass/fail examples)."""
import pytest

from archplan.check.rules import modules
from tests.check.conftest import ids

RUN = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 100, "requests_per_month": 1000,
       "service_account_roles": ["roles/cloudsql.client"], "health_check_path": "/healthz", "min_instances": 2}
DB = {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-1-3840", "storage_gb": 10, "private_ip": True,
      "ha": True, "backups": {"pitr": True}}
LB = {"kind": "load_balancer", "data_processed_gb_per_month": 1}
ARMOR = {"kind": "cloud_armor", "rules": 3, "requests_per_month": 1, "rate_limit_per_minute": 100,
         "waf_rules": ["sqli-v33-stable", "xss-v33-stable"], "load_balancer": "lb"}
GKE = {"kind": "gke", "mode": "standard", "location_type": "regional", "private_nodes": True, "workload_identity": True,
       "node_pools": [{"name": "p", "machine_type": "e2-standard-4", "nodes": 3}],
       "deployments": [{"name": "api", "replicas": 2, "cpu": "500m", "memory": "512Mi", "health_check_path": "/h",
                        "pdb_min_available": 1, "zone_anti_affinity": True}]}
GOOD_PROJECT = {"audit_logging": True, "monthly_budget": {"amount": 100000, "currency": "USD"}}

CASES = {
    "SEC-001": ({"db": {**DB, "private_ip": False}}, {"db": DB}),
    "SEC-002": ({"api": {**RUN, "env": {"DB_PASSWORD": "hunter2"}}},
                {"api": {**RUN, "env": {"DB_PASSWORD": {"secret": "db-password"}, "MODE": "prod"}}}),
    "SEC-003": ({"lb": {**LB, "depends_on": ["armor"]}, "armor": {**ARMOR, "waf_rules": ["sqli"], "depends_on": ["api"]},
                 "api": RUN},
                {"lb": {**LB, "depends_on": ["armor"]}, "armor": {**ARMOR, "depends_on": ["api"]}, "api": RUN}),
    "SEC-004": ({"lb": {**LB, "depends_on": ["api"]}, "api": RUN},
                {"lb": {**LB, "depends_on": ["api"]}, "api": {**RUN, "ingress": "internal-and-cloud-load-balancing"}}),
    "SEC-005": ({"api": {**RUN, "service_account_roles": ["roles/editor"]}}, {"api": RUN}),
    "SEC-006": ({"cache": {"kind": "memorystore_redis", "tier": "standard", "capacity_gb": 1}},
                {"cache": {"kind": "memorystore_redis", "tier": "standard", "capacity_gb": 1, "auth_enabled": True,
                           "transit_encryption": True}}),
    "SEC-007": ({"api": RUN}, {"api": RUN}),  # project-level: see PROJECTS
    "SEC-008": ({"media": {"kind": "cloud_storage", "location_type": "multi-region", "location": "asia",
                           "storage_gb": 1}},
                {"media": {"kind": "cloud_storage", "location_type": "region", "storage_gb": 1}}),
    "SEC-009": ({"gke": {**GKE, "private_nodes": False}}, {"gke": GKE}),
    "REL-001": ({"db": {**DB, "backups": {"pitr": False}}}, {"db": DB}),
    "REL-002": ({"db": {**DB, "ha": False}}, {"db": DB}),  # with an availability claim: see CLAIMS
    "REL-003": ({"api": {**RUN, "depends_on": ["db"]}, "db": {**DB, "ha": False}},
                {"api": {**RUN, "depends_on": ["db"]}, "db": DB}),
    "REL-004": ({"api": {**RUN, "health_check_path": None}}, {"api": RUN}),
    "REL-005": ({"gke": {**GKE, "deployments": [{**GKE["deployments"][0], "replicas": 1}]}},
                {"gke": {**GKE, "deployments": [{**GKE["deployments"][0], "pdb_min_available": None,
                                                 "zone_anti_affinity": False}]}}),  # generate writes both
    "REL-006": ({"api": RUN}, {"api": RUN}),  # project-level: see PROJECTS
    "REL-007": ({"api": RUN}, {"api": RUN}),  # project-level: see PROJECTS
    # multi-region: a replica in Delhi with every backend in Mumbai / a backend in each region with failover
    "REL-008": ({"lb": {**LB, "depends_on": ["api"]}, "api": {**RUN, "depends_on": ["db"]},
                 "db": {**DB, "cross_region_replicas": [{"region": "asia-south2"}]}},
                {"lb": {**LB, "depends_on": ["api", "api-delhi"], "failover": "active-active"},
                 "api": {**RUN, "depends_on": ["db"]}, "api-delhi": {**RUN, "region": "asia-south2", "depends_on": ["db"]},
                 "db": {**DB, "cross_region_replicas": [{"region": "asia-south2"}]}}),
    "REL-009": ({"api": {**RUN, "depends_on": ["db"]},
                 "db": {**DB, "cross_region_replicas": [{"region": "asia-south2"}]}},
                {"api": {**RUN, "depends_on": ["db"]}, "api-delhi": {**RUN, "region": "asia-south2", "depends_on": ["db"]},
                 "db": {**DB, "cross_region_replicas": [{"region": "asia-south2"}]}}),
    "REL-010": ({"api": RUN, "api-delhi": {**RUN, "region": "asia-south2"},
                 "images": {"kind": "artifact_registry", "storage_gb": 1}},
                {"api": RUN, "api-delhi": {**RUN, "region": "asia-south2"},
                 "images": {"kind": "artifact_registry", "storage_gb": 1},
                 "images-delhi": {"kind": "artifact_registry", "region": "asia-south2", "storage_gb": 1}}),
    "REL-011": ({"api": {**RUN, "env": {"KEY": {"secret": "key"}}},
                 "api-delhi": {**RUN, "region": "asia-south2", "env": {"KEY": {"secret": "key"}}},
                 "secrets": {"kind": "secret_manager", "secrets": ["key"], "access_ops_per_month": 10,
                             "replication_regions": ["asia-south1"]}},
                {"api": {**RUN, "env": {"KEY": {"secret": "key"}}},
                 "api-delhi": {**RUN, "region": "asia-south2", "env": {"KEY": {"secret": "key"}}},
                 "secrets": {"kind": "secret_manager", "secrets": ["key"], "access_ops_per_month": 10,
                             "replication_regions": ["asia-south1", "asia-south2"]}}),
    # a caller outside the VPC is refused by ingress internal; with its egress through the VPC it is not
    "REL-012": ({"web": {**RUN, "depends_on": ["chat"]}, "chat": {**RUN, "ingress": "internal"}},
                {"web": {**RUN, "vpc_egress": "all-traffic", "depends_on": ["chat"]},
                 "chat": {**RUN, "ingress": "internal"}}),
    "REL-013": ({"lb": LB, "api": RUN}, {"lb": {**LB, "depends_on": ["api"]}, "api": RUN}),
}
PROJECTS = {  # (failing project, passing project) where the rule looks at the project
    "SEC-007": ({"audit_logging": False}, GOOD_PROJECT),
    "SEC-008": ({"data_residency": "India"}, {"data_residency": "India"}),
    "REL-006": ({"monthly_budget": {"amount": 100, "currency": "USD", "alert_percents": [90]}}, GOOD_PROJECT),
    "REL-007": ({"monthly_budget": {"amount": 1, "currency": "USD"}}, GOOD_PROJECT),
}
EXTRA = {
    "REL-002": {"claims": [{"id": "ha", "kind": "availability_percent", "value": 99.95, "components": ["db"]}]},
    "REL-003": {"slo": {"availability_percent": 99.95}},
}


def test_every_rule_has_a_case():
    assert sorted(CASES) == sorted(module.RULE.id for module in modules())


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fails_the_bad_plan_and_passes_the_good_one(check, rule_id):
    failing, passing = CASES[rule_id]
    bad_project, good_project = PROJECTS.get(rule_id, ({}, GOOD_PROJECT))
    extra = EXTRA.get(rule_id, {})
    failures = ids(check(failing, bad_project, **extra), rule_id)
    assert failures, f"{rule_id} did not fire"
    assert all(f.detail and f.fix and f.section in ("security", "reliability") for f in failures)
    assert not ids(check(passing, good_project, **extra), rule_id), f"{rule_id} fired on the passing plan"


def test_every_rule_states_why():
    for module in modules():
        assert len(module.RULE.rationale) > 30 and module.RULE.severity in ("error", "warning", "info")


def test_skip_with_reason_for_all_or_some_components(check):
    failing = {"a": {**DB, "private_ip": False}, "b": {**DB, "private_ip": False}}
    everything = check(failing, checks={"skip": [{"id": "SEC-001", "reason": "lab database, no data"}]})
    assert not ids(everything, "SEC-001")
    assert everything.skipped[0].reason == "lab database, no data"
    some = check(failing, checks={"skip": [{"id": "SEC-001", "reason": "migrating", "components": ["a"]}]})
    assert [f.component for f in ids(some, "SEC-001")] == ["b"]


def test_findings_carry_the_spec_line(check):
    report = check({"db": {**DB, "private_ip": False}})
    assert ids(report, "SEC-001")[0].line == 10  # the private_ip key of components.db in the dumped YAML


def test_sec_004_fix_does_not_cut_a_caller_off(check):
    """Fault: SEC-004 on the chatbot's backend suggested ingress internal, which would cut the frontend (a Cloud
    Run service without VPC egress) off from the backend."""
    report = check({"lb": {**LB, "depends_on": ["frontend"]}, "frontend": {**RUN, "depends_on": ["backend"]},
                    "backend": RUN})
    backend = [f for f in ids(report, "SEC-004") if f.component == "backend"][0]
    assert "ingress internal would cut off frontend" in backend.fix
    assert "roles/run.invoker" in backend.fix
    frontend = [f for f in ids(report, "SEC-004") if f.component == "frontend"][0]
    assert frontend.fix.startswith("ingress: internal-and-cloud-load-balancing")
    with_vpc = check({"lb": {**LB, "depends_on": ["frontend"]},
                      "frontend": {**RUN, "vpc_egress": "all-traffic", "depends_on": ["backend"]}, "backend": RUN})
    assert [f for f in ids(with_vpc, "SEC-004") if f.component == "backend"][0].fix.startswith("ingress: internal")


def test_rel_005_not_raised_for_what_generate_writes(check):
    """Fault: check warned about PodDisruptionBudgets that generate already writes."""
    plain = {**GKE, "deployments": [{**GKE["deployments"][0], "pdb_min_available": None, "zone_anti_affinity": False}]}
    assert not ids(check({"gke": plain}), "REL-005")
    blocking = {**GKE, "deployments": [{**GKE["deployments"][0], "pdb_min_available": 2}]}
    assert "no drain can satisfy" in ids(check({"gke": blocking}), "REL-005")[0].detail


def test_one_probe_finding_per_cluster(check):
    deployments = [{**GKE["deployments"][0], "name": n, "health_check_path": None} for n in ("a", "b", "c")]
    found = ids(check({"gke": {**GKE, "deployments": deployments}}), "REL-004")
    assert len(found) == 1 and "a, b, c" in found[0].detail


def test_rel_009_manual_promotion_slower_than_the_rto_claim(check):
    both = {"api": {**RUN, "depends_on": ["db"]}, "api-delhi": {**RUN, "region": "asia-south2", "depends_on": ["db"]}}
    claim = {"claims": [{"id": "dr", "kind": "rto_minutes", "value": 20, "scenario": "region outage"}]}
    manual = check({**both, "db": {**DB, "cross_region_replicas": [{"region": "asia-south2"}]}}, **claim)
    [finding] = ids(manual, "REL-009")
    assert "RTO of 20 min" in finding.detail and "40 min" in finding.detail  # 30 min decision + 10 min promotion
    automatic = check({**both, "db": {**DB, "cross_region_replicas": [
        {"region": "asia-south2", "promotion": "automatic", "promotion_minutes": 5}]}}, **claim)
    assert not ids(automatic, "REL-009")


def test_sec_008_component_and_replica_regions_outside_the_country(check):
    india = {"data_residency": "India"}
    abroad = check({"api": {**RUN, "region": "asia-southeast1"},
                    "db": {**DB, "cross_region_replicas": [{"region": "asia-southeast1"}]}}, india)
    details = [f.detail for f in ids(abroad, "SEC-008")]
    assert any("api runs in asia-southeast1 (Singapore)" in d for d in details)
    assert any("db replicates to asia-southeast1 (Singapore)" in d for d in details)
    at_home = check({"api": {**RUN, "region": "asia-south2"},
                     "db": {**DB, "cross_region_replicas": [{"region": "asia-south2"}]}}, india)
    assert not ids(at_home, "SEC-008")


def test_sec_005_no_longer_claims_a_default_account(check):
    """Fault: SEC-005 said a workload without service_account_roles "would run with the default Editor-level
    account", but generate gives every workload a dedicated account (tests/generate/test_least_privilege.py
    derives its grants). Without service_account_roles nothing fires; a project-wide role that an edge already
    grants per resource, a basic role, or a GKE deployment's basic role does."""
    assert not ids(check({"api": {**RUN, "service_account_roles": []}}), "SEC-005")
    topics = {"kind": "pubsub", "topics": ["orders"], "messages_per_month": 1000, "avg_message_kib": 1}
    report = check({"api": {**RUN, "service_account_roles": ["roles/pubsub.publisher", "roles/cloudsql.client"],
                            "depends_on": [{"name": "events", "access": "write"}]}, "events": topics})
    [finding] = ids(report, "SEC-005")
    assert "roles/pubsub.publisher on every topic in the project" in finding.detail
    assert "depends_on on events already gives it the access it needs there" in finding.detail
    lone = ids(check({"api": {**RUN, "service_account_roles": ["roles/run.invoker"]}}), "SEC-005")[0]
    assert "add what api uses (cloud_run or cloud_functions or cloud_run_job) to depends_on" in lone.fix
    gke = {**GKE, "deployments": [{**GKE["deployments"][0], "service_account_roles": ["roles/owner"]}]}
    [owner] = ids(check({"gke": gke}), "SEC-005")
    assert owner.detail.startswith("gke/api: service_account_roles grants the basic role roles/owner")
    # a deployment's own depends_on is its edges, not the cluster's
    secrets = {"kind": "secret_manager", "secrets": ["key"], "access_ops_per_month": 10}
    own = {**GKE, "depends_on": ["vault", "cache"], "deployments": [{**GKE["deployments"][0], "depends_on": ["vault"],
                                   "service_account_roles": ["roles/secretmanager.secretAccessor"]}]}
    cache = {"kind": "secret_manager", "secrets": ["other"], "access_ops_per_month": 10}
    [accessor] = ids(check({"gke": own, "vault": secrets, "cache": cache}), "SEC-005")
    assert "its depends_on on vault already gives it the access it needs there" in accessor.detail  # not cache


def test_sec_003_reads_the_waf_rules_generate_writes(check):
    """Found by review: an armor policy naming no waf_rules gets archplan's SQLi and XSS baseline in the
    generated policy (and is priced for them), yet SEC-003 said it lacked both and failed check."""
    plan = {"lb": {**LB, "depends_on": ["armor"]}, "armor": {**ARMOR, "waf_rules": [], "depends_on": ["api"]},
            "api": RUN}
    assert not ids(check(plan), "SEC-003")
    plan["armor"] = {**plan["armor"], "baseline_waf": False}
    assert [f.detail for f in ids(check(plan), "SEC-003")] == ["armor on lb lacks the sqli WAF rule, the xss WAF rule."]
