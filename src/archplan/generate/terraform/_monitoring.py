"""Uptime checks and alert policies derived from the plan's `slo`: an uptime check per public endpoint
(a load balancer's first domain, or a Cloud Run service not behind one) with an alert when it fails; for
availability, an alert when 5xx responses exceed the error budget's share of requests; for latency, an alert
when the p95 passes the target."""
from __future__ import annotations

from decimal import Decimal

from archplan.components.base import Component
from archplan.generate.context import ident
from archplan.generate.hcl import Expr, Tpl, nested, resource
from archplan.generate.terraform._builder import Terraform

WINDOW = "300s"


def notification_channels(tf: Terraform) -> Expr:
    if "notification_channel" not in tf.flags:
        tf.flags.add("notification_channel")
        email = tf.ctx.project.notification_email
        tf.variable("notification_email", "string", "Where alerts and budget mails go (project."
                                                    "notification_email in the plan); null for none.",
                    default=email)
        tf.add("monitoring.tf", resource("google_monitoring_notification_channel", "email", {
            "count": Expr("var.notification_email == null ? 0 : 1"),
            "display_name": Tpl("${var.prefix} alerts"),
            "type": "email",
            "labels": {"email_address": Expr("var.notification_email")},
        }))
    return Expr("google_monitoring_notification_channel.email[*].id")


def alert(tf: Terraform, name: str, display: str, documentation: str, condition: dict) -> None:
    tf.add("monitoring.tf", resource("google_monitoring_alert_policy", name, {
        "display_name": Tpl(f"${{var.prefix}} {display}"),
        "combiner": "OR",
        "notification_channels": notification_channels(tf),
        "documentation": nested({"content": documentation, "mime_type": "text/markdown"}),
        "conditions": nested({"display_name": display, **condition}),
        "user_labels": Expr("local.labels"),
    }))


def endpoints(tf: Terraform) -> list[tuple[str, object, str, Component | None]]:
    """(name, host expression, path, Cloud Run service needing an identity token) per public endpoint."""
    ctx = tf.ctx
    found = []
    fronted = set()
    for lb in ctx.of_kind("load_balancer"):
        backends = ctx.load_balancer_backends(lb)
        fronted.update(b.name for b in backends)
        path = next((b.spec.health_check_path for b in backends
                     if b.kind in ("cloud_run", "compute_engine") and b.spec.health_check_path),
                    "/")
        if any(b.kind == "gke" for b in backends):
            deployments = [d for b in backends if b.kind == "gke" for d in ctx.public_deployments(b)]
            path = next((d.health_check_path for d in deployments if d.health_check_path), "/")
        if lb.spec.domains:
            host = lb.spec.domains[0]
        elif not any(b.kind == "gke" for b in backends):
            host = Expr(f"var.{ident(lb.name)}_domains[0]")
        else:
            continue
        found.append((lb.name, host, path, None))
    for service in ctx.of_kind("cloud_run"):
        if service.name in fronted or service.spec.ingress != "all":
            continue
        host = Expr(f"trimprefix(google_cloud_run_v2_service.{ident(service.name)}.uri, \"https://\")")
        found.append((service.name, host, service.spec.health_check_path or "/",
                      None if service.spec.allow_unauthenticated else service))
    return found


def _plain(value) -> Decimal:
    """A number as HCL shows it best: 250.0 as 250, 99.5 as 99.5."""
    number = Decimal(str(value))
    return number.to_integral() if number == number.to_integral() else number.normalize()


