"""Every claim the plan carries, recomputed from the model and given a verdict: held, off (with the computed
figure and the arithmetic), or not checkable (and why). Findings are raised for the claims that are off.

A claim is about components, a named flow, a line item, or (none of them) the whole plan; it is audited in
the environment it names (the default one otherwise) and pairs only with claims of that environment.
The explanation of each verdict is generated from the model; the author's `note` is kept apart.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from archplan.check import Finding, minutes_text
from archplan.check.availability import MINUTES_PER_MONTH, MINUTES_PER_YEAR, series
from archplan.check.regions import recovery_fix
from archplan.components.base import DAYS_PER_MONTH, HOURS_PER_MONTH

TOLERANCE = 0.10  # figures within 10% agree (rounding in documents)
AVAILABILITY_ROUNDING = 0.005  # percentage points: 99.899% reads as 99.90%
HELD, OFF, NOT_CHECKABLE = "held", "off", "not checkable"


@dataclass
class ClaimVerdict:
    id: str
    kind: str
    environment: str | None
    about: str  # what the claim is about, in words
    stated: str  # the claim's figure, formatted
    verdict: str  # held | off | not checkable
    computed: str | None  # archplan's figure, formatted
    explanation: str  # the arithmetic (held, off) or why it cannot be checked
    note: str | None = None  # the author's commentary, shown apart
    source: str | None = None
    line: int | None = None
    finding: str | None = None  # the finding raised (or the one it is the same fact as)
    computed_value: float | None = None  # for tests and tools: archplan's figure in the claim's unit


@dataclass
class Context:
    """One environment's plan and analyses, and its claims by id."""

    plan: object
    avail: object
    cap: object
    claims: dict
    _cost: object = None

    @property
    def cost(self):
        if self._cost is None:
            from archplan.check import plan_cost

            self._cost = plan_cost(self.plan)
        return self._cost


def _shown_usd(value: Decimal) -> Decimal:
    """A USD amount as _money shows it: to the cent, or three significant figures below a dollar."""
    from archplan.render.numbers import round_money

    value = value if isinstance(value, Decimal) else Decimal(str(value))
    if abs(value) < 1 and value != 0:
        return Decimal(f"{float(value):.3g}")
    return round_money(value)


def _money(value, currency: str) -> str:
    from archplan.render.numbers import SYMBOLS, amount

    value = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if abs(value) < 1 and value != 0:  # three significant figures: $0.000155, not $0.0002
        return f"{SYMBOLS.get(currency, currency + ' ')}{Decimal(f'{float(value):.3g}'):f}"  # never 3.6e-07
    return amount(value, currency)


def _num(value: float) -> str:
    if value == math.inf:
        return "unbounded"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.4g}"


def _off_by(stated: float, computed: float) -> float:
    if stated == computed:
        return 0.0
    return abs(computed - stated) / abs(stated) if stated else math.inf


def audit(plan, avail, cap) -> tuple[list[ClaimVerdict], list[Finding]]:
    """Every claim, each against the environment it is about."""
    default = plan.spec.project.default_environment
    groups: dict[str | None, list[int]] = {}
    for index, claim in enumerate(plan.spec.claims):
        groups.setdefault(claim.environment or default, []).append(index)
    verdicts: list[ClaimVerdict] = []
    findings: list[Finding] = []
    for environment, indexes in groups.items():
        if environment == plan.environment:
            ctx = Context(plan, avail, cap, {})
        else:
            from archplan import catalog
            from archplan.check import availability, capacity
            from archplan.plan import resolve
            from archplan.spec.load import load_spec

            # the same file in the claim's environment, at the same phase and region as the plan checked
            other = resolve(load_spec(plan.file, environment, catalog.supported_regions(),
                                      phase=getattr(plan.spec, "phase", None), region=plan.region))
            other_avail = availability.analyse(other)
            ctx = Context(other, other_avail, capacity.analyse(other, other_avail), {})
        ctx.claims = {plan.spec.claims[i].id: plan.spec.claims[i] for i in indexes}
        for index in indexes:
            verdict, finding = _judge(ctx, plan, index, plan.spec.claims[index])
            verdicts.append(verdict)
            if finding is not None:
                findings.append(finding)
    order = {c.id: i for i, c in enumerate(plan.spec.claims)}
    verdicts.sort(key=lambda v: order[v.id])
    return verdicts, findings


@dataclass
class Outcome:
    verdict: str
    computed: str | None
    explanation: str
    code: str | None = None
    title: str = ""
    fix: str = ""
    severity: str = "error"
    value: float | None = None
    fact: tuple | None = None


def _judge(ctx: Context, root_plan, index: int, claim) -> tuple[ClaimVerdict, Finding | None]:
    about = _about(claim)
    stated = _stated(claim)
    if claim.applies_to:
        outcome = Outcome(NOT_CHECKABLE, None, f"about {claim.applies_to}, which the plan does not model")
    else:
        missing = [n for n in (claim.components or []) if n not in {c.name for c in ctx.plan.components}]
        if missing:
            outcome = Outcome(NOT_CHECKABLE, None, f"{', '.join(missing)} not in environment "
                                                   f"{ctx.plan.environment or 'default'}")
        else:
            outcome = JUDGES[claim.kind](ctx, claim)
    line = root_plan.spec.line_of(("claims", index, "value")) or root_plan.spec.line_of(("claims", index))
    verdict = ClaimVerdict(claim.id, claim.kind, ctx.plan.environment, about, stated, outcome.verdict,
                           outcome.computed, outcome.explanation, claim.note, claim.source, line,
                           computed_value=outcome.value)
    finding = None
    if outcome.verdict == OFF and outcome.code:
        where = f" ({claim.source})" if claim.source else ""
        env = f" [environment {ctx.plan.environment}]" if ctx.plan.environment else ""
        finding = Finding(outcome.code, outcome.severity, "claims", outcome.title,
                          f"claim {claim.id}{where}{env}: {stated} for {about}; {outcome.explanation}",
                          outcome.fix, component=(claim.components or [None])[0], line=line, fact=outcome.fact,
                          claim=claim.id)
        verdict.finding = outcome.code
    return verdict, finding


