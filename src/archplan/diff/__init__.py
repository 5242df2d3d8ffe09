"""`archplan diff`: what changes between two assessed plans (two files, two environments, or a file and
its git revision): the plan's own settings (project, traffic, SLO, flows, checks); components added,
removed and changed setting by setting; cost per line item and per component with the delta in both
currencies; availability per entry point; capacity headroom; findings raised and resolved.

`compare(before, after)` takes two `archplan.assess.Assessment`s and returns plain data (dicts, lists,
strings, Decimals); the renderers in `archplan.diff.render` format it; `gates` evaluates `--fail-if`.
"""
from __future__ import annotations

import re
from decimal import Decimal

from archplan.assess import finding_key

SCHEMA = "archplan.diff/v1"
SKIPPED_SETTINGS = ("description",)
# the plan's sections beside its components; the environments' definitions show as what they change
PLAN_SECTIONS = ("project", "traffic", "slo", "flows", "checks")
SKIPPED_PROJECT = ("environments", "default_environment")


def _flatten(value, prefix: str = "") -> dict[str, object]:
    """Settings as dotted keys; lists of named items (node pools, deployments) keyed by their name."""
    out: dict[str, object] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            out.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list) and value and all(isinstance(i, dict) and "name" in i for i in value):
        for item in value:
            out[f"{prefix}[{item['name']}]"] = item["name"]  # the item itself: added or removed as one row
            out.update(_flatten({k: v for k, v in item.items() if k != "name"}, f"{prefix}[{item['name']}]"))
    elif isinstance(value, list) and value and all(isinstance(i, dict) for i in value):
        for index, item in enumerate(value):
            out.update(_flatten(item, f"{prefix}[{index}]"))
    else:
        out[prefix] = value
    return out


def settings(component) -> dict[str, object]:
    dumped = component.spec.model_dump(mode="json")
    return {key: value for key, value in _flatten(dumped).items() if key.split(".")[0] not in SKIPPED_SETTINGS}


def plan_settings(spec) -> dict[str, object]:
    """The settings outside the components as dotted keys (traffic.daily_active_users, slo.latency_p95_ms...)."""
    out: dict[str, object] = {}
    for section in PLAN_SECTIONS:
        value = getattr(spec, section)
        if value is None:
            continue
        dumped = value.model_dump(mode="json") if hasattr(value, "model_dump") else \
            {name: flow.model_dump(mode="json") for name, flow in value.items()}
        if section == "project":
            dumped = {key: item for key, item in dumped.items() if key not in SKIPPED_PROJECT}
        out.update(_flatten(dumped, section) if dumped else {})
    return out


def _plan_changes(before, after) -> list[dict]:
    a, b = plan_settings(before.plan.spec), plan_settings(after.plan.spec)
    return [{"setting": key, "before": a.get(key), "after": b.get(key)} for key in sorted(set(a) | set(b))
            if a.get(key) != b.get(key)]


def _component_changes(before, after) -> dict:
    old = {c.name: c for c in before.plan.components}
    new = {c.name: c for c in after.plan.components}
    changed = []
    for name in [n for n in new if n in old]:
        a, b = settings(old[name]), settings(new[name])
        differ = [key for key in sorted(set(a) | set(b)) if a.get(key) != b.get(key)]
        # an item one side has and the other lacks is one row (its name), not a row per setting with defaults
        whole = [key for key in differ if key.endswith("]") and (key in a) != (key in b)]
        emptied = [key for key in differ if [] in (a.get(key), b.get(key))
                   and any(item.startswith(key + "[") for item in whole)]  # [] on the side with no item
        rows = [{"setting": key, "before": a.get(key), "after": b.get(key)} for key in differ
                if key not in emptied and not any(key.startswith(item + ".") for item in whole)]
        if rows:
            changed.append({"component": name, "kind": new[name].kind, "settings": rows})
    return {"added": [{"component": n, "kind": new[n].kind} for n in new if n not in old],
            "removed": [{"component": n, "kind": old[n].kind} for n in old if n not in new],
            "changed": changed}


def _delta(before_usd: Decimal, after_usd: Decimal, before_fx, after_fx) -> dict:
    """The two sides and the change in USD and in the currency shown next to it, each side at its own rate."""
    delta = after_usd - before_usd
    code = before_fx.code.lower()
    return {**before_fx.fields("before", before_usd), **after_fx.fields("after", after_usd), "delta_usd": delta,
            f"delta_{code}": after_usd * after_fx.per_usd - before_usd * before_fx.per_usd,
            # under half a cent is nothing to take a percentage of
            "delta_percent": (delta / before_usd * 100) if abs(before_usd) >= Decimal("0.005") else None}


def _line_items(report) -> dict[tuple, tuple[str, Decimal]]:
    """(component, service, SKU, n-th use of that SKU in the component) -> (description, monthly USD):
    descriptions hold quantities, so they cannot be the key."""
    totals: dict[tuple, tuple[str, Decimal]] = {}
    seen: dict[tuple, int] = {}
    for item in report.line_items:
        base = (item.component, item.service, item.sku)
        seen[base] = seen.get(base, -1) + 1
        totals[base + (seen[base],)] = (item.description, item.monthly_usd)
    return totals


