"""Recompute every claim the plan carries from its document and report the ones the architecture does
not support, with the arithmetic."""
from __future__ import annotations

import math
from decimal import Decimal

from archplan.check import Finding
from archplan.check.availability import MINUTES_PER_MONTH, MINUTES_PER_YEAR, series

TOLERANCE = 0.10  # figures within 10% agree (rounding in documents)


def _finding(plan, index, claim, code, title, detail, fix, severity="error") -> Finding:
    where = f" ({claim.source})" if claim.source else ""
    env = f" [environment {claim.environment}]" if claim.environment else ""
    text = f"claim {claim.id}{where}{env}: {detail}"
    component = (claim.components or [None])[0]
    return Finding(code, severity, "claims", title, text, fix, component=component,
                   line=plan.spec.line_of(("claims", index, "value")))


def _cost_report(plan, cache: dict):
    """The plan's cost report, computed once for all its cost claims."""
    if "report" not in cache:
        from archplan.analysis.cost import cost_report

        cache["report"] = cost_report(plan)
    return cache["report"]


def _money(value: Decimal, currency: str) -> str:
    from archplan.render.numbers import amount

    return amount(value, currency)


def _availability_of(names, avail) -> tuple[float, str]:
    names = [n for n in names if n in avail.components]
    percent = series([avail.components[n].percent for n in names])
    return percent, " x ".join(f"{avail.components[n].percent:g}% ({n})" for n in names)


def audit(plan, avail, cap) -> list[Finding]:
    """Every claim, each against the environment it is about (the plan's own unless it names another)."""
    out: list[Finding] = []
    others: dict[str, list[int]] = {}
    for index, claim in enumerate(plan.spec.claims):
        if claim.environment is not None and claim.environment != plan.environment:
            others.setdefault(claim.environment, []).append(index)
    out += _audit(plan, avail, cap, [i for i in range(len(plan.spec.claims))
                                     if i not in {j for group in others.values() for j in group}])
    for environment, indexes in others.items():
        from archplan import catalog
        from archplan.check import availability, capacity
        from archplan.plan import resolve
        from archplan.spec.load import load_spec

        other = resolve(load_spec(plan.file, environment, catalog.supported_regions()))
        out += _audit(other, availability.analyse(other), capacity.analyse(other), indexes)
    return out