def _about(claim) -> str:
    if claim.flow:
        return f"flow {claim.flow}"
    if claim.line_item:
        return f"line item '{claim.line_item}'"
    if claim.components:
        return ", ".join(claim.components) + (" (each)" if claim.per_component else "")
    if claim.kind == "consistency":
        return "claims " + ", ".join(claim.claims)
    return "the whole plan"


UNITS = {
    "monthly_cost": "a month", "annual_cost": "a year", "hourly_cost": "an hour", "cost_per_user": "per user a month",
    "cost_per_chat": "per chat", "availability_percent": "%", "downtime_minutes_per_month": "min a month",
    "downtime_minutes_per_year": "min a year", "latency_p95_ms": "ms p95", "max_concurrent_users": "concurrent users",
    "peak_rps": "req/s at peak", "db_connections": "database connections", "concurrent_connections": "open connections",
    "instances": "instances at peak", "llm_tokens_per_month": "tokens a month", "tokens_per_chat": "tokens per chat",
    "llm_tokens_saved_per_month": "tokens saved a month", "rto_minutes": "min RTO", "rpo_minutes": "min RPO",
    "consistency": "",
}


def _stated(claim) -> str:
    if claim.currency:
        return f"{_money(claim.value, claim.currency)} {UNITS[claim.kind]}"
    if claim.kind == "consistency":
        return "figures that agree"
    suffix = UNITS[claim.kind]
    return f"{claim.value:g}{suffix}" if suffix == "%" else f"{_num(float(claim.value))} {suffix}"


# --- cost ----------------------------------------------------------------------------------------------------

def _subject_cost_usd(ctx: Context, claim) -> tuple[Decimal, str] | str:
    """(monthly USD of what the claim is about, the sum in words) or why it cannot be priced."""
    report = ctx.cost
    if claim.line_item:
        wanted = claim.line_item.lower()
        items = [i for i in report.line_items if wanted in i.description.lower() or wanted in i.sku.lower()]
        if not items:
            return f"no line item of `archplan cost` matches '{claim.line_item}'"
        total = sum((i.monthly_usd for i in items), Decimal(0))
        return total, " + ".join(f"{i.component} {i.description} {_money(i.monthly_usd, 'USD')}" for i in items)
    if claim.flow:
        return "a cost claim is about components, a line item or the whole plan, not a flow"
    if claim.components is None and claim.kind == "cost_per_chat":
        names = [c.name for c in ctx.plan.components if c.kind == "llm"]
        if not names:
            return "the plan has no llm component to price chats with"
    else:
        names = claim.components
    if names is None:
        by_component = report.by_component()
        priced = [n for n, _kind in report.component_order if by_component.get(n)]
        if len(priced) <= 3:
            items = [i for i in report.line_items if i.monthly_usd]
            text = (" + ".join(_line(i) for i in items) if len(items) <= 8 else
                    " + ".join(f"{n} {_money(by_component[n], 'USD')}" for n in priced))
        else:
            top = sorted(priced, key=lambda n: -by_component[n])
            text = " + ".join(f"{n} {_money(by_component[n], 'USD')}" for n in top[:5])
            if len(top) > 5:
                rest = sum((by_component[n] for n in top[5:]), Decimal(0))
                text += f" + {len(top) - 5} more {_money(rest, 'USD')}"
        if report.contingency_percent:
            text += (f" = subtotal {_money(report.subtotal_usd, 'USD')} + {report.contingency_percent}% contingency "
                     f"{_money(report.contingency_usd, 'USD')}")
        if " + " in text or report.contingency_percent:
            text += f" = {_money(report.total_usd, 'USD')}"
        return report.total_usd, text + " a month"
    by_component = report.by_component()
    total = report.components_usd(names)
    if len(names) <= 3:  # few components: their line items, each quantity x unit price
        items = [i for i in report.line_items if i.component in names and i.monthly_usd]
        if 0 < len(items) <= 8:
            return total, " + ".join(_line(i) for i in items) + f" = {_money(total, 'USD')} a month"
    parts = " + ".join(f"{n} {_money(by_component.get(n, Decimal(0)), 'USD')}" for n in names)
    return total, (parts + f" = {_money(total, 'USD')} a month") if len(names) > 1 else f"{parts} a month"


def _line(item) -> str:
    """One line item as its arithmetic: billable quantity x unit price (tiered prices give only the total)."""
    head = f"{item.component} {item.description}"
    if item.tiered or not item.unit_price_usd:
        return f"{head} {_money(item.monthly_usd, 'USD')}"
    quantity = item.billable_quantity
    shown = f"{quantity:,.0f}" if quantity >= 1000 else f"{float(quantity):,.4g}"
    return (f"{head} {shown} {item.unit} x {_money(item.unit_price_usd, 'USD')} "
            f"= {_money(item.monthly_usd, 'USD')}")


def _chats_per_month(ctx: Context, claim) -> tuple[float, str] | None:
    if claim.basis and claim.basis.chats_per_day is not None:
        per_day = float(claim.basis.chats_per_day)
        return per_day * float(DAYS_PER_MONTH), f"{per_day:,.0f} chats a day (the claim's basis) x 30.4167"
    llms = [c for c in ctx.plan.components if c.kind == "llm" and c.spec.chats_per_day is not None
            and (not claim.components or c.name in claim.components)]
    if not llms:
        return None
    per_day = max(float(c.spec.chats_per_day) for c in llms)
    return per_day * float(DAYS_PER_MONTH), f"{per_day:,.0f} chats a day ({llms[0].name}) x 30.4167"


