"""Plans that span regions, checked against figures computed by hand from the catalog's unit prices:
inter-region transfer, cross-region replicas, regions in parallel behind a load balancer with failover, and
recovery time and point per failure scenario."""
from decimal import Decimal

import pytest

from archplan import catalog
from archplan.analysis.cost import cost_report
from archplan.check import availability, capacity
from archplan.check import run as run_checks
from archplan.errors import SpecError
from archplan.plan import resolve
from archplan.pricing.inter_region import rate_sku
from archplan.spec.load import load_spec

BASE = """\
project: {name: events, region: asia-south1}
traffic: {requests_per_month: 10000000, avg_request_kib: 2, avg_response_kib: 8}
components:
  api-mumbai: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 100, traffic_share: 0.5, depends_on: [db]}
  api-delhi: {kind: cloud_run, region: asia-south2, cpu: 1, memory: 512Mi, request_duration_ms: 100,
              traffic_share: 0.5, depends_on: [db]}
  db:
    kind: cloud_sql
    engine: postgres
    tier: db-custom-2-7680
    storage_gb: 100
    ha: true
    backups: {enabled: true, pitr: true}
    cross_region_replicas: [%(replica)s]
  lb: {kind: load_balancer, depends_on: [api-mumbai, api-delhi]%(lb)s}
"""
REPLICA = "{region: asia-south2, replication_gib_per_month: 50}"


def _plan(tmp_path, text):
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return resolve(load_spec(path, None, catalog.supported_regions()))


def _lines(report, component, word):
    return [i for i in report.line_items if i.component == component and word in i.description]


def test_inter_region_rate_by_continent():
    # Infracost's Billing-Catalog rates (2024 prices): within Asia 0.08, Europe 0.02, North America 0.02,
    # Indonesia and Oceania 0.10 (Sydney -> Jakarta), between continents 0.08; to or from Oceania or Jakarta
    # across continents 0.15 (skyplane's older transcription, no newer row)
    assert rate_sku("asia-south1", "asia-south2") == "within_asia"
    assert rate_sku("europe-west1", "europe-west4") == "within_europe"
    assert rate_sku("us-central1", "us-east1") == "within_north_america"
    assert rate_sku("us-central1", "europe-west1") == "intercontinental"
    assert rate_sku("asia-southeast2", "us-central1") == "intercontinental_oceania"
    assert rate_sku("asia-southeast2", "asia-southeast1") == "intercontinental_oceania"
    assert rate_sku("australia-southeast1", "asia-southeast2") == "within_oceania"
    book = catalog.service("inter_region")
    assert [book.price(sku, "global").usd for sku in ("within_asia", "within_north_america", "within_oceania")] \
        == [Decimal("0.08"), Decimal("0.02"), Decimal("0.10")]


def test_cross_region_calls_are_priced_by_direction(tmp_path):
    plan = _plan(tmp_path, BASE % {"replica": REPLICA, "lb": ", failover: active-active"})
    report = cost_report(plan)
    # api-delhi serves 10,000,000 x 0.5 = 5,000,000 requests; each calls db in Mumbai once, sending 2 KiB and
    # receiving 8 KiB: 5,000,000 x 10 KiB / 1,048,576 = 47.6837 GiB, 2/10 of it Delhi -> Mumbai, 8/10 back.
    calls = _lines(report, "api-delhi", "calls to db")[0]
    responses = _lines(report, "api-delhi", "responses from db")[0]
    total_gib = Decimal(5_000_000) * 10 / 1_048_576
    assert calls.quantity == total_gib * Decimal("0.2")
    assert responses.quantity == total_gib * Decimal("0.8")
    # 47.6837 GiB x $0.08 = $3.8147
    assert round(calls.monthly_usd + responses.monthly_usd, 4) == Decimal("3.8147")
    # api-mumbai calls db in its own region: no transfer charge
    assert not _lines(report, "api-mumbai", "calls to db")