def _audit(plan, avail, cap, indexes: list[int]) -> list[Finding]:
    out: list[Finding] = []
    reports: dict = {}
    claims = plan.spec.claims
    availability_claims = [c for c in claims if c.kind == "availability_percent"]
    for index in indexes:
        claim = claims[index]
        value = float(claim.value)
        if claim.kind in ("monthly_cost", "annual_cost"):
            report = _cost_report(plan, reports)
            usd = report.total_usd if claim.components is None else report.components_usd(claim.components)
            months = 12 if claim.kind == "annual_cost" else 1
            computed = usd * months * report.rate_for(claim.currency)
            off = float(abs(computed - claim.value) / claim.value) if claim.value else 1.0
            if off > TOLERANCE:
                scope = "the whole plan" + (f" with {report.contingency_percent}% contingency"
                                            if report.contingency_percent else "") \
                    if claim.components is None else ", ".join(claim.components)
                env = f" (environment {claim.environment})" if claim.environment else ""
                out.append(_finding(plan, index, claim, "CLAIM-001", "a cost figure the plan does not support",
                                    f"{_money(claim.value, claim.currency)} {'a year' if months == 12 else 'a month'} "
                                    f"for {scope}{env}; priced from unit prices it is {_money(computed, claim.currency)} "
                                    f"({(computed - claim.value) / claim.value * 100:+.0f}%)."
                                    + (f" Why: {claim.note}" if claim.note else ""),
                                    "correct the figure (see `archplan cost` line items) or the configuration"))
        elif claim.kind == "availability_percent":
            names = claim.components or avail.path
            computed, product = _availability_of(names, avail)
            if value > computed + 1e-9:
                out.append(_finding(plan, index, claim, "CLAIM-010", "an availability the SLAs in its path do not support",
                                    f"{claim.value}% promised; the components it depends on give {product} = "
                                    f"{computed:.3f}% ({(1 - computed / 100) * MINUTES_PER_MONTH:.1f} min of downtime a "
                                    f"month, against {(1 - value / 100) * MINUTES_PER_MONTH:.1f} promised).",
                                    "HA configurations on the path, or promise what the path supports"))
        elif claim.kind in ("downtime_minutes_per_month", "downtime_minutes_per_year"):
            period, label = (MINUTES_PER_MONTH, "month") if claim.kind.endswith("month") else (MINUTES_PER_YEAR, "year")
            paired = next((c for c in availability_claims if (c.components or None) == (claim.components or None)),
                          None)
            target = float(paired.value) if paired else (avail.slo_percent if avail.slo_percent is not None else None)
            if target is not None:
                allowed = (1 - target / 100) * period
                if abs(value - allowed) > TOLERANCE * allowed:
                    out.append(_finding(
                        plan, index, claim, "CLAIM-011", "downtime figure inconsistent with the availability",
                        f"{value:g} min a {label} stated, but {target:g}% availability allows "
                        f"(1 - {target / 100:g}) x {period:,} min = {allowed:.1f} min a {label} "
                        f"({(1 - target / 100) * MINUTES_PER_MONTH:.1f} min a month, "
                        f"{(1 - target / 100) * MINUTES_PER_YEAR / 60:.2f} h a year).",
                        "state the downtime the availability implies"))
            names = claim.components or avail.path
            computed, _ = _availability_of(names, avail)
            expected = (1 - computed / 100) * period
            if value < expected * (1 - TOLERANCE):
                out.append(_finding(
                    plan, index, claim, "CLAIM-012", "less downtime promised than the SLAs in the path allow",
                    f"{value:g} min a {label} stated; the path's composite availability {computed:.3f}% means "
                    f"{expected:.1f} min a {label} within SLA.", "HA on the weakest components, or a truthful figure"))
        elif claim.kind == "latency_p95_ms":
            rows = [r for r in cap.services if not claim.components or r.name.split("/")[0] in claim.components]
            slow = [r for r in rows if r.p95_ms > value]
            if slow:
                worst = max(slow, key=lambda r: r.p95_ms)
                out.append(_finding(
                    plan, index, claim, "CLAIM-020", "a latency the capacity model does not support",
                    f"p95 < {value:g} ms promised; at peak {worst.peak_rps:.1f} req/s with mean service time "
                    f"{worst.service_time_ms:g} ms, {worst.name} gives p95 {worst.p95_ms:.0f} ms (M/M/c, "
                    f"exponential service, {worst.max_instances} x {worst.per_instance} slots).",
                    "faster service time or more headroom, or promise what the model gives",
                    severity="warning"))
        elif claim.kind in ("max_concurrent_users", "peak_rps"):
            rows = [r for r in cap.services if not claim.components or r.name.split("/")[0] in claim.components]
            if not rows:
                continue
            if claim.kind == "max_concurrent_users":
                slots = sum(r.max_instances * r.per_instance for r in rows)
                if value > slots:
                    out.append(_finding(
                        plan, index, claim, "CLAIM-030", "more concurrent users than the services can hold",
                        f"{value:,.0f} concurrent users promised; if each holds one request or connection the "
                        f"services offer {' + '.join(f'{r.max_instances} x {r.per_instance} ({r.name})' for r in rows)} "
                        f"= {slots:,} slots.", "raise max instances or concurrency"))
            else:
                target = float(plan.spec.checks.target_utilization)
                sustainable = min(r.max_instances * r.per_instance * target / (r.service_time_ms / 1000) for r in rows)
                if value > sustainable:
                    out.append(_finding(
                        plan, index, claim, "CLAIM-031", "a peak rate the services cannot sustain",
                        f"{value:,.0f} req/s promised; the tightest service sustains {sustainable:,.0f} req/s "
                        f"(max instances x concurrency x {target:.0%} / service time).", "raise the scaling caps"))
        elif claim.kind == "db_connections":
            budgets = [b for b in cap.connections if not claim.components or b.database in claim.components]
            for budget in budgets:
                if budget.clients and not budget.unknown_clients and \
                        abs(budget.total - value) > TOLERANCE * max(value, 1):
                    formula = "; ".join(f"{formula} = {count}" for _c, count, formula in budget.clients)
                    out.append(_finding(
                        plan, index, claim, "CLAIM-040", "connection arithmetic does not hold",
                        f"{value:,.0f} connections stated; the pools at full scale open {budget.total:,} ({formula}); "
                        f"max_connections is {budget.max_connections}.", "count every worker's pool and overflow"))
                if value > budget.max_connections:
                    out.append(_finding(
                        plan, index, claim, "CLAIM-041", "more connections than the database accepts",
                        f"{value:,.0f} connections stated; {budget.database} accepts {budget.max_connections} "
                        f"({budget.max_connections_source}).", "a pooler, a larger tier or smaller pools"))
        elif claim.kind == "llm_tokens_per_month":
            llms = [c for c in plan.components if c.kind == "llm" and (not claim.components or c.name in claim.components)]
            tokens = sum(float(c.usage.get("input_tokens") + c.usage.get("output_tokens")
                               + c.usage.get("cached_input_tokens")) for c in llms)
            if llms and abs(tokens - value) > TOLERANCE * value:
                out.append(_finding(
                    plan, index, claim, "CLAIM-050", "token volume does not match the plan's usage",
                    f"{value:,.0f} tokens a month stated; the plan's LLM usage is {tokens:,.0f} "
                    "(input + output + cached, chats a day x 30.42 x tokens a chat).", "align the figures"))
        elif claim.kind in ("rto_minutes", "rpo_minutes"):
            rows = [r for r in avail.recovery if not claim.components or r.component in claim.components]
            attr = "rto_minutes" if claim.kind == "rto_minutes" else "rpo_minutes"
            worst = max(rows, key=lambda r: getattr(r, attr), default=None)
            if worst and getattr(worst, attr) > value:
                achieved = getattr(worst, attr)
                out.append(_finding(
                    plan, index, claim, "CLAIM-060" if attr == "rto_minutes" else "CLAIM-061",
                    f"{'recovery time' if attr == 'rto_minutes' else 'data loss'} promised is not achievable",
                    f"{value:g} min promised; {worst.component} ({worst.scenario}): "
                    f"{'unbounded' if achieved == math.inf else f'{achieved:g} min'} ({worst.basis}).",
                    "HA and point-in-time recovery, or promise what the configuration gives"))
    return out