def _llm_volume_mismatch(ctx: Context, claim) -> str | None:
    """A cost or token claim made at another chat volume than the plan's, where it cannot be rescaled."""
    if not (claim.basis and claim.basis.chats_per_day is not None):
        return None
    names = claim.components or [c.name for c in ctx.plan.components]
    kinds = {c.kind for c in ctx.plan.components if c.name in names}
    if kinds - {"llm"}:
        planned = [c.spec.chats_per_day for c in ctx.plan.components if c.kind == "llm" and c.spec.chats_per_day]
        if planned and float(planned[0]) != float(claim.basis.chats_per_day):
            return (f"the figure is for {claim.basis.chats_per_day:,} chats a day and covers more than the LLM; the "
                    f"plan models {planned[0]:,}, and only LLM usage scales with chats")
    return None


def _cost(ctx: Context, claim) -> Outcome:
    if claim.basis and (claim.basis.daily_active_users is not None or claim.basis.monthly_active_users is not None):
        planned = ctx.plan.spec.traffic
        for key in ("daily_active_users", "monthly_active_users"):
            value = getattr(claim.basis, key)
            if value is not None and (planned is None or getattr(planned, key) != value):
                return Outcome(NOT_CHECKABLE, None, f"the figure is for {key.replace('_', ' ')} = {value:,}; the plan "
                                                    f"models {getattr(planned, key, None) if planned else None}")
    mismatch = _llm_volume_mismatch(ctx, claim)
    if mismatch:
        return Outcome(NOT_CHECKABLE, None, mismatch)
    subject = _subject_cost_usd(ctx, claim)
    if isinstance(subject, str):
        return Outcome(NOT_CHECKABLE, None, subject)
    monthly_usd, how = subject
    scale_text = ""
    if claim.basis and claim.basis.chats_per_day is not None:
        planned = [c for c in ctx.plan.components if c.kind == "llm" and c.spec.chats_per_day]
        if planned and float(planned[0].spec.chats_per_day) != float(claim.basis.chats_per_day):
            factor = claim.basis.chats_per_day / planned[0].spec.chats_per_day
            monthly_usd *= factor
            scale_text = (f"; rescaled to the claim's {claim.basis.chats_per_day:,} chats a day from the plan's "
                          f"{planned[0].spec.chats_per_day:,}: x {factor:.4g}")
    rate = Decimal(1) if claim.currency == "USD" else ctx.cost.rate_for(claim.currency)
    fx = "" if claim.currency == "USD" else f" x {rate} {claim.currency}/USD"
    if claim.kind == "monthly_cost":
        computed, formula = monthly_usd * rate, f"{how}{scale_text}{fx}"
    elif claim.kind == "annual_cost":  # the month as shown, x 12: as cost's tables show the year
        computed, formula = _shown_usd(monthly_usd) * 12 * rate, f"({how}{scale_text}) x 12{fx}"
    elif claim.kind == "hourly_cost":
        computed, formula = monthly_usd / HOURS_PER_MONTH * rate, f"({how}{scale_text}) / 730 h{fx}"
    elif claim.kind == "cost_per_user":
        users, who = _users(ctx, claim)
        if users is None:
            return Outcome(NOT_CHECKABLE, None, "no user count: set traffic.monthly_active_users or "
                                                "daily_active_users, or the claim's basis.users")
        computed, formula = monthly_usd / Decimal(str(users)) * rate, f"({how}) / {users:,.0f} {who}{fx}"
    else:  # cost_per_chat
        chats = _chats_per_month(ctx, claim)
        if chats is None:
            return Outcome(NOT_CHECKABLE, None, "the plan states no chats_per_day to divide by")
        count, text = chats
        computed, formula = monthly_usd / Decimal(str(count)) * rate, f"({how}) / ({text} = {count:,.0f} chats a month){fx}"
    off = _off_by(float(claim.value), float(computed))
    shown = _money(computed, claim.currency)
    explanation = f"priced from unit prices: {formula}"
    if not formula.endswith(f"{shown} a month"):
        explanation += f" = {shown}"
    if claim.value:
        explanation += f" ({(float(computed) - float(claim.value)) / float(claim.value) * 100:+.0f}% against the claim)"
    fact = None
    budget = ctx.plan.spec.project.monthly_budget
    if claim.kind == "monthly_cost" and claim.components is None and claim.line_item is None and budget and \
            budget.amount == claim.value and budget.currency == claim.currency:
        fact = ("budget", ctx.plan.environment)
    code = {"monthly_cost": "CLAIM-001", "annual_cost": "CLAIM-001", "hourly_cost": "CLAIM-002",
            "cost_per_user": "CLAIM-003", "cost_per_chat": "CLAIM-004"}[claim.kind]
    return Outcome(OFF if off > TOLERANCE else HELD, shown, explanation, code,
                   "a cost figure the plan does not support",
                   "correct the figure (see `archplan cost` line items) or the configuration",
                   value=float(computed), fact=fact)


def _users(ctx: Context, claim) -> tuple[float | None, str]:
    if claim.basis and claim.basis.users is not None:
        return float(claim.basis.users), "users (the claim's basis)"
    traffic = ctx.plan.spec.traffic
    if traffic and traffic.monthly_active_users is not None:
        return float(traffic.monthly_active_users), "monthly active users"
    if traffic and traffic.daily_active_users is not None:
        return float(traffic.daily_active_users), "daily active users"
    return None, ""


# --- availability --------------------------------------------------------------------------------------------