def test_cross_region_replica_is_priced_in_its_region_with_replication(tmp_path):
    plan = _plan(tmp_path, BASE % {"replica": REPLICA, "lb": ", failover: active-active"})
    report = cost_report(plan)
    replica = _lines(report, "db", "cross-region replica 1 (asia-south2)")
    book = catalog.service("cloud_sql")
    vcpu = next(i for i in replica if i.sku == "enterprise_vcpu")
    memory = next(i for i in replica if i.sku == "enterprise_memory")
    storage = next(i for i in replica if i.sku == "storage_ssd")
    # zonal replica: 2 vCPU x 730 h = 1,460 vCPU-hours, 7.5 GB x 730 = 5,475 GB-hours, 100 GB of SSD,
    # each at the asia-south2 unit price
    assert (vcpu.quantity, memory.quantity, storage.quantity) == (1460, Decimal("5475.0"), 100)
    assert vcpu.monthly_usd == 1460 * book.price("enterprise_vcpu", "asia-south2").usd
    assert storage.monthly_usd == 100 * book.price("storage_ssd", "asia-south2").usd
    shipped = _lines(report, "db", "replication to the cross-region replica")[0]
    assert shipped.monthly_usd == Decimal("4.00")  # 50 GiB x $0.08 within Asia


def test_replication_defaults_to_the_stored_data_as_a_stated_assumption(tmp_path):
    plan = _plan(tmp_path, BASE % {"replica": "{region: asia-south2}", "lb": ", failover: active-active"})
    report = cost_report(plan)
    shipped = _lines(report, "db", "replication to the cross-region replica")[0]
    assert shipped.quantity == 100 and shipped.monthly_usd == Decimal("8.00")  # 100 GiB x $0.08
    assert any("replication_gib_per_month" in a for a in report.assumptions)


def test_memorystore_secondary_cluster_nodes_in_its_region(tmp_path):
    text = BASE % {"replica": REPLICA, "lb": ", failover: active-active"} + """\
  cache: {kind: memorystore_valkey, node_type: standard-small, shards: 3, replicas_per_shard: 1,
          cross_region_replicas: [{region: asia-south2, replication_gib_per_month: 20}]}
"""
    report = cost_report(_plan(tmp_path, text))
    secondary = _lines(report, "cache", "secondary cluster 1")[0]
    # 3 shards x (1 primary + 1 replica) = 6 nodes x 730 h = 4,380 node-hours at the Delhi price
    assert secondary.quantity == 4380
    assert secondary.monthly_usd == 4380 * catalog.service("memorystore_valkey").price(
        "node/standard-small", "asia-south2").usd
    assert _lines(report, "cache", "replication")[0].monthly_usd == Decimal("1.60")  # 20 GiB x $0.08


@pytest.mark.parametrize("turbo, expected", [("false", Decimal("0.80")), ("true", Decimal("0.80"))])
def test_dual_region_replication_and_turbo(tmp_path, turbo, expected):
    text = BASE % {"replica": REPLICA, "lb": ", failover: active-active"} + f"""\
  docs: {{kind: cloud_storage, location_type: dual-region, location: asia1, storage_gb: 100,
          written_gb_per_month: 10, turbo_replication: {turbo}}}
"""
    report = cost_report(_plan(tmp_path, text))
    # 10 GiB written x $0.08 (Tokyo-Osaka, within Asia); turbo's premium has no citable figure: not added,
    # and the line says so rather than inventing one
    line = _lines(report, "docs", "replication of writes")[0]
    assert line.monthly_usd == expected
    assert ("premium over default replication is not priced" in " ".join(line.notes)) == (turbo == "true")


def test_a_stated_turbo_premium_is_priced_per_gib_written_with_its_source(tmp_path):
    text = BASE % {"replica": REPLICA, "lb": ", failover: active-active"} + """\
  docs: {kind: cloud_storage, location_type: dual-region, location: asia1, storage_gb: 100,
          written_gb_per_month: 10, turbo_replication: true, turbo_premium_usd_per_gib: 0.025,
          turbo_premium_source: our price list}
"""
    report = cost_report(_plan(tmp_path, text))
    assert _lines(report, "docs", "replication of writes")[0].monthly_usd == Decimal("0.80")  # 10 GiB x $0.08
    premium = _lines(report, "docs", "Turbo replication premium")[0]
    assert premium.monthly_usd == Decimal("0.25")  # 10 GiB x $0.025, as the plan states
    assert "our price list" in " ".join(report.assumptions)
    with pytest.raises(SpecError, match="turbo_premium_usd_per_gib prices turbo replication"):
        _plan(tmp_path, text.replace("turbo_replication: true", "turbo_replication: false"))