def _cost(before, after, currency: str) -> dict:
    from archplan.render.shown_money import shown

    a, b = before.cost, after.cost
    ra, rb = shown(before.plan, currency), shown(after.plan, currency)
    items_a, items_b = _line_items(a), _line_items(b)
    keys = list(items_a) + [k for k in items_b if k not in items_a]
    lines = []
    nothing = ("", Decimal(0))
    for key in keys:
        (old_text, old), (new_text, new) = items_a.get(key, nothing), items_b.get(key, nothing)
        row = _delta(old, new, ra, rb)
        if old == new and (old == 0 or old_text == new_text):
            continue
        lines.append({"component": key[0], "service": key[1], "sku": key[2],
                      "description": new_text or old_text, "description_before": old_text,
                      "status": "added" if key not in items_a else "removed" if key not in items_b else "changed",
                      **row})
    comp_a, comp_b = a.by_component(), b.by_component()
    names = list(comp_a) + [n for n in comp_b if n not in comp_a]
    components = [{"component": name, **_delta(comp_a.get(name, Decimal(0)), comp_b.get(name, Decimal(0)), ra, rb)}
                  for name in names]
    return {"exchange_rate_before": ra.rate_data(), "exchange_rate_after": rb.rate_data(),
            "total": _delta(a.total_usd, b.total_usd, ra, rb),
            "contingency": _delta(a.contingency_usd, b.contingency_usd, ra, rb),
            "budget_usd_before": a.budget_usd, "budget_usd_after": b.budget_usd,
            "components": [c for c in components if c["delta_usd"]],
            "unchanged_components": [c["component"] for c in components if not c["delta_usd"]],
            "line_items": lines}


def _availability(before, after) -> dict:
    a, b = before.check.availability, after.check.availability
    entries_a = {e.name or e.entry: e for e in a.entries}  # one row per path (an entry point's routes apart)
    entries_b = {e.name or e.entry: e for e in b.entries}
    names = list(entries_a) + [n for n in entries_b if n not in entries_a]
    rows = []
    for name in names:
        old, new = entries_a.get(name), entries_b.get(name)
        rows.append({"entry": name, "before_percent": old.percent if old else None,
                     "after_percent": new.percent if new else None,
                     "delta_points": (new.percent - old.percent) if old and new else None,
                     "path_before": old.components if old else None, "path_after": new.components if new else None})
    changed = []
    for name, new in b.components.items():
        old = a.components.get(name)
        if old and (old.percent != new.percent or old.configuration != new.configuration):
            changed.append({"component": name, "before_percent": old.percent, "after_percent": new.percent,
                            "before": old.configuration, "after": new.configuration})
    return {"composite_before_percent": a.composite_percent, "composite_after_percent": b.composite_percent,
            "delta_points": b.composite_percent - a.composite_percent,
            "downtime_minutes_per_month_before": a.downtime_minutes_per_month,
            "downtime_minutes_per_month_after": b.downtime_minutes_per_month,
            "slo_percent": b.slo_percent, "entries": rows, "components": changed}


def _capacity(before, after) -> dict:
    a, b = before.check.capacity, after.check.capacity
    services_a = {s.name: s for s in a.services}
    rows = []
    for new in b.services:
        old = services_a.get(new.name)
        row = {"service": new.name, "peak_rps": new.peak_rps, "instances_needed": new.instances_needed,
               "peak_rps_before": old.peak_rps if old else None,
               "instances_needed_before": old.instances_needed if old else None,
               "max_instances_before": old.max_instances if old else None, "max_instances_after": new.max_instances,
               "headroom_before": (old.max_instances - old.instances_needed) if old else None,
               "headroom_after": new.max_instances - new.instances_needed,
               "p95_ms_before": old.p95_ms if old else None, "p95_ms_after": new.p95_ms}
        def p95(row):
            return None if row.p95_ms is None else round(row.p95_ms, 6)  # None: long-lived connections

        if old is None or (old.max_instances, old.instances_needed, p95(old)) != \
                (new.max_instances, new.instances_needed, p95(new)):
            rows.append(row)
    connections_a = {c.database: c for c in a.connections}
    connections = []
    for new in b.connections:
        old = connections_a.get(new.database)
        if old is None or (old.total, old.max_connections) != (new.total, new.max_connections):
            connections.append({"database": new.database,
                                "before": [old.total, old.max_connections] if old else None,
                                "after": [new.total, new.max_connections],
                                "headroom_before": old.max_connections - old.total if old else None,
                                "headroom_after": new.max_connections - new.total})
    return {"services": rows, "connections": connections}