def _subject_availability(ctx: Context, claim) -> tuple[float, str, str] | str:
    """(percent, the product in words, the subject in words) or why it cannot be computed."""
    avail = ctx.avail
    if claim.flow:
        path = next((p for p in avail.entries if p.kind == "flow" and p.name == claim.flow), None)
        if path is None or not path.components:
            return f"flow {claim.flow} has no components in this environment"
        return path.percent, path.formula(avail.components), f"flow {claim.flow}"
    if claim.components:
        names = [n for n in claim.components if n in avail.components]
        percent = series([avail.components[n].percent for n in names])
        product = " x ".join(f"{avail.components[n].percent:g}% ({n})" for n in names)
        return percent, (product + f" = {percent:.3f}%") if len(names) > 1 else product, ", ".join(names)
    requests = [p for p in avail.entries if p.kind == "request"]
    if not requests:
        return "the plan has no request path"
    worst = min(requests, key=lambda p: p.percent)
    return worst.percent, worst.formula(avail.components), f"the weakest request path ({worst.name})"


def _availability(ctx: Context, claim) -> Outcome:
    value = float(claim.value)
    if claim.per_component and claim.components:
        rows = [(n, ctx.avail.components[n]) for n in claim.components]
        short = [(n, a) for n, a in rows if a.percent + AVAILABILITY_ROUNDING < value]
        listing = "; ".join(f"{n} {a.percent:g}% ({a.configuration}, {a.basis})" for n, a in rows)
        lowest = min(a.percent for _n, a in rows)
        if short:
            return Outcome(OFF, f"{lowest:g}%", f"each component's own availability: {listing}; "
                           f"{', '.join(n for n, _a in short)} below {value:g}%", "CLAIM-010",
                           "an availability the SLAs do not support",
                           "HA configurations, or promise what each SLA gives", value=lowest)
        return Outcome(HELD, f"{lowest:g}%", f"each component's own availability: {listing}", value=lowest)
    subject = _subject_availability(ctx, claim)
    if isinstance(subject, str):
        return Outcome(NOT_CHECKABLE, None, subject)
    computed, product, what = subject
    explanation = (f"{what}: {product}; downtime (1 - {computed / 100:.5f}) x 43,800 = "
                   f"{(1 - computed / 100) * MINUTES_PER_MONTH:.1f} min a month, against "
                   f"{(1 - value / 100) * MINUTES_PER_MONTH:.1f} promised")
    fact = None
    slo = ctx.avail.slo_percent
    if claim.components is None and claim.flow is None and slo is not None and abs(slo - value) < 1e-9:
        fact = ("availability-slo", ctx.plan.environment)
    flow = ctx.plan.spec.flows.get(claim.flow) if claim.flow else None
    if flow and flow.slo and flow.slo.availability_percent is not None and \
            abs(float(flow.slo.availability_percent) - value) < 1e-9:
        fact = ("flow-availability", claim.flow, ctx.plan.environment)  # the flow's own target, AVAIL-006
    verdict = OFF if value > computed + AVAILABILITY_ROUNDING else HELD
    return Outcome(verdict, f"{computed:.3f}%", explanation, "CLAIM-010",
                   "an availability the SLAs in its path do not support",
                   "HA configurations on the path, soft dependencies where a request survives without a "
                   "component, or promise what the path supports", value=computed, fact=fact)


def _downtime(ctx: Context, claim) -> Outcome:
    value = float(claim.value)
    period, label = (MINUTES_PER_MONTH, "month") if claim.kind.endswith("month") else (MINUTES_PER_YEAR, "year")
    basis, basis_text = None, ""
    if claim.basis and claim.basis.availability_percent is not None:
        basis, basis_text = float(claim.basis.availability_percent), "the claim's own basis"
    else:
        paired = [c for c in ctx.claims.values() if c.kind == "availability_percent" and c.id != claim.id
                  and c.components == claim.components and c.flow == claim.flow and not c.per_component]
        if len(paired) == 1:
            basis, basis_text = float(paired[0].value), f"claim {paired[0].id} (same subject and environment)"
    if basis is not None:
        # A downtime stated for an availability is a conversion: its arithmetic is what it claims. Whether
        # the plan reaches that availability is the availability claim's (or the SLO's) own verdict.
        allowed = (1 - basis / 100) * period
        arithmetic = (f"{basis:g}% ({basis_text}) allows (1 - {basis / 100:g}) x {period:,} min = {allowed:.1f} "
                      f"min a {label} ({(1 - basis / 100) * MINUTES_PER_MONTH:.1f} min a month, "
                      f"{(1 - basis / 100) * MINUTES_PER_YEAR / 60:.2f} h a year)")
        if _off_by(allowed, value) > TOLERANCE:
            return Outcome(OFF, f"{allowed:.1f} min", f"{value:g} min a {label} stated, but {arithmetic}", "CLAIM-011",
                           "downtime figure inconsistent with the availability it assumes",
                           "state the downtime the availability implies", value=allowed)
        return Outcome(HELD, f"{allowed:.1f} min", arithmetic, value=allowed)
    subject = _subject_availability(ctx, claim)
    if isinstance(subject, str):
        return Outcome(NOT_CHECKABLE, None, subject)
    computed, product, what = subject
    expected = (1 - computed / 100) * period
    text = f"{what}: {product}, so (1 - {computed / 100:.5f}) x {period:,} = {expected:.1f} min a {label} within SLA"
    if value < expected * (1 - TOLERANCE):
        return Outcome(OFF, f"{expected:.1f} min", f"{value:g} min a {label} stated; {text}", "CLAIM-012",
                       "less downtime promised than the SLAs in the path allow",
                       "HA on the weakest components, or a truthful figure", value=expected)
    return Outcome(HELD, f"{expected:.1f} min", text, value=expected)


# --- capacity ------------------------------------------------------------------------------------------------

def _service_rows(ctx: Context, claim, request_side_only: bool = True):
    rows = ctx.cap.services
    if claim.flow:
        path = next((p for p in ctx.avail.entries if p.kind == "flow" and p.name == claim.flow), None)
        names = set(path.components) if path else set()
        return [r for r in rows if r.name.split("/")[0] in names]
    if claim.components:
        return [r for r in rows if r.name.split("/")[0] in claim.components or r.name in claim.components]
    return [r for r in rows if not (request_side_only and r.background)]