def generate(tf: Terraform) -> None:
    ctx = tf.ctx
    slo = ctx.spec.slo
    if slo is None or (slo.availability_percent is None and slo.latency_p95_ms is None):
        return
    tf.api("monitoring.googleapis.com")
    if slo.availability_percent is not None:
        for name, host, path, private_service in endpoints(tf):
            check = ident(name)
            http: dict = {"path": path, "port": 443, "use_ssl": True, "validate_ssl": True,
                          "accepted_response_status_codes": nested({"status_class": "STATUS_CLASS_2XX"})}
            if private_service is not None:
                http["# The service is private: the uptime check signs in with an OIDC token."] = None
                http["service_agent_authentication"] = nested({"type": "OIDC_TOKEN"})
            tf.add("monitoring.tf", f"Uptime of {name} (slo.availability_percent {slo.availability_percent}).",
                   resource("google_monitoring_uptime_check_config", check, {
                       "display_name": Tpl(f"${{var.prefix}} {name} uptime"),
                       "timeout": "10s",
                       "period": "60s",
                       "http_check": nested(http),
                       "monitored_resource": nested({"type": "uptime_url", "labels": {
                           "project_id": Expr("var.project_id"), "host": host}}),
                   }))
            alert(tf, f"{check}_uptime", f"{name} is down",
                  f"The uptime check of {name} failed from more than one location.", {
                      "condition_threshold": nested({
                          "filter": Tpl("metric.type=\"monitoring.googleapis.com/uptime_check/check_passed\" AND "
                                        "resource.type=\"uptime_url\" AND metric.label.check_id=\"${google_"
                                        f"monitoring_uptime_check_config.{check}.uptime_check_id}}\""),
                          "comparison": "COMPARISON_GT",
                          "threshold_value": 1,
                          "duration": "60s",
                          "aggregations": nested({"alignment_period": "1200s", "per_series_aligner": "ALIGN_NEXT_OLDER",
                                                  "cross_series_reducer": "REDUCE_COUNT_FALSE",
                                                  "group_by_fields": ["resource.label.*"]}),
                      })})
        budget = (Decimal(100) - slo.availability_percent) / 100
        for service in ctx.of_kind("cloud_run"):
            base = (f"resource.type=\"cloud_run_revision\" AND resource.label.service_name=\"${{google_cloud_run_v2_"
                    f"service.{ident(service.name)}.name}}\" AND metric.type=\"run.googleapis.com/request_count\"")
            alert(tf, f"{ident(service.name)}_errors", f"{service.name} 5xx above the error budget",
                  f"More than {budget * 100:.2f}% of {service.name}'s requests failed with 5xx over 5 minutes "
                  f"(availability SLO {slo.availability_percent}%).", {
                      "condition_threshold": nested({
                          "filter": Tpl(base + " AND metric.label.response_code_class=\"5xx\""),
                          "denominator_filter": Tpl(base),
                          "comparison": "COMPARISON_GT",
                          "threshold_value": budget.normalize(),
                          "duration": WINDOW,
                          "aggregations": nested({"alignment_period": WINDOW, "per_series_aligner": "ALIGN_RATE",
                                                  "cross_series_reducer": "REDUCE_SUM"}),
                          "denominator_aggregations": nested({"alignment_period": WINDOW,
                                                              "per_series_aligner": "ALIGN_RATE",
                                                              "cross_series_reducer": "REDUCE_SUM"}),
                      })})
    if slo.latency_p95_ms is not None:
        from archplan.check.availability import analyse_paths

        # A service on a user's request path is held to the SLO, or to its flow's own target; one on none (a
        # queue's or a schedule's worker) has no latency target, as check says: no alert to fire on its work.
        request_side, flow_targets = analyse_paths(ctx.plan)
        targets = []  # (name, resource type, metric, filter, threshold in ms, the plan key it comes from)
        for service in ctx.of_kind("cloud_run"):
            if service.name in flow_targets:
                threshold, source = flow_targets[service.name]
            elif service.name in request_side:
                threshold, source = slo.latency_p95_ms, "slo.latency_p95_ms"
            else:
                continue
            targets.append((service.name, "cloud_run_revision", "run.googleapis.com/request_latencies",
                            f" AND resource.label.service_name=\"${{google_cloud_run_v2_service."
                            f"{ident(service.name)}.name}}\"", _plain(threshold), source))
        for lb in ctx.of_kind("load_balancer"):
            owned = not any(b.kind == "gke" for b in ctx.load_balancer_backends(lb))
            extra = f" AND resource.label.url_map_name=\"${{google_compute_url_map.{ident(lb.name)}.name}}\"" \
                if owned else ""
            targets.append((lb.name, "https_lb_rule", "loadbalancing.googleapis.com/https/total_latencies", extra,
                            slo.latency_p95_ms, "slo.latency_p95_ms"))
        for name, resource_type, metric, extra, threshold, source in targets:
            shown = format(threshold, "f")
            alert(tf, f"{ident(name)}_latency", f"{name} p95 latency above {shown} ms",
                  f"The 95th percentile latency of {name} stayed above the plan's {source} ({shown} ms) for 5 "
                  "minutes.", {
                      "condition_threshold": nested({
                          "filter": Tpl(f"resource.type=\"{resource_type}\" AND metric.type=\"{metric}\"{extra}"),
                          "comparison": "COMPARISON_GT",
                          "threshold_value": threshold,
                          "duration": WINDOW,
                          "aggregations": nested({"alignment_period": WINDOW,
                                                  "per_series_aligner": "ALIGN_PERCENTILE_95",
                                                  "cross_series_reducer": "REDUCE_MAX"}),
                      })})