def _findings(before, after) -> dict:
    a = {finding_key(f): f for f in before.check.findings}
    b = {finding_key(f): f for f in after.check.findings}

    def row(f):
        return {"id": f.id, "severity": f.severity, "component": f.component, "title": f.title, "detail": f.detail}

    return {"raised": [row(f) for key, f in b.items() if key not in a],
            "resolved": [row(f) for key, f in a.items() if key not in b],
            "counts_before": before.check.counts(), "counts_after": after.check.counts()}


def compare(before, after, before_label: str, after_label: str, currency: str | None = None) -> dict:
    """Everything that differs between two assessments, as plain data; money in USD and in the currency
    `cost` shows next to it for `currency` (default: the 'after' plan's)."""
    currency = currency or after.plan.spec.project.currency
    result = {"schema": SCHEMA, "before": before_label, "after": after_label,
              "currency": currency,
              "settings": _plan_changes(before, after),
              "components": _component_changes(before, after),
              "cost": _cost(before, after, currency),
              "availability": _availability(before, after),
              "capacity": _capacity(before, after),
              "findings": _findings(before, after)}
    result["identical"] = identical(result)
    return result


def identical(result: dict) -> bool:
    """Nothing differs: no plan setting, component, component setting, cost line, availability, capacity or
    finding moved."""
    cost, availability, capacity, findings = (result[k] for k in ("cost", "availability", "capacity", "findings"))
    return (not result["settings"] and not any(result["components"].values())
            and not cost["components"] and not cost["line_items"]
            and not cost["total"]["delta_usd"] and not availability["delta_points"] and not availability["components"]
            and all(r["delta_points"] in (0, None) and r["before_percent"] is not None and r["after_percent"] is not None
                    for r in availability["entries"])
            and not capacity["services"] and not capacity["connections"]
            and not findings["raised"] and not findings["resolved"])


_GATE = re.compile(r"^(cost|availability)([+-])(\d+(?:\.\d+)?)(%|[a-z]{3})?$", re.IGNORECASE)


def parse_gate(text: str) -> tuple[str, str, Decimal, str]:
    """`cost+10%`, `cost+500INR`, `cost+50EUR`, `availability-0.01` (points) -> (what, sign, amount, unit);
    a currency other than USD and INR must have a dated rate in the catalog."""
    match = _GATE.match(text.strip().replace(" ", ""))
    if not match:
        raise ValueError(f"--fail-if {text!r}: expected cost+N%, cost+N<currency> (USD, INR, EUR...) or "
                         f"availability-N (percentage points)")
    what, sign, amount, unit = match.group(1).lower(), match.group(2), Decimal(match.group(3)), (match.group(4) or "").lower()
    if what == "cost" and sign != "+":
        raise ValueError(f"--fail-if {text!r}: a cost gate fails on an increase, write cost+N%")
    if what == "availability" and (sign != "-" or unit):
        raise ValueError(f"--fail-if {text!r}: an availability gate is a drop in percentage points, e.g. availability-0.01")
    if what == "cost" and not unit:
        raise ValueError(f"--fail-if {text!r}: give the unit, e.g. cost+10% or cost+500INR")
    if unit not in ("", "%", "usd", "inr"):
        from archplan import catalog
        from archplan.errors import CatalogError

        try:
            catalog.exchange_rate(unit.upper())
        except CatalogError as error:
            raise ValueError(f"--fail-if {text!r}: {error}") from None
    return what, sign, amount, unit


def gates(result: dict, expressions: list[str], rates=None) -> list[str]:
    """The gates that fail, each as a sentence with the figures (empty: all pass). A gate in a currency the
    result does not carry converts each side at its plan's rate: `rates` = (before plan, after plan)'s
    `rate(code)`."""
    failed = []
    for text in expressions:
        what, _sign, amount, unit = parse_gate(text)
        if what == "cost":
            total = result["cost"]["total"]
            if unit == "%":
                percent = total["delta_percent"]
                if percent is None:
                    bad = total["delta_usd"] > 0
                else:
                    bad = percent > amount
                measured = f"{percent:+.2f}%" if percent is not None else "from zero"
            else:
                delta = total.get(f"delta_{unit}")
                if delta is None:
                    before_rate, after_rate = (rate(unit.upper()) for rate in rates)
                    delta = total["after_usd"] * after_rate - total["before_usd"] * before_rate
                bad, measured = delta > amount, f"{delta:+,.2f} {unit.upper()}"
            if bad:
                failed.append(f"cost rose {measured} (${total['before_usd']:,.2f} -> ${total['after_usd']:,.2f}), "
                              f"more than the allowed +{amount}{'%' if unit == '%' else ' ' + unit.upper()}")
        else:
            rows = [("composite", result["availability"]["composite_before_percent"],
                     result["availability"]["composite_after_percent"])]
            rows += [(r["entry"], r["before_percent"], r["after_percent"]) for r in result["availability"]["entries"]
                     if r["before_percent"] is not None and r["after_percent"] is not None]
            for name, old, new in rows:
                if old - new > float(amount) + 1e-12:
                    failed.append(f"availability of {name} fell {old - new:.4f} points ({old:.4f}% -> {new:.4f}%), "
                                  f"more than the allowed {amount}")
    return failed