def _latency(ctx: Context, claim) -> Outcome:
    value = float(claim.value)
    by_name = {r.name: r for r in ctx.cap.services}
    if not claim.components:  # the whole plan or a flow: end to end along its paths
        if claim.flow:
            paths = [p for p in ctx.cap.paths if p.kind == "flow" and p.name == claim.flow]
        else:
            paths = [p for p in ctx.cap.paths if p.kind == "request"]
        if paths:
            worst = max(paths, key=lambda p: p.p95_ms)
            assumed = sorted({a for n in worst.services for a in by_name[n].assumptions if a.startswith("service_time_distribution")})
            text = f"slowest path {worst.name}: {worst.formula(by_name)}" + "".join(f" (assumed: {a})" for a in assumed)
            slo = ctx.plan.spec.slo.latency_p95_ms if ctx.plan.spec.slo else None
            fact = ("latency-slo", ctx.plan.environment) if not claim.flow and slo is not None and float(slo) == value \
                else None
            flow = ctx.plan.spec.flows.get(claim.flow) if claim.flow else None
            if flow and flow.slo and flow.slo.latency_p95_ms is not None and float(flow.slo.latency_p95_ms) == value:
                fact = ("flow-latency", claim.flow, ctx.plan.environment)  # the flow's own target, CAP-005
            if worst.p95_ms > value:
                return Outcome(OFF, f"{worst.p95_ms:.0f} ms", text, "CLAIM-020",
                               "a latency the capacity model does not support",
                               "faster hops, fewer synchronous hops, state service_time_distribution, or promise what the "
                               "model gives", severity="warning", value=worst.p95_ms, fact=fact)
            return Outcome(HELD, f"{worst.p95_ms:.0f} ms", text, value=worst.p95_ms)
    rows = _service_rows(ctx, claim)
    held_open = [r for r in rows if r.long_lived]
    rows = [r for r in rows if not r.long_lived]
    if not rows:
        why = "no request-driven service in its subject (archplan models service queues, not database, CDN or " \
              "network latency)"
        if held_open:
            why = f"{', '.join(r.name for r in held_open)} hold long-lived connections: time to first byte is not modelled"
        return Outcome(NOT_CHECKABLE, None, why)
    worst = max(rows, key=lambda r: r.p95_ms)
    assumed = [a for a in worst.assumptions if a.startswith("service_time_distribution")]
    text = f"slowest is {worst.name}: {worst.model}" + "".join(f" (assumed: {a})" for a in assumed)
    slo = ctx.plan.spec.slo.latency_p95_ms if ctx.plan.spec.slo else None
    alone = next((p for p in ctx.cap.paths if p.kind == "request" and p.services == [worst.name]), None)
    fact = ("latency-slo", ctx.plan.environment) if alone and slo is not None and float(slo) == value else None
    if worst.p95_ms > value:
        return Outcome(OFF, f"{worst.p95_ms:.0f} ms", text, "CLAIM-020", "a latency the capacity model does not support",
                       "faster service time or more headroom, state service_time_distribution, or promise what the model gives",
                       severity="warning", value=worst.p95_ms, fact=fact)
    return Outcome(HELD, f"{worst.p95_ms:.0f} ms", text, value=worst.p95_ms)


def _concurrent_users(ctx: Context, claim) -> Outcome:
    value = float(claim.value)
    rows = _service_rows(ctx, claim)
    if not rows:
        return Outcome(NOT_CHECKABLE, None, "no request-driven service to hold the users")
    held_open = [r for r in rows if r.long_lived]
    if held_open:  # each user holds one connection: the connection services' slots add up
        slots = sum(r.max_instances * r.concurrency for r in held_open)
        text = ("each user holds one open connection: " + " + ".join(
            f"{r.max_instances} x {r.concurrency} ({r.name})" for r in held_open) + f" = {slots:,} at once")
    else:
        # A user's request passes through every service it calls: the system holds as many users as its
        # tightest service, scaled by the share of requests that service sees.
        system_rps = (float(ctx.plan.traffic.requests_per_month) / (float(HOURS_PER_MONTH) * 3600)
                      if ctx.plan.traffic.requests_per_month else None)
        limits = []
        for r in rows:
            own = r.max_instances * r.per_instance
            share = r.avg_rps / system_rps if system_rps and r.avg_rps else None
            if share and not claim.components:
                limits.append((own / share, f"{r.name}: {r.max_instances} x {r.per_instance} = {own:,} at once for "
                                            f"{share:.1%} of the requests = {own / share:,.0f} users"))
            else:
                limits.append((float(own), f"{r.name}: {r.max_instances} x {r.per_instance} = {own:,} at once"))
        if claim.components and len(rows) > 1:
            slots = sum(limit for limit, _t in limits)
            text = ("if each user holds one request at a time, the named services hold " +
                    " + ".join(t for _l, t in limits) + f" = {slots:,.0f}")
        else:
            slots, how = min(limits, key=lambda item: item[0])
            text = f"if each user holds one request at a time, the tightest service holds them: {how}"
    if value > slots:
        return Outcome(OFF, f"{slots:,.0f}", text, "CLAIM-030", "more concurrent users than the services can hold",
                       "raise max instances or concurrency", value=float(slots))
    return Outcome(HELD, f"{slots:,.0f}", text, value=float(slots))


