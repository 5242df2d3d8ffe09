"""A GKE cluster whose deployments state their own depends_on is followed deployment by deployment: paths,
availability, connections, queueing and the diagram's edges. The Online Boutique fixture's figures are
worked by hand from the catalog's SLAs (regional pool with >= 2 replicas: the Compute Engine multi-zone
99.99%; one replica: one VM's 99.9%; load balancer 99.99%; Memorystore Basic assumed 99.9%)."""
from pathlib import Path

import pytest

from archplan import catalog
from archplan.check import run_checks
from archplan.doc.graph import build_graph
from archplan.plan import resolve
from archplan.spec.load import load_spec
from tests.check.conftest import ids

BOUTIQUE = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "online-boutique.yaml"
SERVICES = {"productcatalogservice", "cartservice", "shippingservice", "currencyservice", "paymentservice",
            "emailservice", "checkoutservice", "recommendationservice"}


@pytest.fixture(scope="module")
def boutique():
    plan = resolve(load_spec(BOUTIQUE, None, catalog.supported_regions()))
    return plan, run_checks(plan)


def test_each_entry_point_waits_on_the_deployments_it_calls(boutique):
    _plan, report = boutique
    a = report.availability
    # the load generator calls the frontend itself, but is not public and nothing calls it: a background path,
    # not a user's way in (it was one, and as the weakest path it set the plan's composite, 99.621%)
    assert a.entry_points == ["lb"]
    paths = {p.name: p for p in a.entries}
    user = paths["lb -> shop/frontend"]
    # lb -> frontend -> everything the frontend calls but the ads (critical: false); checkout and
    # recommendation add nothing new; the cart adds its Redis.
    assert set(user.components) == {"lb", "shop/frontend", "cart-redis"} | {f"shop/{s}" for s in SERVICES}
    assert "shop/adservice" not in user.components and "shop/loadgenerator" not in user.components
    # lb, frontend and 7 two-replica services at 99.99%; email (1 replica) and Redis Basic at 99.9%
    assert user.percent == pytest.approx(0.9999 ** 9 * 0.999 ** 2 * 100)  # 99.710%
    assert user.downtime_minutes_per_month == pytest.approx((1 - 0.9999 ** 9 * 0.999 ** 2) * 43800)  # 126.9
    generator = paths["shop/loadgenerator (background: not public, nothing calls it)"]
    assert generator.kind == "async"
    assert generator.percent == pytest.approx(0.9999 ** 8 * 0.999 ** 3 * 100)  # 99.621%: no lb, its own pod
    assert a.composite_percent == pytest.approx(user.percent)
    # the cluster as one blob (its fewest-replica deployment, 99.9%) would have read 99.99 x 99.9 x 99.9
    assert user.percent != pytest.approx(0.9999 * 0.999 * 0.999 * 100)


def test_a_flow_can_start_at_one_deployment(boutique):
    _plan, report = boutique
    checkout = next(p for p in report.availability.entries if p.name == "checkout")
    assert set(checkout.components) == {"shop/checkoutservice", "shop/productcatalogservice", "shop/shippingservice",
                                        "shop/paymentservice", "shop/emailservice", "shop/currencyservice",
                                        "shop/cartservice", "cart-redis"}
    assert checkout.percent == pytest.approx(0.9999 ** 6 * 0.999 ** 2 * 100)  # 99.740% < 99.8%
    assert [f.component for f in ids(report, "AVAIL-006")] == ["shop/emailservice"]


def test_queueing_per_deployment_at_its_own_share(boutique):
    _plan, report = boutique
    rows = {r.name: r for r in report.capacity.services}
    # 100M requests a month / 2,628,000 s x 3 peak; currency sees 4 calls per user request
    assert rows["shop/frontend"].peak_rps == pytest.approx(1e8 / 2628000 * 3)
    assert rows["shop/currencyservice"].peak_rps == pytest.approx(4e8 / 2628000 * 3)
    assert not rows["shop/frontend"].background and not rows["shop/currencyservice"].background
    checkout = next(p for p in report.capacity.paths if p.name == "checkout")
    assert checkout.services == ["shop/currencyservice"]  # the frontend is not on the checkout flow


def test_the_diagram_draws_each_deployments_edges(boutique):
    plan, _report = boutique
    graph = build_graph(plan)
    drawn = {(e.source_label, e.target_label) for e in graph.edges}
    assert ("shop/checkoutservice", "shop/emailservice") in drawn
    assert ("shop/cartservice", "cart-redis") in drawn
    assert ("lb", "shop/frontend") in drawn
    assert not any(e.source == "shop" and not e.source_port for e in graph.edges)  # no blob edge left
    assert ("shop/frontend", "cart-redis") not in drawn  # the frontend reaches Redis only through the cart


def test_connections_count_only_the_deployments_that_use_the_database(check):
    report = check({
        "gke": {"kind": "gke", "mode": "standard", "location_type": "regional",
                "node_pools": [{"name": "pool", "machine_type": "e2-standard-4", "nodes": 3}],
                "deployments": [
                    {"name": "api", "replicas": 2, "max_replicas": 4, "cpu": 1, "memory": "1Gi",
                     "db_pool_size": 10, "workers_per_instance": 2, "depends_on": ["db", "worker"]},
                    {"name": "worker", "replicas": 3, "cpu": 1, "memory": "1Gi", "db_pool_size": 50,
                     "depends_on": ["cache"]}],
                "depends_on": ["db", "cache"]},
        "db": {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-2-7680", "storage_gb": 10},
        "cache": {"kind": "memorystore_redis", "tier": "basic", "capacity_gb": 1},
    })
    budget = report.capacity.connections[0]
    assert [c[0] for c in budget.clients] == ["gke/api"]  # the worker never connects to the database
    assert budget.total == 4 * 2 * 10  # 4 pods x 2 workers x 10 pool
    assert not budget.unknown_clients


def test_a_subscribed_deployment_is_background_and_its_caller_is_not(check):
    report = check({
        "gke": {"kind": "gke", "mode": "autopilot", "location_type": "regional",
                "deployments": [
                    {"name": "web", "replicas": 2, "cpu": 1, "memory": "1Gi", "public": True, "traffic_share": 1,
                     "request_duration_ms": 20, "depends_on": [{"name": "events", "access": "write"}]},
                    {"name": "consumer", "replicas": 2, "cpu": 1, "memory": "1Gi", "traffic_share": 1,
                     "request_duration_ms": 200, "depends_on": [{"name": "events", "access": "read"}]}],
                "depends_on": ["events"]},
        "events": {"kind": "pubsub", "topics": ["events"], "avg_message_kib": 1, "messages_per_month": 1000},
    }, traffic={"requests_per_month": 1000000})
    rows = {r.name: r for r in report.capacity.services}
    assert not rows["gke/web"].background and rows["gke/consumer"].background
    paths = {p.name: p for p in report.availability.entries}
    assert paths["gke/web"].components == ["gke/web", "events"]  # publishing is a call
    # Autopilot pods across zones: 99.9% each; Pub/Sub 99.95%
    assert paths["events => gke/consumer (async)"].percent == pytest.approx(0.9995 * 0.999 * 100)
