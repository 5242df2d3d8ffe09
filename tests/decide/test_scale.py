"""archplan scale: limits reached at loads computed by hand, phases, spikes, the picture, bad input."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

from archplan import assess
from archplan.cli import main
from archplan.scale import scale
from archplan.scale.chart import render as chart
from archplan.scale.load import Spike, parse_labelled, parse_points
from tests.decide.helpers import rate, write_plan

API = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 100, "traffic_share": 1,
       "concurrency": 80, "max_instances": 5}
CACHE = {"kind": "memorystore_redis", "tier": "standard", "capacity_gb": 5, "working_set_gb": 2}
TRAFFIC = {"daily_active_users": 1000, "requests_per_user_per_day": 100, "peak_to_average": 4,
           "avg_request_kib": 1, "avg_response_kib": 4}
# The day's load in two steps, so that the mean a month bills is computed by hand: 6 hours at the peak (4 x the
# average, as peak_to_average says) and 18 hours at none; pods and nodes run their peak count a quarter of the
# day and their floor (replicas, the nodes created) the rest: mean = (peak + 3 x floor) / 4.
BURST = {**TRAFFIC, "daily_profile": [4] * 6 + [0] * 18}


@pytest.fixture
def plan(tmp_path):
    return write_plan(tmp_path, {"api": {**API, "depends_on": ["cache"]}, "cache": CACHE}, traffic=TRAFFIC)


def test_points():
    assert parse_points("1k..10k") == [1000, 2000, 5000, 10000]
    assert parse_points("1k..1M:4") == [1000, 10000, 100000, 1000000]
    assert parse_points("5k, 1k,2M") == [1000, 5000, 2000000]
    for bad in ("abc", "10k..1k", "1k..2k:1", "-5"):
        with pytest.raises(ValueError):
            parse_points(bad)
    assert parse_labelled("heavy=4M, light=200k") == ([200000, 4000000], {200000: "light", 4000000: "heavy"})
    assert parse_labelled("1k,2k") == ([1000, 2000], {})
    for bad in ("a=1k,b=1k", "=5", "x y=3"):
        with pytest.raises(ValueError):
            parse_labelled(bad)


def test_limits_reached_where_computed_by_hand(plan):
    result = scale(str(plan), parse_points("100k,1M"))
    first = {row["component"]: row for row in result["first_limits"]}
    # Peak RPS at U users: U x 100 requests x (730/24) days / (730 x 3600 s) x 4 = U / 216. Instances at
    # 60%: U / 216 x 0.1 s / (80 x 0.6) = U / 103,680; above max_instances 5 once U > 518,400.
    assert first["api"]["limit"] == "max instances"
    assert first["api"]["reached_at"] == pytest.approx(518400, rel=1e-6)
    # Redis working set 2 GB at 1,000 users grows with users: 5 GB capacity is passed above 2,500 users,
    # before the first point; the bisection runs from zero load, so it is found there.
    assert first["cache"]["limit"] == "Redis memory"
    assert first["cache"]["reached_at"] == pytest.approx(2500, rel=1e-6)
    result = scale(str(plan), parse_points("1k,10k"))
    first = {row["component"]: row for row in result["first_limits"]}
    assert first["cache"]["reached_at"] == pytest.approx(2500, rel=1e-6)
    assert not first["cache"]["already_at_start"]


def test_regional_quota_reached_where_computed_by_hand(tmp_path):
    """The region's Cloud Run CPU quota (the quotas page's baseline, 1,000 vCPU for all services together)
    binds before a 4-vCPU service's own max instances; memory (2,000 GiB) never does; the Cloud SQL
    instance count (1 primary + 2 replicas of 1,000 a project) does not grow with load."""
    path = write_plan(tmp_path, {
        "api": {**API, "cpu": 4, "memory": "2Gi", "max_instances": 1000, "depends_on": ["db"]},
        "db": {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-2-7680", "storage_gb": 10,
               "read_replicas": 2}}, traffic=TRAFFIC)
    result = scale(str(path), parse_points("1M,200M"))
    limits = {row["limit"]: row for row in result["points"][0]["limits"]}
    first = {row["component"]: row for row in result["first_limits"]}
    # Instances at U users: U / 103,680 (as above). 1,000 vCPU / 4 vCPU = 250 instances, passed once
    # ceil(U / 103,680) > 250, i.e. U > 250 x 103,680 = 25,920,000; max instances (1,000) only at 103.68M.
    quota = first["region asia-south1 (project)"]
    assert quota["limit"] == "Cloud Run regional CPU quota" and quota["capacity"] == 1000
    assert quota["reached_at"] == pytest.approx(25_920_000, rel=1e-6)
    assert first["api"]["reached_at"] == pytest.approx(103_680_000, rel=1e-6)
    # memory: at most 1,000 instances x 2 GiB = 2,000 GiB, never above the 2,000 GiB baseline
    assert limits["Cloud Run regional memory quota"]["used"] == 10 * 2  # ceil(1M / 103,680) = 10 instances
    assert not any(row["exceeded"] for point in result["points"] for row in point["limits"]
                   if row["limit"] == "Cloud Run regional memory quota")
    assert "region asia-south1 (project)" not in {r["component"] for r in result["first_limits"]
                                                  if r["limit"] == "Cloud Run regional memory quota"}
    sql = limits["Cloud SQL instances per project"]
    assert sql["used"] == 3 and sql["capacity"] == 1000
    assert next(p for p in result["points"][1]["limits"] if p["limit"] == "Cloud SQL instances per project")["used"] == 3


def test_the_documents_summary_has_the_full_runs_figures(tmp_path):
    """scale(summary=True), as the document's growth section runs it: each point's load, phase and totals, the
    first limits (2,500 users for the cache, by hand above) and the phases are those of the full run."""
    phases = [{"name": "small", "min_users": 0, "max_users": 5000},
              {"name": "big", "min_users": 5000, "max_users": 50000, "components": {"cache": {"capacity_gb": 20}}}]
    path = write_plan(tmp_path, {"api": {**API, "depends_on": ["cache"]}, "cache": CACHE}, traffic=TRAFFIC,
                      phases=phases)
    points = [Decimal(1000), Decimal(10000), Decimal(100000)]
    full, summary = scale(str(path), points), scale(str(path), points, summary=True)
    shown = ("load", "phase", "phase_note", "requests_per_month", "total_usd", "per_unit_usd", "unchecked_quotas")
    assert [{key: p[key] for key in shown} for p in summary["points"]] == \
        [{key: p[key] for key in shown} for p in full["points"]]
    assert summary["first_limits"] == full["first_limits"] and summary["phases"] == full["phases"]
    cache = next(r for r in summary["first_limits"] if r["component"] == "cache")
    assert cache["reached_at"] == pytest.approx(2500, rel=1e-6)
    assert "components" not in summary["points"][0] and summary["gke_fixed_limits"] is None


def test_cost_per_user_and_instances(plan):
    result = scale(str(plan), [Decimal(1000), Decimal(100000)])
    for point in result["points"]:
        assert point["per_unit_usd"] == point["total_usd"] / point["load"]
    # 100k users: 100,000 / 103,680 = 0.96 -> 1 instance
    assert result["points"][1]["services"][0]["instances_needed"] == 1
    assert result["points"][1]["requests_per_month"] == Decimal(100000) * 100 * Decimal(730) / 24


def test_spike_month(plan):
    spike = Spike(Decimal(10), Decimal(2), Decimal(6))
    # 1 + (10 - 1) x 6 h x 2 days / 730 h
    assert spike.month_factor == 1 + Decimal(9) * 12 / 730
    plain = scale(str(plan), [Decimal(1000)])["points"][0]
    spiky = scale(str(plan), [Decimal(1000)], spike=spike)["points"][0]
    assert spiky["requests_per_month"] == pytest.approx(plain["requests_per_month"] * spike.month_factor)
    # The peak is 10x the normal average, not 4x.
    assert spiky["services"][0]["peak_rps"] == pytest.approx(1000 / 216 / 4 * 10, rel=1e-9)
    assert spiky["total_usd"] > plain["total_usd"]


def test_a_components_monthly_active_users_grow_with_the_load_and_not_with_a_spike(tmp_path):
    """Identity Platform's stated monthly_active_users stayed the plan's at every point (the trial's semsearch:
    100k users priced as 60k), though the users are the load itself; a spike adds requests, not users."""
    auth = {"kind": "identity_platform", "monthly_active_users": 60000}
    path = write_plan(tmp_path, {"api": API, "auth": auth}, traffic={**TRAFFIC, "monthly_active_users": 60000})
    points = scale(str(path), [Decimal(100000), Decimal(1000000)])["points"]
    auth_usd = [next(c["usd"] for c in p["components"] if c["component"] == "auth") for p in points]
    # the catalog's tier-1 bands (identity_platform.yaml): 0-50k free, 50k-100k $0.0055, 100k-1M $0.0046 a MAU
    first, second = Decimal("0.0055"), Decimal("0.0046")
    # 100k MAU: 50,000 billed at $0.0055 = $275; 1M: $275 + 900,000 x $0.0046 = $4,415
    assert [Decimal(str(u)) for u in auth_usd] == [50_000 * first, 50_000 * first + 900_000 * second]
    spiky = scale(str(path), [Decimal(100000)], spike=Spike(Decimal(10), Decimal(2), Decimal(6)))["points"][0]
    assert next(c["usd"] for c in spiky["components"] if c["component"] == "auth") == auth_usd[0]


def test_phases_and_their_claims(tmp_path):
    phases = [{"name": "small", "min_users": 0, "max_users": 5000,
               "monthly_cost": {"low": 1, "high": 2, "currency": "USD"}},
              {"name": "big", "min_users": 5000, "max_users": 50000,
               "components": {"cache": {"capacity_gb": 20}}}]
    path = write_plan(tmp_path, {"api": {**API, "depends_on": ["cache"]}, "cache": CACHE}, traffic=TRAFFIC,
                      phases=phases)
    result = scale(str(path), [Decimal(1000), Decimal(10000), Decimal(100000)])
    assert [p["phase"] for p in result["points"]] == ["small", "big", "big"]
    assert "outside every phase" in result["points"][2]["phase_note"]
    # the last phase's own top end is in its range (the trial's semsearch plan at 2M, its scale phase's
    # max_users, was 'outside every phase's range' though the phase is priced there); 5,000 starts big
    ends = scale(str(path), [Decimal(5000), Decimal(50000)])["points"]
    assert [(p["phase"], p["phase_note"]) for p in ends] == [("big", None), ("big", None)]
    small = result["phases"][0]
    claim = small["claim"]
    assert claim["low"]["archplan"] == small["low_usd"] and not claim["agrees"]
    # The working set (2 GB per 1,000 users) passes phase small's 5 GB at 2,500 users, between the 1k
    # point and the end of the phase (5k), though no point lies there.
    cache = next(r for r in result["first_limits"] if r["component"] == "cache")
    assert cache["phase"] == "small" and cache["reached_at"] == pytest.approx(2500, rel=1e-6)


def test_picture_is_deterministic(plan):
    result = scale(str(plan), parse_points("1k..100k"))
    first, second = chart(result), chart(result)
    assert first == second
    assert first[".png"].startswith(b"\x89PNG") and b"<svg" in first[".svg"]


def test_command_outputs(plan, tmp_path, capsys):
    picture = tmp_path / "scale.svg"
    assert main(["scale", str(plan), "--users", "1k..100k", "--format", "json", "--chart", str(picture)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == "archplan.scale/v1" and picture.read_bytes().startswith(b"<?xml")
    assert main(["scale", str(plan), "--users", "1k..100k"]) == 0
    assert "First limit each component reaches" in capsys.readouterr().out


@pytest.mark.parametrize("argv, code", [(["--users", "lots"], 2), (["--users", "1k", "--requests", "1M"], 2),
                                        (["--spike", "0.5x"], 2), (["--chart", "x.gif"], 2)])
def test_bad_arguments(plan, capsys, argv, code):
    assert main(["scale", str(plan), *argv]) == code
    assert capsys.readouterr().err.count("\n") == 1


def test_plan_without_load_is_one_line(tmp_path, capsys):
    path = write_plan(tmp_path, {"cache": CACHE})
    assert main(["scale", str(path), "--users", "1k..10k"]) == 1
    error = capsys.readouterr().err
    assert "scale needs the plan's users" in error and error.count("\n") == 1


def test_gke_nodes_needed_and_priced(tmp_path):
    gke = {"kind": "gke", "mode": "standard", "location_type": "regional",
           "node_pools": [{"name": "p", "machine_type": "e2-standard-4", "nodes": 3, "max_nodes": 6}],
           "deployments": [{"name": "api", "replicas": 2, "max_replicas": 20, "cpu": 1, "memory": "2Gi",
                            "request_duration_ms": 200, "traffic_share": 1}]}
    path = write_plan(tmp_path, {"gke": gke}, traffic=TRAFFIC)
    result = scale(str(path), [Decimal(5000), Decimal(10000)])
    # 10k users: peak 10,000 / 216 = 46.30 req/s x 0.2 s / (1 x 60%) = 15.43 -> 16 pods = 16 vCPU, 32 GiB.
    # e2-standard-4 allocatable: 4 - (0.06 + 0.01 + 2 x 0.005) = 3.92 vCPU; 16 - (1 + 0.8 + 0.8) - 100/1024
    # = 13.30 GiB. Nodes: ceil(max(16 / 3.92, 32 / 13.30)) = ceil(4.08) = 5, within max_nodes 6.
    assert result["points"][1]["nodes"][0]["nodes_needed"] == 5
    # 5k users: 8 pods, 8 / 3.92 -> 3 nodes: the pool as written.
    assert result["points"][0]["nodes"][0]["nodes_needed"] == 3
    assert result["points"][1]["total_usd"] > result["points"][0]["total_usd"]  # two more nodes priced


# A regional pool of 3 e2-standard-4 nodes (1 in each of 3 zones) that may grow to 8 in all. Pods at U users:
# peak U / 216 req/s x 0.2 s / (1 x 60%) = U / 648, rounded up, at least 3, at most max_replicas 24; nodes:
# pods x 1 vCPU over 3.92 vCPU allocatable (CPU binds: 2 GiB a pod over 13.30 GiB), rounded up.
GKE_REGIONAL = {"kind": "gke", "mode": "standard", "location_type": "regional", "private_nodes": True,
                "node_pools": [{"name": "web", "machine_type": "e2-standard-4", "nodes": 3, "max_nodes": 8}],
                "deployments": [{"name": "api", "replicas": 3, "max_replicas": 24, "cpu": 1, "memory": "2Gi",
                                 "request_duration_ms": 200, "traffic_share": 1}]}


def _gke_usd(point) -> Decimal:
    return Decimal(next(c["usd"] for c in point["components"] if c["component"] == "gke"))


def _node_usd() -> Decimal:
    """One private e2-standard-4 node for the month: 730 h and its 100 GiB pd-balanced boot disk."""
    return 730 * rate("compute_engine", "instance/e2-standard-4/sud") + 100 * rate("compute_engine", "pd_balanced")


def test_a_regional_pool_grows_a_node_at_a_time_up_to_max_nodes(tmp_path, capsys):
    """max_nodes is the pool's total over its zones (generate writes total_max_node_count), so the cluster
    autoscaler adds single nodes: scale priced ceil(nodes / 3) x 3 (cost's count for a pool created with
    `nodes`), 6 where 5 are needed and 9 above max_nodes 8. By hand (GKE_REGIONAL, max_replicas raised to 100
    so the HPA does not bind): 1k users: 3 pods -> 1 node, the 3 created; 10k: ceil(15.43) = 16 pods, 16 / 3.92
    = 4.08 -> 5 nodes; 40k: ceil(61.73) = 62 pods, 62 / 3.92 = 15.8 -> 16 nodes, above max_nodes: 8. The
    cluster: the regional management fee, $0.10 x 730 h, and each node (no external IPs: private nodes)."""
    gke = {**GKE_REGIONAL, "deployments": [{**GKE_REGIONAL["deployments"][0], "max_replicas": 100}]}
    path = write_plan(tmp_path, {"gke": gke}, traffic=BURST, project={"quotas": {"compute_engine_cpus": 100}})
    result = scale(str(path), [Decimal(1000), Decimal(10000), Decimal(40000)])
    pools = [point["nodes"][0]["pools"][0] for point in result["points"]]
    assert [(p["nodes_needed"], p["created"], p["nodes"], p["max_nodes"]) for p in pools] == \
        [(1, 3, 3, 8), (5, 3, 5, 8), (16, 3, 8, 8)]
    assert [p["exceeded"] for p in pools] == [False, False, True]
    # billed: the mean over the day, (peak + 3 x the 3 created) / 4 (BURST)
    assert [p["nodes_mean"] for p in pools] == [3, (5 + 9) / 4, (8 + 9) / 4]
    fee = 730 * rate("gke", "cluster_management")
    for point, nodes in zip(result["points"], (3, Decimal("3.5"), Decimal("4.25"))):
        assert abs(_gke_usd(point) - (fee + nodes * _node_usd())) <= Decimal("0.01"), point["load"]
    # the region's CPUS quota counts the same nodes: 4 vCPU each
    used = [next(l for l in p["limits"] if l["limit"] == "Compute Engine CPUS quota")["used"] for p in result["points"]]
    assert used == [4 * 3, 4 * 5, 4 * 8]
    assert pools[1]["formula"].startswith("5 at the peak = max(3 created (1 in each of 3 zones), min(5 needed, "
                                          "max_nodes 8)); "
                                          "needed: max(16.00 vCPU / 3.92, 32.00 GiB / 13.30) per e2-standard-4 node")
    assert main(["scale", str(path), "--users", "1k,10k,40k"]) == 0
    table = capsys.readouterr().out
    rows = {line.split()[0]: line.split("  ")[-1].strip() for line in table.splitlines()
            if line.strip().split(" ")[0] in ("1k", "10k", "40k")}
    assert rows == {"1k": "1/8 (3 run)", "10k": "5/8", "40k": "16/8 (8 run)"}
    assert "  at 40k: gke/web: 8 at the peak = max(3 created (1 in each of 3 zones), min(16 needed, max_nodes 8))" \
        in table
    assert "4.25 on average over the day's traffic shape" in table
    assert "a regional pool grows a node at a time, not in threes" in table


def test_nodes_stop_growing_at_the_hpas_max_replicas(tmp_path):
    """Past max_replicas the HPA adds no pods, so the pool adds no nodes: the deployment saturates (its HPA
    max replicas limit, at U / 648 > 24, U > 15,552), the pool does not run out. By hand (GKE_REGIONAL): 20k
    users need ceil(30.86) = 31 pods, 24 run: 24 / 3.92 = 6.12 -> 7 nodes (31 pods would need 8, which scale
    priced as 9, over max_nodes 8); 40k needs 62 pods, still 24 run: 7 nodes. The pool's 8 x 3.92 = 31.36
    vCPU hold the 24 pods' 24 vCPU, so its maximum is never reached (it was once 32 pods were counted, past
    U / 648 > 31, at 20,088 users)."""
    path = write_plan(tmp_path, {"gke": GKE_REGIONAL}, traffic=BURST)
    result = scale(str(path), [Decimal(20000), Decimal(40000)])
    for point in result["points"]:
        (pool,) = point["nodes"][0]["pools"]
        assert (pool["nodes_needed"], pool["nodes"], pool["nodes_mean"]) == (7, 7, (7 + 9) / 4), point["load"]
        assert abs(_gke_usd(point) - (730 * rate("gke", "cluster_management") + 4 * _node_usd())) <= Decimal("0.01")
        cpu = next(l for l in point["limits"] if l["limit"] == "node pool maximum (CPU)")
        assert cpu["used"] == 24 and not cpu["exceeded"]
    assert "pods: api 24 (its max_replicas; the load needs 62)" in result["points"][1]["nodes"][0]["pools"][0]["formula"]
    first = {row["component"]: row for row in result["first_limits"]}
    assert first["gke/api"]["limit"] == "HPA max replicas"
    assert first["gke/api"]["reached_at"] == pytest.approx(24 * 648, rel=1e-6)
    assert "gke" not in first


def test_a_zonal_pool_runs_the_nodes_its_pods_need(tmp_path):
    """A zonal pool has one zone: it was priced right and stays so. GKE_REGIONAL in one zone, 2 nodes: 10k
    users need 16 pods -> 5 nodes, priced as `cost` prices the same plan written with `nodes: 5` (the zonal
    cluster's management fee is within the free credit in both)."""
    zonal = {**GKE_REGIONAL, "location_type": "zonal",
             "node_pools": [{"name": "web", "machine_type": "e2-standard-4", "nodes": 2, "max_nodes": 8}]}
    path = write_plan(tmp_path, {"gke": zonal}, traffic=BURST)
    (point,) = scale(str(path), [Decimal(10000)])["points"]
    (pool,) = point["nodes"][0]["pools"]
    assert (pool["nodes_needed"], pool["created"], pool["nodes"]) == (5, 2, 5)
    assert pool["formula"].startswith("5 at the peak = max(2 created, min(5 needed, max_nodes 8))")
    # billed: (5 + 3 x 2) / 4 = 2.75 nodes on average, as `cost` prices the same plan written with 5 nodes
    # a quarter of the time and 2 the rest
    assert pool["nodes_mean"] == 2.75
    costs = []
    for nodes in (5, 2):
        written = {**zonal, "node_pools": [{**zonal["node_pools"][0], "nodes": nodes}]}
        plan = write_plan(tmp_path, {"gke": written}, name=f"n{nodes}.yaml", traffic={**BURST, "daily_active_users": 10000})
        costs.append(assess.price_totals(assess.load(str(plan)))[1].by_component()["gke"])
    assert abs(_gke_usd(point) - (costs[0] + 3 * costs[1]) / 4) <= Decimal("0.000001")


GKE_GROWING = {"kind": "gke", "mode": "standard", "location_type": "regional",
               "node_pools": [{"name": "p", "machine_type": "e2-standard-4", "nodes": 3, "max_nodes": 6}],
               "deployments": [{"name": "api", "replicas": 2, "max_replicas": 40, "cpu": 1, "memory": "2Gi",
                                "request_duration_ms": 200, "traffic_share": 1}]}
VMS = {"kind": "compute_engine", "machine_type": "e2-standard-2", "count": 2}


def test_compute_engine_cpus_quota_stated_by_the_project(tmp_path):
    """The region's CPUS quota as the plan states it (20 vCPU) against 2 VMs x 2 vCPU + the GKE nodes at
    the load. Pods at U users: ceil(U / 216 x 0.2 s / 60%) = ceil(U / 648); nodes: ceil(pods / 3.92 vCPU
    allocatable) (CPU binds before memory: 2 GiB / 13.30 GiB), from 3 up to max_nodes 6; used = 4 + 4 x
    nodes. Above 20 once nodes reach 5: pods >= 16, i.e. U / 648 > 15, U > 9,720."""
    path = write_plan(tmp_path, {"gke": GKE_GROWING, "vm": VMS}, traffic=TRAFFIC,
                      project={"quotas": {"compute_engine_cpus": 20}})
    result = scale(str(path), [Decimal(5000), Decimal(20000)])
    quota = next(r for r in result["first_limits"] if r["limit"] == "Compute Engine CPUS quota")
    assert quota["component"] == "region asia-south1 (project)" and quota["capacity"] == 20
    assert quota["reached_at"] == pytest.approx(9720, rel=1e-6)
    used = [next(l for l in p["limits"] if l["limit"] == "Compute Engine CPUS quota")["used"] for p in result["points"]]
    assert used == [4 + 4 * 3, 4 + 4 * 6]  # 5k: 8 pods -> 3 nodes; 20k: 31 pods -> 8 nodes, capped at 6
    assert "project.quotas.compute_engine_cpus" in quota["formula"]
    assert result["unchecked_quotas"] == []


def test_compute_engine_cpus_without_a_stated_quota_is_an_assumption(tmp_path, capsys):
    """Google publishes no default for CPUS: not checked, and said so with what the plan uses."""
    path = write_plan(tmp_path, {"gke": GKE_GROWING, "vm": VMS}, traffic=TRAFFIC)
    result = scale(str(path), [Decimal(5000), Decimal(20000)])
    assert not any(l["limit"] == "Compute Engine CPUS quota" for p in result["points"] for l in p["limits"])
    [row] = result["unchecked_quotas"]
    assert (row["region"], row["quota"]) == ("asia-south1", "Compute Engine CPUS")
    assert [u["used"] for u in row["used"]] == [16, 28]
    assert "publishes no default" in row["reason"] and "project.quotas.compute_engine_cpus" in row["reason"]
    assert main(["scale", str(path), "--users", "5k,20k"]) == 0
    out = capsys.readouterr().out
    assert "Quotas not checked" in out and "Compute Engine CPUS: the plan uses 5k: 16 vCPU, 20k: 28 vCPU" in out


def test_a_stated_cloud_run_quota_replaces_the_baseline_per_region(tmp_path):
    """project.quotas.cloud_run_cpu 600 everywhere, 400 in asia-south1: the region's own figure binds.
    Instances at U users: ceil(U / 103,680) (as above); 400 vCPU / 4 vCPU = 100 instances, passed once
    U > 100 x 103,680 = 10,368,000."""
    quotas = {"cloud_run_cpu": 600, "regions": {"asia-south1": {"cloud_run_cpu": 400}}}
    path = write_plan(tmp_path, {"api": {**API, "cpu": 4, "memory": "2Gi", "max_instances": 1000}},
                      traffic=TRAFFIC, project={"quotas": quotas})
    result = scale(str(path), parse_points("1M,200M"))
    quota = next(r for r in result["first_limits"] if r["limit"] == "Cloud Run regional CPU quota")
    assert quota["capacity"] == 400
    assert quota["reached_at"] == pytest.approx(10_368_000, rel=1e-6)
    assert "project.quotas.regions.asia-south1.cloud_run_cpu" in quota["formula"]


def test_pubsub_quota_sums_the_topics_of_a_region(tmp_path):
    """Two topics in one region share its publisher quota, stated here as 1 MB/s: each publishes 1M
    messages of 1 KiB a month at peak 4: 1e6 x 1024 B / 2,628,000 s (730 h) x 4 / 1e6 = 0.0015586 MB/s;
    together 0.0031172 MB/s at 1,000 users, so 1 MB/s is passed at 1,000 / 0.0031172 = 320,800 users."""
    topic = {"kind": "pubsub", "topics": ["events"], "messages_per_month": 1_000_000, "avg_message_kib": 1}
    path = write_plan(tmp_path, {"a": topic, "b": {**topic, "topics": ["orders"]}}, traffic=TRAFFIC,
                      project={"quotas": {"pubsub_publish_mb_per_s": 1}})
    result = scale(str(path), parse_points("1k,1M"))
    quota = next(r for r in result["first_limits"] if r["limit"] == "Pub/Sub regional publish quota")
    assert quota["component"] == "region asia-south1 (project)"
    per_topic = 1e6 * 1024 / (730 * 3600) * 4 / 1e6
    assert quota["reached_at"] == pytest.approx(1000 / (2 * per_topic), rel=1e-6)


def test_a_quota_for_an_unknown_region_is_one_line(tmp_path, capsys):
    path = write_plan(tmp_path, {"api": API}, traffic=TRAFFIC,
                      project={"quotas": {"regions": {"mars-north1": {"cloud_run_cpu": 10}}}})
    assert main(["scale", str(path), "--users", "1k"]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "mars-north1" in error and "unknown or unsupported region" in error


def test_gke_system_limits_reached_where_computed_by_hand(tmp_path, capsys):
    """GKE Standard's fixed limits (kubernetes-engine/quotas): 110 pods a node and 1,000 nodes per node pool
    per zone. Pods at U users: ceil(U / 648) (as above). Pods per node: 110 x max_nodes 6 = 660 pod slots,
    passed once U / 648 > 660, U > 427,680 (within 100k..500k). Nodes per pool per zone: ceil(pods / 3.92
    vCPU) nodes over the regional pool's 3 zones, above 1,000 once nodes > 3,000, pods > 11,760,
    U > 7,620,480: past the range, found on the last point's plan."""
    path = write_plan(tmp_path, {"gke": GKE_GROWING}, traffic=TRAFFIC)
    result = scale(str(path), [Decimal(100000), Decimal(500000)])
    fixed = {row["limit"].split(" (")[0]: row for row in result["gke_fixed_limits"]}
    pods = fixed["pods per node"]
    assert pods["component"] == "gke" and pods["capacity"] == 660 and pods["within_range"]
    assert pods["reached_at"] == pytest.approx(427680, rel=1e-6)
    zone = fixed["nodes per node pool per zone"]
    assert zone["component"] == "gke/p" and zone["capacity"] == 1000 and not zone["within_range"]
    assert zone["reached_at"] == pytest.approx(7620480, rel=1e-6)
    # at 500k: ceil(500,000 / 648) = 772 pods -> ceil(772 / 3.92) = 197 nodes -> ceil(197 / 3) = 66 a zone
    assert zone["used_at_point"] == 66
    assert main(["scale", str(path), "--users", "100k,500k"]) == 0
    table = capsys.readouterr().out
    assert "GKE Standard system limits" in table
    assert "gke: pods per node (110 a node, GKE Standard default) (660 pods) reached at 428k users" in table
    assert "gke/p: nodes per node pool per zone (1000 nodes a zone) reached at 7.62M users (past the range" in table
    assert "https://cloud.google.com/kubernetes-engine/quotas" in table


def test_pods_per_node_binds_before_the_pool_runs_out_of_cpu(tmp_path):
    """Small pods (0.03 vCPU, 16 MiB): the pool's CPU (6 x 3.92 = 23.52 vCPU) runs out above 784 pods,
    U > 783 x 648 = 507,384; 110 pods a node x 6 = 660 pods comes first, at U > 660 x 648 = 427,680. Both
    are passed by the 1M point; the first limit is the one reached at the lower load (HPA max 1,000 pods is
    gke/api's own). At 1M the load needs ceil(1,000,000 / 648) = 1,544 pods, but the HPA runs 1,000 at most:
    1,000 x 0.03 = 30 vCPU, still past the pool's 23.52."""
    small = {**GKE_GROWING, "deployments": [{**GKE_GROWING["deployments"][0], "cpu": 0.03, "memory": "16Mi",
                                             "max_replicas": 1000}]}
    path = write_plan(tmp_path, {"gke": small}, traffic=TRAFFIC)
    result = scale(str(path), [Decimal(100000), Decimal(1000000)])
    first = {row["component"]: row for row in result["first_limits"]}
    assert first["gke"]["limit"].startswith("pods per node")
    assert first["gke"]["reached_at"] == pytest.approx(427680, rel=1e-6)
    cpu = next(l for l in result["points"][1]["limits"] if l["limit"] == "node pool maximum (CPU)")
    assert cpu["exceeded"] and cpu["used"] == pytest.approx(1000 * 0.03)  # max_replicas, not the 1,544 needed


def test_a_eur_plan_is_shown_in_eur(tmp_path, capsys):
    """Money in the plan's currency at the rate `cost` uses, USD too in JSON; no INR for a EUR plan; a phase's
    claim in EUR is compared in EUR."""
    from archplan import catalog

    phases = [{"name": "all", "min_users": 0, "monthly_cost": {"low": 1, "high": 2, "currency": "EUR"}}]
    path = write_plan(tmp_path, {"api": {**API, "depends_on": ["cache"]}, "cache": CACHE}, traffic=TRAFFIC,
                      phases=phases, project={"currency": "EUR"})
    eur = catalog.exchange_rate("EUR").per_usd
    result = scale(str(path), [Decimal(1000), Decimal(2000)])
    point = result["points"][0]
    assert result["currency"] == "EUR" and result["exchange_rate"] == {
        "currency": "EUR", "per_usd": eur, "source": result["exchange_rate"]["source"]}
    assert point["total_eur"] == point["total_usd"] * eur and "total_inr" not in point
    claim = result["phases"][0]["claim"]
    assert claim["currency"] == "EUR" and claim["low"]["archplan"] == result["phases"][0]["low_usd"] * eur
    assert main(["scale", str(path), "--users", "1k,2k"]) == 0
    table = capsys.readouterr().out
    assert f"€{point['total_usd'] * eur:,.2f}" in table and "₹" not in table
    assert "stated €1.00 - €2.00" in table


def test_a_regional_pool_counts_the_nodes_created_not_planned(tmp_path):
    """A regional pool of `nodes: 1` is created with one node in each of its 3 zones (as `cost` prices it):
    3 x e2-standard-4 = 12 vCPU against the project's 10 vCPU CPUS quota, already at the lowest load (the
    planned count, 1 node = 4 vCPU, would pass). Without max_nodes the pool's maximum is those 3 nodes:
    3 x 3.92 vCPU allocatable = 11.76 vCPU (e2-standard-4: 4 - 0.06 - 0.01 - 2 x 0.005)."""
    gke = {**GKE_GROWING, "node_pools": [{"name": "p", "machine_type": "e2-standard-4", "nodes": 1}]}
    path = write_plan(tmp_path, {"gke": gke}, traffic=TRAFFIC, project={"quotas": {"compute_engine_cpus": 10}})
    result = scale(str(path), [Decimal(1000), Decimal(2000)])
    used = [next(l for l in p["limits"] if l["limit"] == "Compute Engine CPUS quota")["used"] for p in result["points"]]
    assert used == [12, 12]
    quota = next(r for r in result["first_limits"] if r["limit"] == "Compute Engine CPUS quota")
    assert quota["already_at_start"]
    cpu = next(l for l in result["points"][0]["limits"] if l["limit"] == "node pool maximum (CPU)")
    assert cpu["capacity"] == pytest.approx(3 * 3.92)
    assert result["points"][0]["nodes"][0]["max_nodes"] == 3


def test_a_plan_stating_requests_not_users_scales_by_requests_by_default(tmp_path, capsys):
    """traffic.requests_per_month 1M and no users: 1/10 to 100x of it, 1-2-5 steps, in requests a month
    (it was a usage error asking for --requests); no GKE rule for a plan without GKE Standard."""
    traffic = {"requests_per_month": 1_000_000, "peak_to_average": 4, "avg_request_kib": 1, "avg_response_kib": 4}
    path = write_plan(tmp_path, {"api": API}, traffic=traffic)
    assert main(["scale", str(path), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["measure"] == "requests"
    assert [p["load"] for p in result["points"]] == [100_000, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000,
                                                     10_000_000, 20_000_000, 50_000_000, 100_000_000]
    assert not any("GKE" in rule for rule in result["rules"])


@pytest.mark.parametrize("region, capacity", [("asia-south1", 50), ("us-central1", 200)])
def test_pubsub_quota_default_is_per_region(tmp_path, region, capacity):
    """With no stated quota, the region's default binds: 50 MB/s in a small region (Mumbai), 200 MB/s in a
    large one (Iowa). One topic of 1M messages of 1 KiB a month at 1,000 users, peak 4: 1e6 x 1024 B /
    2,628,000 s x 4 / 1e6 = 0.0015586 MB/s, so the quota is passed at 1,000 x capacity / 0.0015586 users:
    32,080,000 in Mumbai, 128,320,000 in Iowa."""
    topic = {"kind": "pubsub", "topics": ["events"], "messages_per_month": 1_000_000, "avg_message_kib": 1}
    path = write_plan(tmp_path, {"a": topic}, traffic=TRAFFIC, project={"region": region})
    result = scale(str(path), parse_points("1k,500M"))
    quota = next(r for r in result["first_limits"] if r["limit"] == "Pub/Sub regional publish quota")
    assert quota["capacity"] == capacity
    per_user = 1e6 * 1024 / (730 * 3600) * 4 / 1e6 / 1000
    assert quota["reached_at"] == pytest.approx(capacity / per_user, rel=1e-6)
    assert f"{region} is a {'small' if capacity == 50 else 'large'} region" in quota["formula"]


def test_set_load_copies_what_grows_and_shares_the_rest():
    """A load point changes a view of the parse, never the parse: a component that grows is a grown copy, one
    with nothing that grows stays the parse's own body (its validated model is reused) and, remembered in
    `steady`, is not walked again."""
    import copy

    from archplan.scale.load import set_load

    queue = {"kind": "pubsub", "topics": ["a"], "messages_per_month": 100, "free_gb_per_month": 1}
    parsed = {"traffic": {"monthly_active_users": 1000}, "components": {"q": queue, "db": {"kind": "cloud_sql"}}}
    as_parsed = copy.deepcopy(parsed)
    steady: dict = {}
    for factor in (Decimal(3), Decimal(5)):
        view = {**parsed, "traffic": dict(parsed["traffic"]), "components": dict(parsed["components"])}
        scaled: list[str] = []
        set_load(view, factor, None, scaled, steady)
        assert parsed == as_parsed  # the parse is as it was
        assert view["components"]["db"] is parsed["components"]["db"] and list(steady) == [id(parsed["components"]["db"])]
        assert view["components"]["q"]["messages_per_month"] == 100 * factor  # 100 a month x the factor
        assert view["components"]["q"]["free_gb_per_month"] == 1  # a free allowance does not grow
        assert view["traffic"]["monthly_active_users"] == 1000 * factor
        assert scaled == ["components.q.messages_per_month"] and list(view["components"]) == ["q", "db"]


def test_a_vm_running_part_of_the_month_keeps_its_hours_at_every_load(tmp_path, capsys):
    """hours_per_month is how long a VM runs (at most 730 h), not a volume that grows with users: at 10x the
    users the 200 h VM still runs 200 h (it grew to 2,000 h, above the 730 h limit, so `validate` rejected
    the plan and `scale` stopped). The 200 h on an n2-standard-4 in asia-south1: the first 182.5 h at the
    on-demand rate, the next 17.5 h at 1 - 2/3 x the full-month discount."""
    vm = {"kind": "compute_engine", "machine_type": "n2-standard-4", "hours_per_month": 200}
    path = write_plan(tmp_path, {"api": API, "batch": vm}, traffic=TRAFFIC)
    assert main(["validate", str(path)]) == 0
    result = scale(str(path), [Decimal(1000), Decimal(10000)])
    on_demand = rate("compute_engine", "instance/n2-standard-4")
    full_month = 1 - rate("compute_engine", "instance/n2-standard-4/sud") / on_demand
    paid_hours = Decimal("182.5") + Decimal("17.5") * (1 - full_month * 2 / 3)
    for point in result["points"]:
        batch = next(c for c in point["components"] if c["component"] == "batch")
        assert abs(Decimal(batch["usd"]) - (paid_hours * on_demand + 10 * rate("compute_engine", "pd_balanced"))) \
            <= Decimal("0.01"), point["load"]  # and 10 GiB of boot disk
    assert not any("hours_per_month" in field for field in result["scaled_fields"])


def test_a_gpu_deployments_pool_grows_with_its_pods(tmp_path):
    """A model server pinned to a g2-standard-8 pool (one L4 a node) and an API on an e2-standard-4 pool:
    the model's pods grow the GPU pool, not the first pool (found by a trial: scale put every pod on the first
    pool, so the GPU nodes the load needs were never priced). Pods at U users: peak U / 216 req/s x 0.4 s /
    (4 a pod x 60%) = U / 1,296, rounded up; nodes: pods x (6 vCPU, 24 GiB) over a g2-standard-8's 7.91 vCPU
    and 28.34 GiB allocatable (32 GB less 1 + 0.8 + 0.8 + 16 x 0.06 and 100 MiB), rounded up. 1k users: 1
    pod, 1 node, the 3 created stay; 5k: 4 pods, 96 / 28.34 -> 4 nodes, one more g2-standard-8 for 730 h
    with its 100 GiB boot disk and, the nodes not being private, its external IP for 730 h (max_nodes is the
    pool's total, so the autoscaler adds one node, not one in each zone: scale priced 6, cost's count for a
    pool of `nodes: 4`); 10k: 8 pods, 192 / 28.34 -> 7 nodes, capped at max_nodes 6: two more. The API's 2
    pods need 1 e2-standard-4 of the 3 created."""
    gke = {"kind": "gke", "mode": "standard", "location_type": "regional",
           "node_pools": [{"name": "cpu", "machine_type": "e2-standard-4", "nodes": 3},
                          {"name": "gpu", "machine_type": "g2-standard-8", "nodes": 3, "max_nodes": 6}],
           "deployments": [{"name": "api", "replicas": 2, "cpu": 1, "memory": "2Gi"},
                           {"name": "model", "replicas": 1, "max_replicas": 12, "cpu": 6, "memory": "24Gi",
                            "node_pool": "gpu", "gpus": 1, "concurrency": 4, "request_duration_ms": 400,
                            "traffic_share": 1}]}
    path = write_plan(tmp_path, {"gke": gke}, traffic=BURST)
    result = scale(str(path), [Decimal(1000), Decimal(5000), Decimal(10000)])
    pools = [{p["pool"]: p["nodes_needed"] for p in point["nodes"][0]["pools"]} for point in result["points"]]
    assert pools == [{"cpu": 1, "gpu": 1}, {"cpu": 1, "gpu": 4}, {"cpu": 1, "gpu": 7}]
    cluster = [Decimal(next(c["usd"] for c in point["components"] if c["component"] == "gke"))
               for point in result["points"]]
    node = 730 * (rate("compute_engine", "instance/g2-standard-8/sud") + rate("compute_engine", "external_ip_in_use")) \
        + 100 * rate("compute_engine", "pd_balanced")
    # billed on the day's mean (BURST): (4 + 3 x 3) / 4 = 3.25 nodes at 5k (4 at the peak, not 6), (6 + 9) / 4
    # = 3.75 at 10k (6 at the peak, not 7)
    assert abs(cluster[1] - cluster[0] - node / 4) <= Decimal("0.01")
    assert abs(cluster[2] - cluster[1] - node / 2) <= Decimal("0.01")
    assert [[p["nodes"] for p in point["nodes"][0]["pools"]] for point in result["points"]] == [[3, 3], [3, 4], [3, 6]]


def test_pods_pinned_to_a_node_pool_are_limited_by_that_pool_alone(tmp_path):
    """web is pinned to `general` (6 x n2-standard-4 at most, 3.92 vCPU allocatable a node = 23.52 vCPU); the
    spot `batch` pool's 4 nodes cannot take its pods. Peak RPS at U users: U x 200 x (730/24) / (730 x 3600) x 3
    = U / 144; pods at 60%: U / 144 x 0.09 s / (20 x 0.6) = U / 19,200, rounded up, 1 vCPU each (worker's 1 vCPU
    is on batch): general runs out at 24 pods, once U / 19,200 > 23, at 441,600 users (scale counted both pools,
    39.2 vCPU, and put it at 730k, against check's CAP-050 on general alone)."""
    path = write_plan(tmp_path, {
        "lb": {"kind": "load_balancer", "depends_on": ["gke"]},
        "gke": {"kind": "gke", "mode": "standard", "location_type": "regional", "node_pools": [
            {"name": "general", "machine_type": "n2-standard-4", "nodes": 2, "min_nodes": 2, "max_nodes": 6},
            {"name": "batch", "machine_type": "e2-standard-4", "nodes": 1, "min_nodes": 0, "max_nodes": 4,
             "spot": True}],
            "deployments": [
                {"name": "web", "replicas": 4, "max_replicas": 1000, "cpu": 1, "memory": "1Gi", "public": True,
                 "request_duration_ms": 90, "traffic_share": 1, "concurrency": 20, "node_pool": "general"},
                {"name": "worker", "replicas": 1, "cpu": 1, "memory": "1Gi", "node_pool": "batch"}]}},
        traffic={"daily_active_users": 30000, "requests_per_user_per_day": 200, "peak_to_average": 3,
                 "avg_request_kib": 3, "avg_response_kib": 25})
    result = scale(str(path), parse_points("10k,1M"))
    first = {(row["component"], row["limit"]): row for row in result["first_limits"]}
    row = first[("gke", "node pool maximum (CPU general)")]
    assert row["reached_at"] == pytest.approx(23 * 19_200, rel=1e-6)
    (point,) = [p for p in result["points"] if p["load"] == 1_000_000]
    pools = {p["pool"]: p for p in point["nodes"][0]["pools"]}
    assert pools["general"]["exceeded"] and pools["general"]["max_nodes"] == 6 and not pools["batch"]["exceeded"]


def test_loads_in_requests_say_the_phases_are_not_applied(tmp_path):
    """Found by review: --requests priced every point without the plan's phases (ranges of users) and said
    nothing, so the same load cost less than with --users."""
    path = write_plan(tmp_path, {"api": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 50}},
                      traffic={"daily_active_users": 1000, "requests_per_user_per_day": 10},
                      phases=[{"name": "a", "min_users": 0, "max_users": 5000},
                              {"name": "b", "min_users": 5000, "components": {"api": {"min_instances": 2}}}])
    by_requests = scale(str(path), parse_points("1M,10M"), measure="requests")
    assert any("phases are ranges of users" in rule for rule in by_requests["rules"])
    assert all(point["phase"] is None for point in by_requests["points"])
    by_users = scale(str(path), parse_points("1k,10k"))
    assert not any("phases are ranges of users" in rule for rule in by_users["rules"])
    assert [point["phase"] for point in by_users["points"]] == ["a", "b"]


def test_a_long_limit_label_stays_inside_the_pictures_axes(tmp_path):
    """A limit reached in the right of the picture wrote its component's name rightwards, over the right
    axis and off the figure."""
    from archplan.scale.chart import _figure
    from tests.conftest import EXAMPLES

    text = (EXAMPLES / "starter.yaml").read_text().replace("  api:", "  platform-integration-service-eu:") \
        .replace("depends_on: [api]", "depends_on: [platform-integration-service-eu]")
    plan = tmp_path / "long.yaml"
    plan.write_text(text)
    result = scale(str(plan), parse_points("1k..10M"))
    assert result["first_limits"][0]["reached_at"] > 1e6  # in the right two fifths of 1k..10M
    figure, pyplot = _figure(result)
    renderer = figure.canvas.get_renderer()
    axes = figure.axes[0]
    label = next(t for t in axes.texts if "platform-integration-service-eu" in t.get_text())
    inside, box = axes.get_window_extent(renderer), label.get_window_extent(renderer)
    pyplot.close(figure)
    assert inside.x0 <= box.x0 and box.x1 <= inside.x1


def test_an_autopilot_cluster_is_priced_on_the_pods_the_load_runs(tmp_path):
    """Autopilot bills the pods' requests; scale priced the replicas written at every load. Pods at U users:
    peak U / 216 req/s x 0.2 s / (1 x 60%) = U / 648, rounded up, at least 2, at most max_replicas 10 (a public
    deployment without traffic_share sees all requests, as a Cloud Run service does). 1k users: 2 pods; 5k:
    ceil(7.72) = 8; 20k: 31 needed, 10 run. Each pod 1 vCPU / 2 GiB for 730 h; the Autopilot fee is free (the
    cluster-management credit). A month bills the pods' mean over the day (BURST)."""
    gke = {"kind": "gke", "mode": "autopilot",
           "deployments": [{"name": "api", "replicas": 2, "max_replicas": 10, "cpu": 1, "memory": "2Gi",
                            "request_duration_ms": 200, "public": True}]}
    path = write_plan(tmp_path, {"gke": gke}, traffic=BURST)
    result = scale(str(path), [Decimal(1000), Decimal(5000), Decimal(20000)])
    vcpu, gib = rate("gke", "autopilot_vcpu"), rate("gke", "autopilot_memory")
    # billed on the day's mean (BURST): (peak + 3 x 2 replicas) / 4: 2, (8 + 6) / 4 = 3.5, (10 + 6) / 4 = 4
    for point, pods in zip(result["points"], (2, Decimal("3.5"), 4)):
        assert point["pods"][0]["pod_vcpu"] == pods and point["pods"][0]["pod_memory_gib"] == 2 * pods
        assert abs(_gke_usd(point) - pods * 730 * (vcpu + 2 * gib)) < Decimal("0.000001")
    assert "(its max_replicas; the load needs 31)" in result["points"][2]["pods"][0]["formula"]
    assert [row["limit"] for row in result["first_limits"]] == ["HPA max replicas"]
