"""Composite availability and downtime worked by hand from the catalog's SLA figures."""
import pytest

from tests.check.conftest import ids

RUN = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 100, "requests_per_month": 1000}


def test_series_along_the_request_path(check):
    report = check({
        "lb": {"kind": "load_balancer", "data_processed_gb_per_month": 1, "depends_on": ["api"]},
        "api": {**RUN, "depends_on": ["db", "cache", {"name": "mail", "critical": False}]},
        "db": {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-2-7680", "storage_gb": 10, "ha": True},
        "cache": {"kind": "memorystore_redis", "tier": "standard", "capacity_gb": 1},
        "mail": {"kind": "external", "provider": "X", "service": "email", "items": [
            {"description": "m", "unit": "mail", "unit_price": 0, "currency": "USD", "quantity_per_month": 1}]},
        "logs": {"kind": "cloud_logging", "ingestion_gb_per_month": 1},
    }, slo={"availability_percent": 99.95})
    a = report.availability
    assert a.path == ["lb", "api", "db", "cache"]  # the soft dependency and operations are off the path
    expected = 0.9999 * 0.9995 * 0.9995 * 0.999
    assert a.composite_percent == pytest.approx(expected * 100)
    assert a.downtime_minutes_per_month == pytest.approx((1 - expected) * 43800)
    assert a.downtime_minutes_per_year == pytest.approx((1 - expected) * 525600)
    assert a.error_budget_minutes_per_month == pytest.approx(0.0005 * 43800)  # 21.9 min
    assert a.dominant == "cache"
    assert ids(report, "AVAIL-001")  # 99.79% < 99.95%


def test_no_sla_configuration_is_assumed_and_said(check):
    report = check({"api": {**RUN, "depends_on": ["db"]},
                    "db": {"kind": "cloud_sql", "engine": "mysql", "tier": "db-f1-micro", "storage_gb": 10}})
    db = report.availability.components["db"]
    assert db.basis == "assumed" and db.percent == pytest.approx(99.9)
    assert ids(report, "AVAIL-002")[0].component == "db"


def test_override_with_availability_percent(check):
    report = check({"api": {**RUN, "depends_on": ["db"]},
                    "db": {"kind": "cloud_sql", "engine": "mysql", "tier": "db-f1-micro", "storage_gb": 10,
                           "availability_percent": 99.0}})
    assert report.availability.components["db"].basis == "stated"
    assert report.availability.composite_percent == pytest.approx(99.95 * 0.99)


@pytest.mark.parametrize("count", [2, 3, 5])
def test_several_vms_take_the_multiple_zones_sla(check, count):
    """https://cloud.google.com/compute/sla: "Instances in Multiple Zones >= 99.99%" (the catalog's
    compute_engine_multi_zone), not 1 - 0.001^n (99.9999% for two), which Google publishes nowhere."""
    report = check({"vms": {"kind": "compute_engine", "machine_type": "e2-standard-2", "count": count}})
    vms = report.availability.components["vms"]
    assert vms.percent == pytest.approx(99.99) and vms.basis == "sla"
    assert vms.configuration.startswith(f"{count} VMs in multiple zones")


def test_one_vm_takes_the_single_instance_sla(check):
    report = check({"vm": {"kind": "compute_engine", "machine_type": "e2-standard-2"}})
    assert report.availability.components["vm"].percent == pytest.approx(99.9)


def test_recovery_objectives(check):
    report = check({"api": {**RUN, "depends_on": ["db"]},
                    "db": {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-1-3840", "storage_gb": 10,
                           "backups": {"pitr": False}}},
                   slo={"rto_minutes": 30, "rpo_minutes": 15})
    rows = report.availability.recovery
    assert rows[0].rpo_minutes == 24 * 60  # daily backups only
    assert ids(report, "AVAIL-003") and ids(report, "AVAIL-004")


def test_recovery_fix_answers_each_late_scenario(check):
    # an HA database with PITR misses a 30-min RTO on data corruption and a region outage (60 min each,
    # assumed): HA is already on and helps neither, so the fix must not ask for it
    db = {"kind": "cloud_sql", "engine": "mysql", "tier": "db-custom-2-7680", "storage_gb": 10, "ha": True,
          "backups": {"pitr": True}}
    report = check({"api": {**RUN, "depends_on": ["db"]}, "db": db}, slo={"rto_minutes": 30})
    [finding] = ids(report, "AVAIL-003")
    assert "HA with automatic failover" not in finding.fix
    assert finding.fix.startswith("db, data corruption: HA and replicas copy a bad write at once")
    assert "; db, region outage: " in finding.fix and "cross-region replica" in finding.fix
    # a zonal database's zone outage is still answered with HA
    report = check({"api": {**RUN, "depends_on": ["db"]}, "db": {**db, "ha": False}}, slo={"rto_minutes": 30})
    assert "db, zone outage: HA with automatic failover" in ids(report, "AVAIL-003")[0].fix
    # a Standard Redis loses about a second of writes on failover: backups do not change that
    report = check({"api": {**RUN, "depends_on": ["db", "cache"]}, "db": db, "cache": REDIS}, slo={"rpo_minutes": 0})
    fix = ids(report, "AVAIL-004")[0].fix
    assert "cache, zone outage: its replica is asynchronous" in fix and "db, data corruption: point-in-time" in fix
    assert "enable backups" not in fix


def test_a_regional_spanner_or_alloydb_is_lost_with_its_region(check):
    """A multi-region plan whose only database was a regional Spanner instance (or an AlloyDB cluster) had no
    region-outage row for it: the trial's globalapp claimed a 5-min RTO on losing us-east4, its database's
    region, and archplan held it (1 min, the load balancer's failover). Such a database is unreachable until
    its region returns; a multi-region Spanner configuration loses nothing."""
    spanner = {"kind": "spanner", "config": "regional-us-east4", "processing_units": 1000}
    plan = {"lb": {"kind": "load_balancer", "failover": "active-active", "data_processed_gb_per_month": 1,
                   "depends_on": ["us", "eu"]},
            "us": {**RUN, "depends_on": ["db"]}, "eu": {**RUN, "region": "europe-west1", "depends_on": ["db"]},
            "db": spanner}
    report = check(plan, {"region": "us-east4"}, slo={"rto_minutes": 15})
    row = next(r for r in report.availability.recovery if (r.component, r.scenario) == ("db", "region outage"))
    assert (row.rto_minutes, row.rpo_minutes) == (float("inf"), 0.0)
    [finding] = ids(report, "AVAIL-003")
    assert "db, region outage: recovery has no bound (a regional instance (us-east4)" in finding.detail
    assert "about everything" not in finding.detail  # the RPO's words for no bound, once used for an RTO too
    report = check({**plan, "db": {**spanner, "config": "nam3", "edition": "ENTERPRISE_PLUS"}}, {"region": "us-east4"},
                   slo={"rto_minutes": 15})
    row = next(r for r in report.availability.recovery if (r.component, r.scenario) == ("db", "region outage"))
    assert (row.rto_minutes, row.rpo_minutes) == (0.0, 0.0)
    # only a bad write misses 15 min: a restore (assumed 60 min), which no replica shortens
    [finding] = ids(report, "AVAIL-003")
    assert "db, data corruption: recovery takes about 60 min" in finding.detail and "region outage" not in finding.detail
    alloydb = {"kind": "alloydb", "machine_type": "n2-highmem-2", "storage_gb": 10,
               "storage_usd_per_gb_month": 0.3, "storage_price_source": "stated"}
    report = check({**plan, "db": alloydb}, {"region": "us-east4"}, slo={"rto_minutes": 15})
    assert "db, region outage: recovery has no bound (a cluster in us-east4" in ids(report, "AVAIL-003")[0].detail


def test_spanner_loses_nothing_in_a_zone_outage(check):
    """Found by the trial's saas.yaml: "RPO 0 in a zone outage" was not checkable, Spanner having no zone-outage
    row; a regional instance keeps three read-write replicas in three zones and commits on a majority."""
    plan = {"lb": {"kind": "load_balancer", "failover": "active-active", "data_processed_gb_per_month": 1,
                   "depends_on": ["us", "eu"]},
            "us": {**RUN, "depends_on": ["db"]}, "eu": {**RUN, "region": "europe-west1", "depends_on": ["db"]},
            "db": {"kind": "spanner", "config": "regional-us-east4", "processing_units": 1000}}
    report = check(plan, {"region": "us-east4"}, slo={"rpo_minutes": 0})
    row = next(r for r in report.availability.recovery if (r.component, r.scenario) == ("db", "zone outage"))
    assert (row.rto_minutes, row.rpo_minutes) == (0.0, 0.0) and "3 read-write replicas, each in its own zone" in row.basis


def test_an_eventarc_trigger_on_a_plan_topic_waits_on_the_topic(check):
    """Found by the trial's orders.yaml: the trigger delivers the topic's messages, so its background path holds
    the topic's SLA as a Pub/Sub push subscription's does: 99.95% (topic) x 99.95% (ship) = 99.900%."""
    report = check({
        "api": {**RUN, "depends_on": [{"name": "events", "protocol": "Pub/Sub", "access": "write"}]},
        "events": {"kind": "pubsub", "topics": ["placed"], "avg_message_kib": 1, "messages_per_month": 10},
        "ship": RUN,
        "triggers": {"kind": "eventarc", "triggers": [
            {"name": "placed", "event_type": "google.cloud.pubsub.topic.v1.messagePublished", "topic": "events",
             "destination": "ship", "events_per_month": 10}]}})
    path = _path(report, "triggers => ship (async)")
    assert path.components == ["events", "ship"] and abs(path.percent - 99.95 * 99.95 / 100) < 1e-9


DB = {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-2-7680", "storage_gb": 10, "ha": True}
REDIS = {"kind": "memorystore_redis", "tier": "standard", "capacity_gb": 1}
BUCKET = {"kind": "cloud_storage", "storage_gb": 1, "location_type": "region"}


def _path(report, name):
    return next(p for p in report.availability.entries if p.name == name)


def test_queue_fed_worker_is_not_on_the_user_path(check):
    """Fault: Pub/Sub-triggered workers were multiplied into the user's request path (SaaS: 99.67% for 99.73%)."""
    report = check({
        "lb": {"kind": "load_balancer", "data_processed_gb_per_month": 1, "depends_on": ["api"]},
        "api": {**RUN, "depends_on": ["db", {"name": "events", "protocol": "gRPC"}]},
        "events": {"kind": "pubsub", "topics": ["t"], "avg_message_kib": 1, "messages_per_month": 10,
                   "depends_on": [{"name": "worker", "critical": False}]},
        "worker": {**RUN, "depends_on": ["cache"]},
        "db": DB, "cache": REDIS,
    }, slo={"availability_percent": 99.5})
    a = report.availability
    user = _path(report, "lb -> api")
    assert user.components == ["lb", "api", "events", "db"]  # publishing waits on Pub/Sub; the worker does not
    assert user.percent == pytest.approx(0.9999 * 0.9995 * 0.9995 * 0.9995 * 100)
    background = _path(report, "events => worker (async)")
    assert background.kind == "async" and background.components == ["events", "worker", "cache"]
    assert background.percent == pytest.approx(0.9995 * 0.9995 * 0.999 * 100)
    assert a.entry_points == ["lb"]  # the worker is not a user's way in
    assert background.slo_percent is None  # the user SLO is not the worker's target


def test_load_balancer_backends_are_routes_not_a_series(check):
    """Fault: cotton-erp's path put the admin API and the CDN in series with the user's request."""
    report = check({
        "lb": {"kind": "load_balancer", "data_processed_gb_per_month": 1,
               "depends_on": ["armor", "api", "admin", "cdn"]},
        "armor": {"kind": "cloud_armor", "policies": 1, "rules": 1, "requests_per_month": 10},
        "cdn": {"kind": "cloud_cdn", "egress_gb_per_month": 1, "destination": "asia_pacific", "cache_hit_ratio": 0.9, "requests_per_month": 10, "depends_on": ["bucket"]},
        "api": {**RUN, "depends_on": ["db"]},
        "admin": {**RUN, "depends_on": ["db", "cache"]},
        "db": DB, "cache": REDIS, "bucket": BUCKET,
    })
    names = [p.name for p in report.availability.entries]
    assert names == ["lb -> api", "lb -> admin", "lb -> cdn -> bucket"]
    api = _path(report, "lb -> api")
    assert api.components == ["lb", "armor", "api", "db"]  # Armor is on every route; admin and CDN are not
    assert api.percent == pytest.approx(0.9999 * 0.9999 * 0.9995 * 0.9995 * 100)
    # the headline figure is the weakest route, not the product of all of them
    assert report.availability.weakest_path == "lb -> admin"
    assert report.availability.composite_percent == pytest.approx(0.9999 * 0.9999 * 0.9995 * 0.9995 * 0.999 * 100)


def test_flow_has_its_own_target_and_figures(check):
    report = check({
        "lb": {"kind": "load_balancer", "data_processed_gb_per_month": 1, "depends_on": ["api"]},
        "api": {**RUN, "depends_on": ["db", {"name": "pay", "route": True}, {"name": "browse", "route": True}]},
        "pay": {**RUN, "depends_on": ["db"]},
        "browse": {**RUN, "depends_on": ["cache"]},
        "db": DB, "cache": REDIS,
    }, flows={"checkout": {"entry": "lb", "through": ["pay"], "slo": {"availability_percent": 99.9}}})
    flow = _path(report, "checkout")
    assert flow.kind == "flow" and flow.components == ["lb", "api", "pay", "db"]
    expected = 0.9999 * 0.9995 * 0.9995 * 0.9995
    assert flow.percent == pytest.approx(expected * 100)  # 99.84% < 99.9%
    assert flow.error_budget_minutes_per_month == pytest.approx(0.001 * 43800)
    assert flow.met is False
    finding = ids(report, "AVAIL-006")[0]
    assert "checkout" in finding.detail and "99.9%" in finding.detail


def test_scheduled_job_is_a_background_path(check):
    report = check({
        "api": {**RUN, "depends_on": ["db"]},
        "nightly": {**RUN, "depends_on": ["db"]},
        "cron": {"kind": "cloud_scheduler", "jobs": [{"name": "n", "schedule": "0 2 * * *", "target": "nightly"}],
                 "depends_on": ["nightly"]},
        "db": DB,
    })
    assert report.availability.entry_points == ["api"]
    assert _path(report, "cron => nightly (async)").components == ["nightly", "db"]


def test_a_job_the_scheduler_names_only_as_its_target_is_not_a_user_request(check):
    """Fault: a Cloud Run job (or function) started by a Cloud Scheduler job that names it as `target`, with no
    depends_on edge, was an entry point: its availability was reported as a user's request path. The
    scheduler's targets, like a Cloud Tasks queue's targets and an Eventarc trigger's destination, are
    hand-offs."""
    job = {"kind": "cloud_run_job", "cpu": 1, "memory": "512Mi", "tasks": 1, "task_duration_seconds": 60,
           "executions_per_month": 30, "depends_on": ["db"]}
    report = check({
        "api": {**RUN, "depends_on": ["db"]},
        "compactor": job,
        "cron": {"kind": "cloud_scheduler", "jobs": [{"name": "n", "schedule": "0 2 * * *", "target": "compactor"}]},
        "db": DB,
    })
    assert report.availability.entry_points == ["api"]
    assert [p.name for p in report.availability.entries if p.kind == "request"] == ["api"]
    assert "compactor" not in report.availability.path  # the composite a user's request sees
    background = _path(report, "cron => compactor (async)")
    assert background.kind == "async" and background.components == ["compactor", "db"]
    tasks = check({
        "api": {**RUN, "depends_on": ["db"]},
        "mailer": {**RUN, "depends_on": ["db"]},
        "queue": {"kind": "cloud_tasks", "queues": [{"name": "q", "target": "mailer"}], "tasks_per_month": 10},
        "db": DB,
    })
    assert tasks.availability.entry_points == ["api"]
    # delivery waits on the queue, as a Pub/Sub background path waits on its topic
    assert _path(tasks, "queue => mailer (async)").components == ["mailer", "queue", "db"]


def test_a_job_nothing_triggers_is_no_entry_point(check):
    """Fault: a Cloud Run job that no scheduler, queue or trigger names (it is run by hand or by a workflow
    outside the plan) was an entry point, so check reported "request nightly" as a user's request path, with
    the job's assumed 99.9% in it. A job is executed, never sent a request: no way in for users."""
    job = {"kind": "cloud_run_job", "cpu": 1, "memory": "512Mi", "tasks": 2, "task_duration_seconds": 60,
           "executions_per_month": 30, "depends_on": ["db"]}
    report = check({"api": {**RUN, "depends_on": ["db"]}, "nightly": job, "db": DB})
    assert report.availability.entry_points == ["api"]
    assert [p.name for p in report.availability.entries if p.kind == "request"] == ["api"]
    only_jobs = check({"nightly": job, "db": DB})
    assert only_jobs.availability.entry_points == []  # a batch-only plan has no user request path


def test_a_cdn_attached_by_its_field_is_on_the_load_balancers_path_not_a_way_in(check):
    """A CDN naming its load balancer (load_balancer: lb) was an entry point of its own (cdn -> site) beside
    lb -> site; the requests for the bucket go lb -> cdn -> site: 99.99% x 99.95% x 99.9% = 99.840%."""
    from tests.doc.test_diagram import CDN_BY_FIELD

    report = check(CDN_BY_FIELD, traffic={"requests_per_month": 1000000, "avg_request_kib": 1,
                                          "avg_response_kib": 4})
    assert report.availability.entry_points == ["lb"]
    through = _path(report, "lb -> cdn -> site")
    assert through.components == ["lb", "cdn", "site"]
    assert round(through.percent, 3) == round(0.9999 * 0.9995 * 0.999 * 100, 3) == 99.840
    assert not [p for p in report.availability.entries if p.name in ("lb -> site", "cdn -> site")]


def test_pull_subscriber_is_fed_by_its_queue_and_publishing_is_a_call(check):
    """A worker that pulls from Pub/Sub is a background consumer, not a user's entry point; an API publishing
    to the topic waits for the publish (Pub/Sub is on its path), whatever the protocol is called."""
    report = check({
        "api": {**RUN, "depends_on": [{"name": "topic", "protocol": "Pub/Sub publish"}]},
        "topic": {"kind": "pubsub", "topics": ["t"], "avg_message_kib": 1, "messages_per_month": 10},
        "worker": {**RUN, "depends_on": [{"name": "topic", "protocol": "Pub/Sub streaming pull"}, "db"]},
        "db": DB,
    })
    a = report.availability
    assert a.entry_points == ["api"]
    assert _path(report, "api").components == ["api", "topic"]
    assert _path(report, "topic => worker (async)").components == ["topic", "worker", "db"]


def test_cloud_tasks_edge_hands_off(check):
    report = check({"api": {**RUN, "depends_on": [{"name": "mailer", "protocol": "Cloud Tasks"}]},
                    "mailer": {**RUN, "depends_on": ["db"]}, "db": DB})
    assert _path(report, "api").components == ["api"]
    assert _path(report, "api => mailer (async)").components == ["mailer", "db"]


@pytest.mark.parametrize("protocol", [None, "Cloud Tasks"])
def test_creating_a_task_is_a_call_whatever_the_protocol(check, protocol):
    """The caller waits on CreateTask (Cloud Tasks' SLA row, 99.95%); the queue's target is the hand-off. The
    protocol naming Cloud Tasks changes neither: 99.95% (api) x 99.95% (tasks) = 99.9000%."""
    edge = {"name": "tasks", **({"protocol": protocol} if protocol else {})}
    report = check({"api": {**RUN, "depends_on": [edge]},
                    "tasks": {"kind": "cloud_tasks", "queues": [{"name": "q"}], "tasks_per_month": 10,
                              "depends_on": ["mailer"]},
                    "mailer": {**RUN, "depends_on": ["db"]}, "db": DB})
    api = _path(report, "api")
    assert api.components == ["api", "tasks"]
    assert api.percent == pytest.approx(0.9995 * 0.9995 * 100)
    assert _path(report, "tasks => mailer (async)").components == ["tasks", "mailer", "db"]


def test_a_deep_chain_of_dependencies_is_walked_without_recursion(check):
    """1,200 components in one synchronous chain: deeper than Python's recursion limit (the loader's cycle check
    and the path walk are iterative)."""
    chain = {f"b{i}": {**BUCKET, **({"depends_on": [f"b{i + 1}"]} if i < 1199 else {})} for i in range(1200)}
    report = check(chain)
    (path,) = report.availability.entries
    assert len(path.components) == 1200
    assert path.percent == pytest.approx(0.999 ** 1200 * 100)


def _nat_plan(nat_dependency, db_ha=True):
    return {
        "lb": {"kind": "load_balancer", "data_processed_gb_per_month": 1, "depends_on": ["api"]},
        "api": {"kind": "compute_engine", "machine_type": "e2-standard-2", "count": 2,
                "depends_on": ["db", nat_dependency]},
        "db": {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-2-7680", "storage_gb": 10,
               "ha": db_ha},
        "nat": {"kind": "cloud_nat", "vms": 2, "data_processed_gb_per_month": 5},
    }


def test_a_nat_on_the_request_path_is_taken_off_it_not_raised(check):
    # found by the trial (bank.yaml): the fix said "HA configurations", which Cloud NAT has none of
    report = check(_nat_plan("nat"), slo={"availability_percent": 99.9})
    finding = ids(report, "AVAIL-001")[0]
    path = report.availability.entries[0]
    assert finding.component == "nat" and path.dominant == "nat"
    assert finding.fix.startswith(
        "nat carries only outbound connections to the internet: if serving a request needs no egress through it, "
        "mark it a soft dependency, {name: nat, critical: false} in components.api.depends_on, which takes it off "
        "the availability path; if a request does call out through it, move that call off the request path "
        "(hand it to Pub/Sub or Cloud Tasks). Without it, lb -> api is ")
    assert "HA configurations" not in finding.fix.split("still below")[0]
    # the figure the fix states is what the path becomes once the fix is made
    without = path.percent / report.availability.components["nat"].percent * 100
    fixed = check(_nat_plan({"name": "nat", "critical": False}), slo={"availability_percent": 99.9})
    assert fixed.availability.entries[0].percent == pytest.approx(without)
    assert f"= {without:.3f}%" in finding.fix
    if without >= 99.9:
        assert finding.fix.endswith(", meeting the SLO of 99.9%") and not ids(fixed, "AVAIL-001")
    else:
        assert "still below 99.9%: then raise the next weakest link" in finding.fix


def test_any_other_weakest_link_keeps_the_raise_it_fix(check):
    report = check(_nat_plan({"name": "nat", "critical": False}, db_ha=False), slo={"availability_percent": 99.99})
    finding = ids(report, "AVAIL-001")[0]
    assert finding.component == "db" and finding.fix.startswith("raise the weakest links first: db; HA configurations")


SECRETS = {"kind": "secret_manager", "secrets": 2, "access_ops_per_month": 1000}
KEYS = {"kind": "cloud_kms", "keys": [{"name": "data", "operations_per_month": 1000}]}


def test_an_operations_service_is_on_the_path_only_when_the_edge_says_critical(check):
    """Fault: an API that decrypts with Cloud KMS on every request could not put KMS on its path: every
    operations service was left off whatever the edge said."""
    lb = {"kind": "load_balancer", "data_processed_gb_per_month": 1, "depends_on": ["api"]}
    default = check({"lb": lb, "api": {**RUN, "depends_on": ["secrets", "keys"]}, "secrets": SECRETS, "keys": KEYS})
    assert default.availability.path == ["lb", "api"]  # read at start, not waited on: off the path
    stated = check({"lb": lb, "api": {**RUN, "depends_on": ["secrets", {"name": "keys", "critical": True}]},
                    "secrets": SECRETS, "keys": KEYS})
    a = stated.availability
    assert a.path == ["lb", "api", "keys"]  # only the edge that says so
    assert a.composite_percent == pytest.approx(0.9999 * 0.9995 * 0.9995 * 100)  # LB x Cloud Run x KMS
    assert a.entry_points == ["lb"]  # KMS is called, not a way in


def test_a_deployment_edge_that_says_critical_keeps_saying_it(check):
    """A deployment's edge merged with the cluster's still remembers that it stated critical: true."""
    report = check({
        "gke": {"kind": "gke", "mode": "autopilot", "location_type": "regional",
                "deployments": [{"name": "api", "replicas": 2, "cpu": 1, "memory": "1Gi", "public": True,
                                 "depends_on": ["db", {"name": "keys", "critical": True}]},
                                {"name": "admin", "replicas": 1, "cpu": 1, "memory": "1Gi", "public": True,
                                 "depends_on": ["db", "keys"]}],
                "depends_on": ["db", "keys"]},
        "db": DB, "keys": KEYS,
    })
    assert _path(report, "gke/api").components == ["gke/api", "db", "keys"]
    assert _path(report, "gke/admin").components == ["gke/admin", "db"]


def test_a_service_that_calls_nothing_is_still_a_way_in(check):
    """A public deployment or a Cloud Run service that calls nothing and nothing calls was no entry point
    once any other edge existed, so its availability went unreported; a bucket nobody calls stays none."""
    report = check({
        "lb": {"kind": "load_balancer", "data_processed_gb_per_month": 1, "depends_on": ["api"]},
        "api": {**RUN, "depends_on": ["db"]},
        "status": RUN,
        "db": DB,
        "archive": {"kind": "cloud_storage", "location_type": "region", "storage_gb": 1},
        "gke": {"kind": "gke", "mode": "autopilot", "location_type": "regional",
                "deployments": [{"name": "web", "replicas": 2, "cpu": 1, "memory": "1Gi", "public": True},
                                {"name": "batch", "replicas": 1, "cpu": 1, "memory": "1Gi"}]},
    })
    assert report.availability.entry_points == ["lb", "status", "gke"]  # the cluster: web is public
    assert _path(report, "status").percent == pytest.approx(99.95)  # one Cloud Run service


def test_a_deployment_no_user_reaches_is_a_background_path(check):
    """A cluster's worker, not public and called by nothing, was an entry point: its path was a user request
    judged by the SLO (AVAIL-001 counted it). It is a background path now, shown with its figure: 99.9%
    (Autopilot pods across zones) x 99.95% (HA db) x 99.9% (Basic Redis, assumed) = 99.75%, under 99.8%. The
    public deployment's request path meets it: 99.99% (lb) x 99.9% x 99.95% = 99.84%."""
    report = check({
        "lb": {"kind": "load_balancer", "data_processed_gb_per_month": 1, "depends_on": ["gke"]},
        "gke": {"kind": "gke", "mode": "autopilot",
                "deployments": [{"name": "api", "replicas": 2, "cpu": 1, "memory": "1Gi", "public": True,
                                 "depends_on": ["db"]},
                                {"name": "worker", "replicas": 1, "cpu": 1, "memory": "1Gi",
                                 "depends_on": ["db", "cache"]}],
                "depends_on": ["db", "cache"]},
        "db": DB, "cache": {"kind": "memorystore_redis", "tier": "basic", "capacity_gb": 1},
    }, slo={"availability_percent": 99.8})
    a = report.availability
    assert a.entry_points == ["lb"]
    [worker] = [e for e in a.entries if e.entry == "gke/worker"]
    assert worker.kind == "async" and "background: not public, nothing calls it" in worker.name
    assert worker.percent == pytest.approx(0.999 * 0.9995 * 0.999 * 100)
    assert a.composite_percent == pytest.approx(0.9999 * 0.999 * 0.9995 * 100)
    assert not ids(report, "AVAIL-001")


def test_a_cluster_of_background_deployments_alone_is_still_judged(check):
    """With no other way in, the deployments stay the plan's entry points: the SLO judges them, not nothing."""
    report = check({
        "gke": {"kind": "gke", "mode": "autopilot",
                "deployments": [{"name": "worker", "replicas": 1, "cpu": 1, "memory": "1Gi", "depends_on": ["db"]}],
                "depends_on": ["db"]},
        "db": DB,
    }, slo={"availability_percent": 99.99})
    assert report.availability.entry_points == ["gke/worker"]
    assert ids(report, "AVAIL-001")


def test_an_sla_that_differs_in_a_region_takes_the_regions_figure(check):
    """AlloyDB's HA SLA is 99.99%, but 99.95% in Mexico (cloud.google.com/alloydb/sla): northamerica-south1 was
    given 99.99%."""
    def path_percent(region):
        report = check({"api": {**RUN, "depends_on": ["db"]},
                        "db": {"kind": "alloydb", "machine_type": "n2-highmem-2", "ha": True}},
                       {"region": region})
        return _path(report, "api").percent
    assert path_percent("northamerica-south1") == pytest.approx(0.9995 * 0.9995 * 100)  # Cloud Run x AlloyDB HA
    assert path_percent("us-central1") == pytest.approx(0.9995 * 0.9999 * 100)


def test_identity_platform_has_its_published_sla(check):
    report = check({"api": {**RUN, "depends_on": [{"name": "auth", "critical": True}]},
                    "auth": {"kind": "identity_platform", "monthly_active_users": 1000}})
    assert _path(report, "api").percent == pytest.approx(0.9995 * 0.9995 * 100)  # cloud.google.com/identity-platform/sla


def test_speech_to_text_has_its_published_sla(check):
    """Was assumed one VM's 99.9%; Google publishes 99.9% for Cloud Speech-to-Text itself
    (cloud.google.com/speech/sla): the same figure, now an SLA, and no AVAIL-002 for it."""
    report = check({"api": {**RUN, "depends_on": [{"name": "stt", "critical": True}]},
                    "stt": {"kind": "speech_to_text", "minutes_per_month": 1000}})
    stt = report.availability.components["stt"]
    assert stt.basis == "sla" and stt.percent == pytest.approx(99.9)
    assert _path(report, "api").percent == pytest.approx(0.9995 * 0.999 * 100)  # Cloud Run x Speech-to-Text
    assert "stt" not in [f.component for f in ids(report, "AVAIL-002")]


def test_cloud_translation_has_its_published_sla(check):
    """Cloud Translation >= 99.9% (cloud.google.com/translate/sla-20180115), no longer an assumption."""
    report = check({"api": {**RUN, "depends_on": [{"name": "tr", "critical": True}]},
                    "tr": {"kind": "cloud_translation", "characters_per_month": 1_000_000}})
    tr = report.availability.components["tr"]
    assert tr.basis == "sla" and "translate/sla-20180115" in tr.source
    assert _path(report, "api").percent == pytest.approx(0.9995 * 0.999 * 100)  # Cloud Run x Translation
    assert "tr" not in [f.component for f in ids(report, "AVAIL-002")]


@pytest.mark.parametrize("location, nodes, percent, configuration", [
    ("regional", 3, 99.99, "GKE regional, 3 nodes across zones (the plan lists no deployments)"),
    ("zonal", 3, 99.9, "GKE zonal cluster (one zone) (the plan lists no deployments)"),
])
def test_a_cluster_without_deployments_is_as_available_as_its_nodes(check, location, nodes, percent,
                                                                    configuration):
    """An imported cluster has no deployments (they live in Kubernetes manifests): it is not "a deployment of
    1 replica" but its nodes, spread over three zones in a regional cluster (compute_engine_multi_zone)."""
    report = check({"gke": {"kind": "gke", "mode": "standard", "location_type": location, "node_pools": [
        {"name": "general", "machine_type": "e2-standard-4", "nodes": nodes}]}})
    gke = report.availability.components["gke"]
    assert gke.percent == pytest.approx(percent)
    assert gke.configuration == configuration


def test_an_operations_service_left_off_the_path_is_said(check):
    """api depends on Identity Platform, which the availability leaves out (a request does not wait on it:
    tokens are checked locally); the report says so, and `critical: true` on the edge puts it on the path."""
    auth = {"kind": "identity_platform", "monthly_active_users": 1000}
    report = check({"api": {**RUN, "depends_on": ["auth"]}, "auth": auth})
    assert report.availability.off_path == [("api", "auth")]
    assert report.availability.composite_percent == pytest.approx(99.95)
    report = check({"api": {**RUN, "depends_on": [{"name": "auth", "critical": True}]}, "auth": auth})
    assert report.availability.off_path == []
    assert report.availability.composite_percent == pytest.approx(99.95 * 0.9995)


def test_armor_attached_by_its_field_alone_is_on_every_request_path(check):
    """generate sets the policy on every backend service of the balancer (security_policy), so each request waits
    on it though neither the balancer nor the policy lists the other: 99.99% (lb) x 99.99% (armor) x 99.95% (api)
    = 99.930%."""
    report = check({"lb": {"kind": "load_balancer", "data_processed_gb_per_month": 1, "depends_on": ["api"]},
                    "armor": {"kind": "cloud_armor", "load_balancer": "lb", "requests_per_month": 1000},
                    "api": RUN})
    a = report.availability
    assert a.entry_points == ["lb"]
    assert a.path == ["lb", "armor", "api"]
    assert a.composite_percent == pytest.approx(0.9999 * 0.9999 * 0.9995 * 100)


def test_a_flow_through_a_backend_waits_on_the_armor_policy_its_balancer_evaluates(check):
    """The policy's routes are folded into the balancer's, so it was no caller of `through` and the flow dropped
    it: 99.99% (lb) x 99.99% (armor) x 99.95% (api) x 99.95% (pay) x 99.95% (db) = 99.830%."""
    report = check({
        "lb": {"kind": "load_balancer", "data_processed_gb_per_month": 1, "depends_on": ["armor", "api"]},
        "armor": {"kind": "cloud_armor", "requests_per_month": 10, "depends_on": ["api"]},
        "api": {**RUN, "depends_on": [{"name": "pay", "route": True}, {"name": "browse", "route": True}]},
        "pay": {**RUN, "depends_on": ["db"]},
        "browse": {**RUN, "depends_on": ["cache"]},
        "db": DB, "cache": REDIS,
    }, flows={"checkout": {"entry": "lb", "through": ["pay"]}})
    flow = _path(report, "checkout")
    assert flow.components == ["lb", "armor", "api", "pay", "db"]
    assert flow.percent == pytest.approx(0.9999 * 0.9999 * 0.9995 * 0.9995 * 0.9995 * 100)
