"""`archplan init`: a starter plan from a template (templates/<name>.yaml), for a region, a number of daily
users and a budget. Service sizes the users drive (max instances, nodes, chats, lookups) are computed here
from the template's own traffic figures, and each says how in a comment next to it."""
from __future__ import annotations

import math
import re
from decimal import Decimal
from importlib import resources
from string import Template

import yaml

from archplan.errors import SpecError, UsageError

TARGET_UTILIZATION = Decimal("0.6")  # the share of an instance kept busy at peak (check's default too)
SECONDS_PER_DAY = Decimal(86400)
DAYS_PER_MONTH = Decimal(730) / 24
E2_STANDARD_4_VCPU = 4


def templates() -> dict[str, str]:
    """Template name -> what it builds (its first comment line after the title)."""
    found = {}
    for entry in sorted(resources.files("archplan.init").joinpath("templates").iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            lines = entry.read_text(encoding="utf-8").splitlines()
            found[entry.name[:-5]] = re.split(r":|,| \(", lines[1].lstrip("# "))[0].rstrip(".") if len(lines) > 1 else ""
    return found


def _text(name: str) -> str:
    if name not in templates():
        from archplan.spec.load import suggest

        raise SpecError(f"unknown template {name!r}; " + suggest(name, list(templates())), "archplan init",
                        key="--template")
    return resources.files("archplan.init").joinpath("templates", f"{name}.yaml").read_text(encoding="utf-8")


def _destination(region: str) -> str:
    if region.startswith("australia-"):
        return "oceania"
    if region.startswith("asia-"):
        return "asia_pacific"
    if region.startswith(("europe-", "me-", "africa-")):
        return "europe"
    if region.startswith("southamerica-"):
        return "south_america"
    return "north_america"


def _cpu(value) -> Decimal:
    text = str(value)
    return Decimal(text[:-1]) / 1000 if text.endswith("m") else Decimal(text)


class _Sizing:
    """The figures a template leaves to the number of users, each with the arithmetic that gives it."""

    def __init__(self, document: dict, users: int):
        traffic = document["traffic"]
        self.users = Decimal(users)
        self.per_user = Decimal(str(traffic["requests_per_user_per_day"]))
        self.peak = Decimal(str(traffic.get("peak_to_average", 1)))
        self.peak_rps = self.users * self.per_user / SECONDS_PER_DAY * self.peak
        self.monthly_requests = self.users * self.per_user * DAYS_PER_MONTH
        self.components = document["components"]
        self.values: dict[str, object] = {}

    def cloud_run(self, key: str, component: str) -> None:
        spec = self.components[component]
        share = Decimal(str(spec.get("traffic_share", 1)))
        concurrency = Decimal(spec.get("concurrency", 80))
        seconds = Decimal(str(spec["request_duration_ms"])) / 1000
        rps = self.peak_rps * share
        needed = max(1, math.ceil(rps * seconds / (concurrency * TARGET_UTILIZATION)))
        self.values[f"{key}_max_instances"] = max(3, 2 * needed)
        self.values[f"{key}_sizing"] = (
            f"{self.users:,} users x {self.per_user} requests a day / 86,400 s x peak {self.peak}"
            + (f" x share {share}" if share != 1 else "") + f" = {rps:.2f} req/s at peak; x {seconds} s / "
            f"({concurrency} concurrent x {TARGET_UTILIZATION}) = {needed} instance(s); twice that, at least 3")

    def gke(self) -> None:
        """Replicas per deployment: requests in flight at peak (one per pod) / the target utilisation, at
        least 2 (one per zone to survive a zone); nodes: the pods' CPU over e2-standard-4 nodes in 3 zones."""
        deployments = self.components["cluster"]["deployments"]
        total_cpu, steps = Decimal(0), []
        for deployment in deployments:
            share = Decimal(str(deployment.get("traffic_share", 1)))
            seconds = Decimal(str(deployment["request_duration_ms"])) / 1000
            in_flight = self.peak_rps * share * seconds
            replicas = max(2, math.ceil(in_flight / TARGET_UTILIZATION))
            self.values[f"{deployment['name']}_replicas"] = replicas
            self.values[f"{deployment['name']}_max_replicas"] = max(6, 3 * replicas)
            total_cpu += replicas * _cpu(deployment["cpu"])
            steps.append(f"{deployment['name']} {self.peak_rps * share:.1f} req/s x {seconds} s / "
                         f"{TARGET_UTILIZATION} = {replicas}")
        nodes = max(3, 3 * math.ceil(total_cpu / (3 * E2_STANDARD_4_VCPU * TARGET_UTILIZATION)))
        self.values.update(gke_nodes=nodes, gke_max_nodes=3 * nodes, gke_sizing=(
            "replicas at peak (at least 2): " + "; ".join(steps) + f". {total_cpu} vCPU of pods / (3 zones x "
            f"4 vCPU x {TARGET_UTILIZATION}), rounded up per zone, at least 3 nodes"))

    def monthly(self) -> None:
        self.values["monthly_requests"] = int(self.monthly_requests)


def _project(name: str, region: str, currency: str, budget: Decimal | None) -> str:
    from archplan.importers.write import scalar

    lines = [f"  name: {scalar(name)}", f"  region: {scalar(region)}", f"  currency: {currency}"]
    if budget is not None:
        lines.append(f"  monthly_budget: {{amount: {budget.normalize():f}, currency: {currency}}}")
    return "\n".join(lines)


def render(template: str, name: str, region: str, users: int, currency: str = "USD",
           budget: Decimal | None = None) -> str:
    """The starter plan's text."""
    if not re.fullmatch(r"[a-z][a-z0-9-]{0,62}", name):
        raise UsageError(f"--name {name!r}: lowercase letters, digits and hyphens, starting with a letter")
    if users < 1 or users > 10**9:
        raise UsageError(f"--users {users}: give the daily active users, 1 to 1,000,000,000")
    text = _text(template)
    common = {"title": f"{name}: archplan starter plan ({template}, {users:,} daily users)",
              "project": _project(name, region, currency, budget), "users": users,
              "cdn_destination": _destination(region)}
    # A first reading with every size at 0 gives the template's own traffic and service figures.
    zeros = {name: 0 for name in re.findall(r"\$\{(\w+)\}", text) if name not in common}
    draft = yaml.safe_load(Template(text).substitute({**zeros, **common}))
    sizing = _Sizing(draft, users)
    components = draft["components"]
    for key, component in (("api", "api"), ("api", "web"), ("worker", "worker"), ("chat", "chat")):
        if component in components and f"${{{key}_max_instances}}" in text:
            sizing.cloud_run(key, component)
    if "cluster" in components:
        sizing.gke()
    requests = sizing.monthly_requests
    sizing.values.update(
        firestore_reads=int(requests * 2), firestore_writes=int(requests),
        chats_per_day=max(1, users // 2),
        chats_sizing=f"half of the {users:,} daily users chat once a day (template assumption)",
        dns_queries=int(sizing.users * 2 * DAYS_PER_MONTH),
        dns_sizing=f"{users:,} visitors x 2 lookups a day (resolvers cache the rest) x 30.42 days",
        bucket_reads=int(requests * Decimal("0.1")),
        bucket_sizing=f"{int(requests):,} requests a month x 10% cache misses (cache_hit_ratio 0.9)")
    return Template(text).substitute({**common, **sizing.values})
