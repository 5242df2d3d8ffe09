"""`archplan scale` as a text table and as JSON (schema archplan.scale/v1)."""
from __future__ import annotations

import json
from decimal import Decimal

from archplan.assess import plain_data
from archplan.render.numbers import amount, per_unit_amount, quantity, short_count
from archplan.render.shown_money import from_data


def load_text(value) -> str:
    value = Decimal(str(value))
    if abs(value) >= 1000:
        return short_count(value)
    return quantity(value.quantize(Decimal("0.01")) if value != value.to_integral_value() else value)


def _money(result: dict, usd) -> str:
    """A USD figure in the chosen currency (the plan's, or --currency), at the rate `cost` uses."""
    return from_data(result["exchange_rate"], result["currency"]).lead(Decimal(str(usd)))


def _small_money(result: dict, usd_value) -> str:
    """Cost per user: cents and below need more digits than a monthly total (render.numbers.per_unit_amount)."""
    value = from_data(result["exchange_rate"], result["currency"]).chosen(Decimal(str(usd_value)))
    return per_unit_amount(value, result["currency"])


def render_table(result: dict) -> str:
    unit = "users" if result["measure"] == "users" else "requests/month"
    lines = [f"archplan scale: {result['file']}" + (f" [{result['environment']}]" if result["environment"] else ""),
             f"load: {result['basis']} ({unit}); cost {result['per_unit']}; money in {result['currency']}"
             + ("" if result["currency"] == "USD" else f" at {result['exchange_rate']['per_usd']} "
                f"{result['exchange_rate']['currency']} per USD (USD too in JSON)"), ""]
    if result["spike"]:
        lines += [f"spike: {result['spike']}", ""]
    services = [s["service"] for s in result["points"][0]["services"]] if result["points"] else []
    clusters = [n["cluster"] for n in result["points"][0]["nodes"]] if result["points"] else []
    header = ["load", "phase", "monthly", result["per_unit"]] + [f"{name} inst." for name in services] + \
        [f"{name} nodes" for name in clusters]
    rows = []
    for point in result["points"]:
        per = "-" if point["per_unit_usd"] is None else _small_money(result, point["per_unit_usd"])
        instances = {s["service"]: f"{s['instances_needed']}/{s['max_instances']}" for s in point["services"]}
        name = f"{point['label']} " if point.get("label") else ""
        rows.append([name + load_text(point["load"]), (point["phase"] or "-") + ("*" if point["phase_note"] else ""),
                     _money(result, point["total_usd"]), per] + [instances.get(name, "-") for name in services]
                    + [f"{n['nodes_needed']}/{n['max_nodes']}" + (f" ({n['nodes']} run)" if n["nodes"] != n["nodes_needed"]
                                                                    else "") for n in point["nodes"]])
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    lines.append("  ".join(str(h).ljust(w) for h, w in zip(header, widths)))
    for row in rows:
        lines.append("  ".join(str(c).rjust(w) if i != 1 else str(c).ljust(w) for i, (c, w) in enumerate(zip(row, widths))))
    legend = (["inst.: instances or pods needed at the peak / the cap"] if services else []) + \
        (["nodes: GKE nodes needed / the pools' maximum, and the nodes run and priced where they differ"]
         if clusters else [])
    if legend:
        lines.append(f"({'; '.join(legend)})")
    notes = sorted({p["phase_note"] for p in result["points"] if p["phase_note"]})
    lines += [f"* {note}" for note in notes]
    if clusters:
        lines += ["", "GKE nodes run and priced (as the cluster autoscaler would run them, at the peak and on "
                      "average over the day's traffic shape; a month bills the average)"]
        for point in result["points"]:
            for cluster in point["nodes"]:
                for pool in cluster["pools"]:
                    lines.append(f"  at {load_text(point['load'])}: {cluster['cluster']}/{pool['pool']}: {pool['formula']}")
    if any(point.get("pods") for point in result["points"]):
        lines += ["", "GKE Autopilot pods run and priced (as the HPA would run them over the day's traffic shape; "
                      "a month bills their mean; `cost` bills the replicas written)"]
        for point in result["points"]:
            for cluster in point.get("pods", []):
                lines.append(f"  at {load_text(point['load'])}: {cluster['cluster']}: {cluster['formula']}")
    lines += ["", "First limit each component reaches"]
    if not result["first_limits"]:
        lines.append("  none within this range")
    for row in result["first_limits"]:
        phase = f" (phase {row['phase']})" if row["phase"] else ""
        start = " - already at the start of the range" if row["already_at_start"] else ""
        lines.append(f"  {row['component']}: {row['limit']} ({row['capacity']:g} {row['unit']}) reached at "
                     f"{load_text(round(row['reached_at']))} {unit}{phase}{start}")
        lines.append(f"      at {load_text(row['first_point'])}: {row['used_at_point']:.2f} {row['unit']}: {row['formula']}")
    if result.get("gke_fixed_limits"):
        lines += ["", "GKE Standard system limits (fixed by GKE, not raised by max_nodes)"]
        for row in result["gke_fixed_limits"]:
            if row["reached_at"] is None:
                where = "not reached at any load (it does not grow with load)"
            else:
                where = f"reached at {load_text(round(row['reached_at']))} {unit}" + (
                    "" if row["within_range"] else " (past the range: the last point's plan, load figures "
                                                   "proportional to the load)")
            lines.append(f"  {row['component']}: {row['limit']} ({row['capacity']:g} {row['unit']}) {where}")
            lines.append(f"      at {load_text(row['point'])}: {row['used_at_point']:g} {row['unit']}: {row['formula']}")
    if result.get("unchecked_quotas"):
        lines += ["", "Quotas not checked (stated assumption: no figure to check against)"]
        for row in result["unchecked_quotas"]:
            used = ", ".join(f"{load_text(u['load'])}: {u['used']:g} {row['unit']}"
                             for u in row["used"])
            lines.append(f"  region {row['region']}: {row['quota']}: the plan uses {used}; {row['reason']}")
            lines.append(f"      used = {row['formula']}")
    if result["phases"]:
        lines += ["", "Phases over their ranges"]
        for row in result["phases"]:
            top = load_text(row["max_users"]) if row["max_users"] is not None else f"{load_text(row['priced_to'])}+"
            lines.append(f"  {row['phase']}: {load_text(row['min_users'])}-{top} {unit}: "
                         f"{_money(result, row['low_usd'])} - {_money(result, row['high_usd'])} a month"
                         + (f" ({row['note']})" if row["note"] else ""))
            claim = row["claim"]
            if claim:
                def shown(value, code=claim["currency"]):
                    return amount(Decimal(str(value)), code)
                verdict = "agrees (each end within 10%)" if claim["agrees"] else "differs by more than 10%"
                lines.append(f"      stated {shown(claim['low']['stated'])} - {shown(claim['high']['stated'])}"
                             f"{' (' + claim['source'] + ')' if claim['source'] else ''}: {verdict}; low "
                             f"{_percent(claim['low']['difference_percent'])}, high "
                             f"{_percent(claim['high']['difference_percent'])}")
    lines += ["", "How the load is set"] + [f"  - {rule}" for rule in result["rules"]]
    return "\n".join(lines) + "\n"


def _percent(value) -> str:
    return "n/a" if value is None else f"{value:+.0f}%"


def render_json(result: dict) -> str:
    return json.dumps(plain_data(result), indent=2, ensure_ascii=False) + "\n"