def _peak_rps(ctx: Context, claim) -> Outcome:
    value = float(claim.value)
    rows = [r for r in _service_rows(ctx, claim) if not r.long_lived]
    if not rows:
        return Outcome(NOT_CHECKABLE, None, "no request-driven service in its subject")
    target = float(ctx.plan.spec.checks.target_utilization)
    system_rps = (float(ctx.plan.traffic.requests_per_month) / (float(HOURS_PER_MONTH) * 3600)
                  if ctx.plan.traffic.requests_per_month else None)
    limits = []
    for r in rows:
        own = r.max_instances * r.per_instance * target / (r.service_time_ms / 1000)
        # a cluster (its rows are cluster/deployment) takes the users' requests: each deployment sees its share
        own_rate = claim.components and "/" not in r.name
        if own_rate or not system_rps or r.avg_rps == 0:
            limits.append((own, r, f"{r.name}: {r.max_instances} x {r.per_instance} x {target:g} / "
                                   f"{r.service_time_ms / 1000:g} s = {own:,.0f} req/s"))
        else:
            share = r.avg_rps / system_rps
            whole = r.name.split("/")[0] if claim.components else "the system"
            limits.append((own / share, r, f"{r.name} sees {share:.1%} of the requests and sustains {r.max_instances} "
                                           f"x {r.per_instance} x {target:g} / {r.service_time_ms / 1000:g} s = "
                                           f"{own:,.0f} req/s, so {whole} sustains {own:,.0f} / {share:.3g} = "
                                           f"{own / share:,.0f} req/s"))
    sustainable, binding, text = min(limits, key=lambda item: item[0])
    text = f"the tightest is {text}"
    if value > sustainable:
        return Outcome(OFF, f"{sustainable:,.0f} req/s", text, "CLAIM-031", "a peak rate the services cannot sustain",
                       f"raise {binding.name}'s max_instances or concurrency", value=sustainable)
    return Outcome(HELD, f"{sustainable:,.0f} req/s", text, value=sustainable)


def _db_connections(ctx: Context, claim) -> Outcome:
    value = float(claim.value)
    budgets = [b for b in ctx.cap.connections if not claim.components or b.database in claim.components]
    if not budgets:
        return Outcome(NOT_CHECKABLE, None, "no Cloud SQL database in its subject")
    unknown = [c for b in budgets for c in b.unknown_clients]
    if unknown:
        poolless = [c for c in unknown if "/" not in c and not hasattr(ctx.plan.component(c).spec, "db_pool_size")]
        return Outcome(NOT_CHECKABLE, None, f"{', '.join(unknown)} set no db_pool_size" + (
            f" ({', '.join(poolless)}: {'a kind' if len(poolless) == 1 else 'kinds'} with no pool setting)"
            if poolless else "") + ", so the connections they open cannot be counted")
    if not any(b.clients for b in budgets):
        return Outcome(NOT_CHECKABLE, None, "no component depends on the database")
    total = sum(b.total for b in budgets)
    formula = "; ".join(f"{client}: {formula} = {count:,}" for b in budgets for client, count, formula in b.clients)
    limits = ", ".join(f"{b.database} accepts {b.max_connections:,} ({b.max_connections_source})" for b in budgets)
    text = f"the pools at full scale open {formula}; total {total:,}; {limits}"
    if _off_by(value, total) > TOLERANCE:
        return Outcome(OFF, f"{total:,}", text, "CLAIM-040", "connection arithmetic does not hold",
                       "count every instance's workers, pool and overflow", value=float(total))
    return Outcome(HELD, f"{total:,}", text, value=float(total))


def _concurrent_connections(ctx: Context, claim) -> Outcome:
    value = float(claim.value)
    rows = [r for r in _service_rows(ctx, claim, request_side_only=False) if r.long_lived]
    if not rows:
        return Outcome(NOT_CHECKABLE, None, "no service in its subject holds long-lived connections (set long_lived)")
    slots = sum(r.max_instances * r.concurrency for r in rows)
    open_now = sum(r.concurrent_connections for r in rows)
    text = (" + ".join(f"{r.max_instances} max instances x {r.concurrency} concurrency ({r.name})" for r in rows)
            + f" = {slots:,} connections at once; the traffic model opens {open_now:,.0f} at peak")
    if value > slots:
        return Outcome(OFF, f"{slots:,}", text, "CLAIM-042", "more open connections than the services can hold",
                       "raise max_instances or concurrency", value=float(slots))
    return Outcome(HELD, f"{slots:,}", text, value=float(slots))


def _instances(ctx: Context, claim) -> Outcome:
    value = float(claim.value)
    rows = _service_rows(ctx, claim, request_side_only=False)
    if not rows:
        return Outcome(NOT_CHECKABLE, None, "no autoscaled service in its subject")
    total = sum(min(r.instances_needed, r.max_instances) for r in rows)
    target = float(ctx.plan.spec.checks.target_utilization)
    text = "; ".join(f"{r.name}: ceil({r.peak_rps * r.service_time_ms / 1000:.2f} in flight / ({r.per_instance if not r.long_lived else r.concurrency} "
                     f"x {target:g})) = {r.instances_needed}, within min {r.min_instances} and max {r.max_instances}"
                     for r in rows) + f"; total {total}"
    if abs(value - total) > max(1.0, TOLERANCE * total):
        return Outcome(OFF, str(total), text, "CLAIM-043", "instance count the traffic does not give",
                       "state the instances the traffic needs, or the traffic that needs them", value=float(total))
    return Outcome(HELD, str(total), text, value=float(total))


# --- LLM -----------------------------------------------------------------------------------------------------

def _llms(ctx: Context, claim):
    return [c for c in ctx.plan.components if c.kind == "llm" and (not claim.components or c.name in claim.components)]