def test_active_active_regions_compose_in_parallel(tmp_path):
    result = availability.analyse(_plan(tmp_path, BASE % {"replica": REPLICA, "lb": ", failover: active-active"}))
    [path] = [e for e in result.entries if e.kind == "request"]
    # lb 99.99% x db (HA) 99.95% x (1 - (1 - 0.9995) x (1 - 0.9995)) for the two Cloud Run regions
    expected = 0.9999 * 0.9995 * (1 - 0.0005 * 0.0005) * 100
    assert path.percent == pytest.approx(expected, abs=1e-9)
    assert "active-active" in path.name and "asia-south2" in path.expression


def test_regions_behind_an_attached_cloud_armor_policy_fail_over(tmp_path):
    """The two regions' services reached through a Cloud Armor policy attached by its load_balancer field: the
    failover rule read the balancer's own depends_on only (none here) and refused the plan as one region, while
    generate and the availability read the policy's backends too."""
    text = BASE % {"replica": REPLICA, "lb": ", failover: active-active"}
    text = text.replace("lb: {kind: load_balancer, depends_on: [api-mumbai, api-delhi]",
                        "armor: {kind: cloud_armor, load_balancer: lb, depends_on: [api-mumbai, api-delhi]}\n"
                        "  lb: {kind: load_balancer")
    result = availability.analyse(_plan(tmp_path, text))
    [path] = [e for e in result.entries if e.kind == "request"]
    assert "active-active" in path.name and path.alternatives == [["api-mumbai"], ["api-delhi"]]


@pytest.mark.parametrize("trigger, failover_minutes", [("", 31.0), (", failover_trigger: manual", 31.0),
                                                      (", failover_minutes: 5", 5.0)])
def test_active_passive_pays_the_failover_time_per_failure(tmp_path, trigger, failover_minutes):
    lb = f", failover: active-passive{trigger}"
    result = availability.analyse(_plan(tmp_path, BASE % {"replica": REPLICA, "lb": lb}))
    [path] = [e for e in result.entries if e.kind == "request"]
    # failures of the serving region = its downtime / 60 min per outage (assumed); each costs the failover
    # time (manual, the only trigger active-passive has: 30 min to decide + 1 min; or failover_minutes) while
    # the standby region is up
    u1 = u2 = 0.0005
    block_down = u1 * u2 + u1 * failover_minutes / 60 * (1 - u2)
    assert path.percent == pytest.approx(0.9999 * 0.9995 * (1 - block_down) * 100, abs=1e-9)


def _rows(result, component, scenario):
    return [r for r in result.recovery if r.component == component and r.scenario == scenario]


@pytest.mark.parametrize("replica, rto, rpo", [
    ("{region: asia-south2}", 40.0, 1.0),  # manual: 30 min decision + 10 min promotion; 60 s lag
    ("{region: asia-south2, promotion: automatic, promotion_minutes: 5, lag_seconds: 30}", 5.0, 0.5),
])
def test_region_outage_recovery_from_the_replica(tmp_path, replica, rto, rpo):
    result = availability.analyse(_plan(tmp_path, BASE % {"replica": replica, "lb": ", failover: active-active"}))
    [row] = _rows(result, "db", "region outage")
    assert (row.rto_minutes, row.rpo_minutes) == (rto, rpo)
    # data corruption replicates to the replica: still a point-in-time restore (PITR, 5 min assumed)
    [corruption] = _rows(result, "db", "data corruption")
    assert corruption.rpo_minutes == 5.0
    table = {r.scenario: r for r in result.scenarios}
    assert table["region outage"].rto_minutes == rto and table["region outage"].worst_rto == "db"
    assert table["bad deploy"].rpo_minutes == 5.0


def test_turbo_bucket_sets_the_region_outage_rpo(tmp_path):
    text = BASE % {"replica": REPLICA, "lb": ", failover: active-active"} + """\
  docs: {kind: cloud_storage, location_type: dual-region, location: asia1, storage_gb: 100, turbo_replication: true}
"""
    result = availability.analyse(_plan(tmp_path, text))
    [row] = _rows(result, "docs", "region outage")
    assert (row.rto_minutes, row.rpo_minutes) == (0.0, 15.0)  # Google's 15-minute turbo target


