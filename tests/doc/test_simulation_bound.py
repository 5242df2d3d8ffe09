"""A large plan's document simulates its busiest services only, and says so (issue 14: doc of a
1,000-component plan drew hundreds of services into one legend and ran for minutes)."""
from __future__ import annotations

from archplan.doc import simulation_section
from archplan.plan import resolve
from archplan.simulate import build_options
from tests.doc.helpers import spec_from


def _plan(tmp_path, services: int):
    components = {f"svc{i:02d}": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "max_instances": 5,
                                  "request_duration_ms": 100, "traffic_share": round(0.01 * (i + 1), 2)}
                  for i in range(services)}
    document = {"project": {"name": "many", "region": "asia-south1"},
                "traffic": {"requests_per_month": 10_000_000, "avg_request_kib": 1, "avg_response_kib": 10},
                "components": components}
    return resolve(spec_from(document, tmp_path))


def test_past_the_bound_the_busiest_services_are_chosen(tmp_path):
    plan = _plan(tmp_path, simulation_section.DOC_SERVICES + 4)
    chosen, total, _requests = simulation_section._busiest(plan, build_options(plan.file, days=1, seeds=1))
    assert total == simulation_section.DOC_SERVICES + 4
    # traffic_share grows with the index: the busiest are the last DOC_SERVICES, busiest first
    expected = [f"svc{i:02d}" for i in range(total - 1, total - 1 - simulation_section.DOC_SERVICES, -1)]
    assert list(chosen) == expected


def test_within_the_bound_every_service_is_simulated(tmp_path):
    plan = _plan(tmp_path, simulation_section.DOC_SERVICES)
    assert simulation_section._busiest(plan, build_options(plan.file, days=1, seeds=1))[:2] == (
        None, simulation_section.DOC_SERVICES)


def test_the_section_says_how_many_it_left_out():
    summary = {"services": [{"service": "a", "requests": 1.0, "latency_ms": {"p50": 1, "p95": 2, "p99": 3},
                             "cold_starts": 0, "cold_start_share": 0.0, "rejected_429": 0, "timeouts": 0,
                             "instances": {"min": 0, "mean": 0.5, "max": 1}}], "assumptions": []}
    pictures = {f"simulate-{what}.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>"
                for what in simulation_section.CAPTIONS}
    texts = [getattr(b, "text", "") for b in simulation_section.section(summary, pictures, 300).blocks]
    assert any("300 request-serving services" in t and "1 busiest" in t for t in texts)
    texts = [getattr(b, "text", "") for b in simulation_section.section(summary, pictures, 1).blocks]
    assert not any("busiest" in t for t in texts)


def test_the_requests_the_document_would_follow_are_what_the_engine_follows(tmp_path):
    """The bound is checked on a figure the run then meets: the estimate is the mean of the Poisson arrivals."""
    from archplan.simulate import run_simulation
    from archplan.simulate import engine

    plan = _plan(tmp_path, 3)
    options = build_options(plan.file, days=1, seeds=2)
    _chosen, _total, requests = simulation_section._busiest(plan, options)
    run = run_simulation(plan, options)
    arrivals = sum(float(s.totals[:, engine.T_ARRIVALS].sum()) for s in run.services)
    assert requests > 0 and abs(arrivals - requests) < 5 * requests ** 0.5 + 1


def test_past_the_request_bound_the_day_is_left_out_with_a_note(tmp_path, monkeypatch):
    """Fuzzer, seed 1 input 395: 2^31 requests per user per day made doc simulate ~10^12 requests (past
    20 s of CPU); the document now says how many it would be and leaves the day out."""
    import yaml

    from tests.conftest import EXAMPLES

    document = yaml.safe_load((EXAMPLES / "starter.yaml").read_text(encoding="utf-8"))
    document["traffic"]["requests_per_user_per_day"] = 2**31
    plan = resolve(spec_from(document, tmp_path))
    section, files = simulation_section.build(plan)
    assert files == {}
    text = section.blocks[0].text
    assert f"more than the {simulation_section.DOC_MAX_REQUESTS:,}" in text and "leaves the day out" in text