def _tokens_month(ctx: Context, claim) -> Outcome:
    value = float(claim.value)
    llms = _llms(ctx, claim)
    if not llms:
        return Outcome(NOT_CHECKABLE, None, "no llm component in its subject")
    if claim.basis and claim.basis.chats_per_day is not None:
        per_chat = [c for c in llms if c.spec.per_chat is not None]
        if len(per_chat) != len(llms):
            return Outcome(NOT_CHECKABLE, None, "the claim is for another chat volume and the plan states no "
                                                "tokens per chat to scale")
        tokens_chat = sum(float(c.spec.per_chat.input + c.spec.per_chat.output + c.spec.per_chat.cached_input)
                          for c in per_chat)
        chats = float(claim.basis.chats_per_day) * float(DAYS_PER_MONTH)
        tokens = tokens_chat * chats
        text = (f"{tokens_chat:,.0f} tokens a chat x {claim.basis.chats_per_day:,} chats a day (the claim's basis) "
                f"x 30.4167 = {tokens:,.0f}")
    else:
        tokens = sum(float(c.usage.get("input_tokens") + c.usage.get("output_tokens") + c.usage.get("cached_input_tokens"))
                     for c in llms)
        parts = []
        for c in llms:
            chats = c.usage.get("chats")
            if c.spec.per_chat is not None and chats:
                t = c.spec.per_chat
                parts.append(f"{c.name}: ({t.input:,} + {t.output:,} + {t.cached_input:,}) tokens a chat x "
                             f"{chats:,.0f} chats a month")
            else:
                parts.append(f"{c.name}: the plan's token volume")
        text = "; ".join(parts) + f" = {tokens:,.0f} a month"
    if _off_by(value, tokens) > TOLERANCE:
        return Outcome(OFF, f"{tokens:,.0f}", text, "CLAIM-050", "token volume does not match the plan's usage",
                       "align the figures (or state the chat volume the figure assumes as basis.chats_per_day)",
                       value=tokens)
    return Outcome(HELD, f"{tokens:,.0f}", text, value=tokens)


def _tokens_chat(ctx: Context, claim) -> Outcome:
    value = float(claim.value)
    llms = [c for c in _llms(ctx, claim) if c.spec.per_chat is not None]
    if not llms:
        return Outcome(NOT_CHECKABLE, None, "no llm component in its subject states per_chat tokens")
    tokens = sum(float(c.spec.per_chat.input + c.spec.per_chat.output + c.spec.per_chat.cached_input) for c in llms)
    text = " + ".join(f"{c.name}: {c.spec.per_chat.input:,} input + {c.spec.per_chat.output:,} output + "
                      f"{c.spec.per_chat.cached_input:,} cached" for c in llms) + f" = {tokens:,.0f} tokens a chat"
    if _off_by(value, tokens) > TOLERANCE:
        return Outcome(OFF, f"{tokens:,.0f}", text, "CLAIM-051", "tokens per chat do not match the plan",
                       "align the per-chat figure with the plan's per_chat tokens", value=tokens)
    return Outcome(HELD, f"{tokens:,.0f}", text, value=tokens)


def _tokens_saved(ctx: Context, claim) -> Outcome:
    """A monthly saving: (the tokens a chat used before - the plan's tokens a chat) x chats a day x 30.4167,
    at the plan's chat volume unless the claim states its own."""
    replaced = claim.basis.replaced_tokens_per_chat if claim.basis else None
    if replaced is None:
        return Outcome(NOT_CHECKABLE, None, "a saving against a prompt the plan does not model: state the tokens "
                                            "a chat used before as basis.replaced_tokens_per_chat")
    llms = [c for c in _llms(ctx, claim) if c.spec.per_chat is not None]
    if not llms:
        return Outcome(NOT_CHECKABLE, None, "no llm component in its subject states per_chat tokens")
    now = sum(float(c.spec.per_chat.input + c.spec.per_chat.output + c.spec.per_chat.cached_input) for c in llms)
    if claim.basis.chats_per_day is not None:
        chats_day, where = float(claim.basis.chats_per_day), "the claim's basis"
    else:
        planned = [float(c.spec.chats_per_day) for c in llms if c.spec.chats_per_day is not None]
        if len(planned) != len(llms):
            return Outcome(NOT_CHECKABLE, None, "the plan states no chats a day for its llm components")
        chats_day, where = max(planned), "the plan's"
    saved = (float(replaced) - now) * chats_day * float(DAYS_PER_MONTH)
    text = (f"({float(replaced):,.0f} tokens a chat before - {now:,.0f} in the plan) x {chats_day:,.0f} chats a day "
            f"({where}) x 30.4167 = {saved:,.0f} tokens saved a month")
    if _off_by(float(claim.value), saved) > TOLERANCE:
        return Outcome(OFF, f"{saved:,.0f}", text, "CLAIM-052", "the token saving does not match the plan",
                       "recompute the saving from the tokens a chat before and after, at the chat volume it is for",
                       value=saved)
    return Outcome(HELD, f"{saved:,.0f}", text, value=saved)


# --- recovery ------------------------------------------------------------------------------------------------

def _recovery(ctx: Context, claim) -> Outcome:
    value = float(claim.value)
    attr = claim.kind
    rows = [r for r in ctx.avail.recovery if not claim.components or r.component in claim.components]
    if claim.flow:
        path = next((p for p in ctx.avail.entries if p.kind == "flow" and p.name == claim.flow), None)
        rows = [r for r in rows if path and r.component in path.components]
    prefix = ""
    if claim.scenario == "bad deploy":  # stateless services roll back; damaged data is restored like corruption
        rows = [r for r in rows if r.scenario == "data corruption"]
        prefix = "a bad deploy that damages data is undone by a restore, as for data corruption: "
        if not rows:
            return Outcome(NOT_CHECKABLE, None, "no stateful component in its subject: a stateless rollback (Cloud "
                                                "Run revisions, Kubernetes rollouts) takes as long as noticing the "
                                                "bad deploy, which the plan does not model")
    elif claim.scenario:
        rows = [r for r in rows if r.scenario == claim.scenario]
    if not rows:
        scenario = f" for a {claim.scenario}" if claim.scenario else ""
        return Outcome(NOT_CHECKABLE, None, f"no stateful component in its subject has a recovery model{scenario}")
    worst = max(rows, key=lambda r: getattr(r, attr))
    achieved = getattr(worst, attr)
    listing = prefix + "; ".join(f"{r.component}, {r.scenario}: {minutes_text(getattr(r, attr))} ({r.basis})" for r in rows)
    fact = None
    slo = ctx.plan.spec.slo
    target = getattr(slo, attr) if slo else None
    if target is not None and float(target) == value and not claim.components and not claim.scenario:
        fact = (attr, ctx.plan.environment)
    label = "recovery time" if attr == "rto_minutes" else "data loss"
    if achieved > value:
        return Outcome(OFF, minutes_text(achieved), f"{listing}; the worst, {worst.component} ({worst.scenario}), is above "
                       f"{minutes_text(value)}",
                       "CLAIM-060" if attr == "rto_minutes" else "CLAIM-061",
                       f"{label} promised is not achievable",
                       recovery_fix(ctx.plan, attr, worst,
                                    "HA and point-in-time recovery, or promise what the configuration gives"),
                       value=achieved, fact=fact)
    return Outcome(HELD, minutes_text(achieved), listing, value=achieved)