def test_single_region_plan_has_no_scenario_table(tmp_path):
    text = (BASE % {"replica": "", "lb": ""}).replace("region: asia-south2, ", "")
    result = availability.analyse(_plan(tmp_path, text))
    assert result.scenarios == [] and all(e.expression is None for e in result.entries)


def test_failover_over_one_region_is_a_one_line_error(tmp_path):
    text = (BASE % {"replica": REPLICA, "lb": ", failover: active-passive"}).replace("region: asia-south2, cpu", "cpu")
    with pytest.raises(SpecError) as caught:
        _plan(tmp_path, text)
    message = str(caught.value)
    assert "components.lb.failover" in message and "two or more regions" in message and "\n" not in message


def test_replica_where_the_service_is_not_sold_is_a_one_line_error(tmp_path):
    text = BASE % {"replica": REPLICA, "lb": ", failover: active-active"} + """\
  cache: {kind: memorystore_redis_cluster, node_type: redis-standard-small, shards: 1,
          cross_region_replicas: [{region: europe-north2}]}
"""
    with pytest.raises(SpecError) as caught:
        _plan(tmp_path, text)
    message = str(caught.value)
    assert "components.cache.cross_region_replicas[0].region" in message and "not sold in europe-north2" in message


FAILOVER = """\
project: {name: shop, region: europe-west1}
traffic: {requests_per_month: 3000000, avg_request_kib: 2, avg_response_kib: 20}
components:
  lb: {kind: load_balancer, failover: %(mode)s, depends_on: [web-a, web-b]}
  web-a: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 200, min_instances: 1, depends_on: [api-a]}
  web-b: {kind: cloud_run, region: europe-west4, cpu: 1, memory: 512Mi, request_duration_ms: 200, min_instances: 1%(share)s,
          depends_on: [api-b]}
  api-a: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 100, depends_on: [core]}
  api-b: {kind: cloud_run, region: europe-west4, cpu: 1, memory: 512Mi, request_duration_ms: 100, depends_on: [core]}
  core: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50}
"""


def _requests(plan, name):
    return plan.component(name).usage["requests"]


def test_active_passive_standby_serves_nothing_and_pays_its_minimum(tmp_path):
    plan = _plan(tmp_path, FAILOVER % {"mode": "active-passive", "share": ""})
    # europe-west1 (the first backend's region) serves all 3,000,000 requests; europe-west4's path stands by
    assert _requests(plan, "web-a") == _requests(plan, "api-a") == Decimal(3_000_000)
    assert _requests(plan, "web-b") == _requests(plan, "api-b") == 0
    assert _requests(plan, "core") == Decimal(3_000_000)  # every region's path waits on it: all the traffic
    report = cost_report(plan)
    book = catalog.service("cloud_run")
    standby = [i for i in report.line_items if i.component == "web-b"]
    # idle: no busy seconds or requests; the one min instance idles all month: 730 x 3600 = 2,628,000 s,
    # 1 vCPU and 0.5 GiB at the europe-west4 idle prices
    assert all(i.monthly_usd == 0 for i in standby if "Idle" not in i.description)
    idle_cpu = book.price("cpu_idle_min_instance", "europe-west4").usd * 2_628_000
    idle_memory = book.price("memory_idle_min_instance", "europe-west4").usd * 2_628_000 * Decimal("0.5")
    assert sum(i.monthly_usd for i in standby) == idle_cpu + idle_memory
    lines = [a for a in plan.assumptions if a.startswith("web-b: requests = 3,000,000 x 0 = 0")]
    assert lines and "stands by until failover" in lines[0] and "priced idle" in lines[0]
    assert not any(a.startswith("core: requests =") for a in plan.assumptions)  # not split: no fraction


def test_active_active_splits_the_requests_across_regions(tmp_path):
    plan = _plan(tmp_path, FAILOVER % {"mode": "active-active", "share": ""})
    # two regions, an even split: 3,000,000 x 1/2 = 1,500,000 for each region's own path
    for name in ("web-a", "web-b", "api-a", "api-b"):
        assert _requests(plan, name) == Decimal(1_500_000)
    assert _requests(plan, "core") == Decimal(3_000_000)  # 1/2 + 1/2: both regions call it
    assert any(a.startswith("api-b: requests = 3,000,000 x 1/2 = 1,500,000 (lb is active-active over "
                            "europe-west1, europe-west4") for a in plan.assumptions)


