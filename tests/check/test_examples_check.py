"""The faults found in the examples' check reports, each pinned on the example where it showed."""
import json
import subprocess
import sys

import pytest

from archplan.check import run
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def reports():
    return {name: run(EXAMPLES / f"{name}.yaml")
            for name in ("cotton-erp", "drivopay", "ecommerce-chatbot", "event-platform")}


def verdict(report, claim_id):
    return next(v for v in report.claims if v.id == claim_id)


def test_cotton_erp_user_paths_leave_out_admin_cdn_and_ai(reports):
    paths = {p.name: p for p in reports["cotton-erp"].availability.entries}
    rest = paths["lb -> rest_api"]
    assert not {"admin_api", "cdn", "openai", "vision_ocr", "speech", "workers"} & set(rest.components)
    assert rest.percent == pytest.approx(0.9999 * 0.9999 * 0.9995 * 0.9995 * 0.999 * 0.9995 * 0.9995 * 100)
    assert "events => workers (async)" in paths and paths["events => workers (async)"].slo_percent is None
    assert "vision_ocr" in paths["document-scan"].components


def test_drivopay_ha_databases_is_about_the_databases(reports):
    v = verdict(reports["drivopay"], "availability.ha-databases")
    assert v.about == "postgres, redis (each)" and v.computed == "99.9%"  # Redis Standard, not a 12-component path


def test_cotton_erp_claims_about_what_they_say(reports):
    report = reports["cotton-erp"]
    assert verdict(report, "cloud-run-availability").verdict == "held"  # each service's SLA
    assert verdict(report, "db-failover").computed == "1 min"  # the failover, not a 60-min restore
    assert verdict(report, "db-downtime-year-at-95").computed_value == pytest.approx(0.05 * 525_600)
    # budget and SLO claims are the plan's own findings, each once
    assert verdict(report, "budget").finding == "REL-007"
    assert verdict(report, "availability").finding == "AVAIL-001"
    claimed = [f.claim for f in report.findings if f.claim]
    assert len(claimed) == len(set(claimed))  # one finding per claim at most


def test_event_platform_phase_3_claims_are_checked_in_its_two_region_environment(reports):
    report = reports["event-platform"]
    for claim_id in ("rto-phase3", "rpo-phase3", "rpo-phase3-corruption"):
        assert verdict(report, claim_id).environment == "scale-dr"
    # region outage: the Delhi replica is promoted by hand, 30 min to decide + 10 min = 40 min, but Firestore
    # and the media bucket are regional in Mumbai: nothing brings them back until the region does
    rto = verdict(report, "rto-phase3")
    assert rto.verdict == "off" and rto.computed == "unbounded" and "= 40 min" in rto.explanation
    # "real-time replication": 60 s of lag (assumed) is within 5 min
    assert verdict(report, "rpo-phase3").verdict == "held" and verdict(report, "rpo-phase3").computed_value == 1.0
    # but a bad write replicates at once: the last daily backup, up to 24 h
    assert verdict(report, "rpo-phase3-corruption").computed_value == 1440.0


def test_cotton_erp_geo_redundancy_claims(reports):
    report = reports["cotton-erp"]
    rto = verdict(report, "geo-backups-recovery")
    assert rto.verdict == "off" and rto.computed == "unbounded"  # the services run in asia-south1 only
    rpo = verdict(report, "geo-zero-data-loss")
    assert rpo.verdict == "off" and "99.9% within 60 min" in rpo.explanation


def test_chatbot_token_claims(reports):
    report = reports["ecommerce-chatbot"]
    assert verdict(report, "gemini-tokens-prompt-savings").verdict == "not checkable"
    # 500 chats a day (the projection's own volume) x the plan's 1,500 tokens x 30.4167, not the 5K-a-day plan
    assert verdict(report, "gemini-tokens-projection-low").computed_value == pytest.approx(500 * 1500 * 730 / 24)
    assert verdict(report, "projection-low-consistent").verdict == "held"


def test_chatbot_backend_fix_keeps_the_frontend_connected(reports):
    backend = [f for f in reports["ecommerce-chatbot"].findings if f.id == "SEC-004" and f.component == "backend"]
    assert backend and "ingress internal would cut off frontend" in backend[0].fix


def test_cli_and_json_show_every_path():
    """Fault: the command line showed only the product; per-entry-point figures existed only in the HTML."""
    text = subprocess.run([sys.executable, "-m", "archplan", "check", str(EXAMPLES / "cotton-erp.yaml")],
                          capture_output=True, text=True).stdout
    assert "request lb -> rest_api" in text and "async   events => workers (async)" in text
    assert "flow    document-scan" in text and "Claims: " in text and "HELD" in text
    data = json.loads(subprocess.run([sys.executable, "-m", "archplan", "check", "--format", "json",
                                      str(EXAMPLES / "cotton-erp.yaml")], capture_output=True, text=True).stdout)
    kinds = {p["kind"] for p in data["availability"]["entries"]}
    assert kinds == {"request", "async", "flow"}
    assert all("error_budget_minutes_per_month" in p and "downtime_minutes_per_year" in p
               for p in data["availability"]["entries"])
    assert {c["verdict"] for c in data["claims"]} == {"held", "off", "not checkable"}