# --- claim against claim -------------------------------------------------------------------------------------

PER_UNIT = {  # (per-unit kind, total kind) -> how many units in the total
    ("hourly_cost", "monthly_cost"): "hours", ("monthly_cost", "annual_cost"): "months",
    ("cost_per_chat", "monthly_cost"): "chats", ("cost_per_user", "monthly_cost"): "users",
    ("tokens_per_chat", "llm_tokens_per_month"): "chats",
    ("availability_percent", "downtime_minutes_per_month"): "downtime",
    ("availability_percent", "downtime_minutes_per_year"): "downtime",
}


def _consistency(ctx: Context, claim) -> Outcome:
    missing = [i for i in claim.claims if i not in ctx.claims]
    if missing:
        return Outcome(NOT_CHECKABLE, None, f"{', '.join(missing)} belong to another environment: claims pair only "
                                            "within one")
    parts = [ctx.claims[i] for i in claim.claims]
    first, total = parts[0], parts[-1]
    def rate_of(currency) -> float:
        return 1.0 if currency in (None, "USD") else float(ctx.cost.rate_for(currency))

    def in_usd(c) -> float:
        return float(c.value) / rate_of(c.currency)

    if len(parts) > 2 or first.kind == total.kind:
        kinds = {p.kind for p in parts}
        if len(kinds) != 1:
            return Outcome(NOT_CHECKABLE, None, "a sum needs claims of one kind (the parts, then their total)")
        money = first.currency is not None
        values = [in_usd(p) if money else float(p.value) for p in parts]
        expected, stated = sum(values[:-1]), values[-1]
        show = (lambda v: _money(Decimal(str(v)) * Decimal(str(rate_of(total.currency))),
                                 total.currency)) if money else _num
        text = (" + ".join(f"{show(v)} ({p.id})" for v, p in zip(values[:-1], parts[:-1])) +
                f" = {show(expected)}; {total.id} states {show(stated)}")
    else:
        relation = PER_UNIT.get((first.kind, total.kind))
        if relation is None:
            return Outcome(NOT_CHECKABLE, None, f"archplan has no rule relating {first.kind} to {total.kind}")
        if relation == "downtime":
            period = MINUTES_PER_MONTH if total.kind.endswith("month") else MINUTES_PER_YEAR
            expected, stated = (1 - float(first.value) / 100) * period, float(total.value)
            text = f"(1 - {float(first.value) / 100:g}) x {period:,} min = {expected:,.1f} min; {total.id} states {stated:,g}"
        else:
            if relation == "hours":
                units, how = float(HOURS_PER_MONTH), "730 hours"
            elif relation == "months":
                units, how = 12.0, "12 months"
            elif relation == "users":
                users, who = _users(ctx, first)
                if users is None:
                    return Outcome(NOT_CHECKABLE, None, "no user count to multiply by")
                units, how = users, f"{users:,.0f} {who}"
            else:
                chats = _chats_per_month(ctx, first if first.basis else total)
                if chats is None:
                    return Outcome(NOT_CHECKABLE, None, "no chat volume to multiply by")
                units, how = chats[0], f"{chats[1]} = {chats[0]:,.0f} chats a month"
            money = first.currency is not None
            per_unit = in_usd(first) if money else float(first.value)
            expected, stated = per_unit * units, in_usd(total) if money else float(total.value)
            show = (lambda v: _money(Decimal(str(v)) * Decimal(str(rate_of(total.currency))),
                                     total.currency)) if money else _num
            text = f"{show(per_unit) if money else _num(per_unit)} ({first.id}) x {how} = {show(expected)}; " \
                   f"{total.id} states {show(stated)}"
    shown = _money(Decimal(str(expected)) * Decimal(str(rate_of(total.currency))), total.currency) \
        if total.currency else _num(expected)
    if _off_by(stated, expected) > TOLERANCE:
        return Outcome(OFF, shown, text, "CLAIM-070", "the document's figures disagree with each other",
                       "recompute one from the other", value=expected)
    return Outcome(HELD, shown, text, value=expected)


JUDGES = {
    "monthly_cost": _cost, "annual_cost": _cost, "hourly_cost": _cost, "cost_per_user": _cost, "cost_per_chat": _cost,
    "availability_percent": _availability, "downtime_minutes_per_month": _downtime,
    "downtime_minutes_per_year": _downtime, "latency_p95_ms": _latency, "max_concurrent_users": _concurrent_users,
    "peak_rps": _peak_rps, "db_connections": _db_connections, "concurrent_connections": _concurrent_connections,
    "instances": _instances, "llm_tokens_per_month": _tokens_month, "tokens_per_chat": _tokens_chat,
    "llm_tokens_saved_per_month": _tokens_saved, "rto_minutes": _recovery, "rpo_minutes": _recovery,
    "consistency": _consistency,
}