def test_a_stated_traffic_share_on_the_standby_is_kept_and_questioned(tmp_path):
    plan = _plan(tmp_path, FAILOVER % {"mode": "active-passive", "share": ", traffic_share: 1"})
    assert _requests(plan, "web-b") == Decimal(3_000_000)
    assert any(a.startswith("web-b: traffic_share 1 is priced as stated, although lb is active-passive")
               for a in plan.assumptions)


def test_a_plan_without_failover_keeps_its_shares(tmp_path):
    plan = _plan(tmp_path, (FAILOVER % {"mode": "active-passive", "share": ""}).replace(
        "failover: active-passive, ", ""))
    assert all(_requests(plan, name) == Decimal(3_000_000) for name in ("web-a", "web-b", "api-b", "core"))


def test_a_standby_is_checked_at_the_load_it_takes_after_failover(tmp_path):
    plan = _plan(tmp_path, FAILOVER % {"mode": "active-passive", "share": ""})
    loads = {s.name: s for s in capacity.analyse(plan).services}
    # priced idle (0 requests) but sized for the primary's load: 3,000,000 / 2,628,000 s = 1.1416 req/s average
    assert plan.component("web-b").usage["requests"] == 0
    assert round(loads["web-b"].avg_rps, 4) == round(3_000_000 / 2_628_000, 4) == round(loads["web-a"].avg_rps, 4)
    assert any("checked at the load it takes after a failover" in a for a in loads["web-b"].assumptions)


def test_a_standby_stated_at_traffic_share_0_is_checked_at_the_load_it_takes_after_failover(tmp_path):
    """traffic_share: 0 says what an unset share already means for a standby (it serves nothing until failover):
    it was checked at 0 req/s, so a standby capped far below the primary's load passed. 3,000,000 / 2,628,000 s
    = 1.1416 req/s average, as web-a's."""
    plan = _plan(tmp_path, FAILOVER % {"mode": "active-passive", "share": ", traffic_share: 0"})
    loads = {s.name: s for s in capacity.analyse(plan).services}
    assert plan.component("web-b").usage["requests"] == 0  # priced idle
    assert round(loads["web-b"].avg_rps, 4) == round(3_000_000 / 2_628_000, 4) == round(loads["web-a"].avg_rps, 4)
    assert any(a.startswith("traffic_share 0: web-b is an active-passive standby") for a in loads["web-b"].assumptions)


def test_a_bucket_region_outage_rpo_gets_advice_that_applies_to_it(tmp_path):
    # turbo replication's 15-minute target is above a 5-minute RPO: HA and point-in-time recovery (the advice
    # for a database) do nothing for a bucket when a region is lost
    text = BASE % {"replica": REPLICA, "lb": ", failover: active-active"} + """\
  docs: {kind: cloud_storage, location_type: dual-region, location: asia1, storage_gb: 100, turbo_replication: true}
slo: {rpo_minutes: 5}
claims:
  - {id: rpo, kind: rpo_minutes, value: 5, scenario: region outage}
"""
    report = run_checks(_plan(tmp_path, text))
    by_code = {f.id: f for f in report.findings}
    for code in ("AVAIL-004", "CLAIM-061"):
        assert by_code[code].component in ("docs", None)
        assert "write each object to a bucket in each region" in by_code[code].fix
        assert "point-in-time" not in by_code[code].fix


def test_automatic_active_passive_is_a_one_line_error(tmp_path):
    # archplan's active-passive serves from the first region and its runbook moves traffic; the global load
    # balancer has no standby that takes over by itself (automatic failover is active-active)
    with pytest.raises(SpecError) as caught:
        _plan(tmp_path, BASE % {"replica": REPLICA, "lb": ", failover: active-passive, failover_trigger: automatic"})
    message = str(caught.value)
    assert "components.lb.failover_trigger" in message and "use failover: active-active" in message
    assert "\n" not in message
