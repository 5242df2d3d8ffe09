"""The pre-deployment checklist, derived from the plan: what the seeds list by hand (secrets in Secret
Manager, private-IP database, backups and PITR, Cloud Armor rate limit, budget alerts, warm instances,
probes...), each item either already true of the plan ("done"), a change the plan still needs ("todo"),
or a step to take when deploying it ("task"). One small function per concern."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from archplan import catalog
from archplan.components._workload import WorkloadFields
from archplan.components.base import SECONDS_PER_MONTH, Component
from archplan.doc.graph import ArchitectureGraph
from archplan.plan import Plan
from archplan.render.numbers import amount, quantity


@dataclass(frozen=True)
class Item:
    group: str
    status: str  # done | todo | task
    text: str


GROUPS = ("Security", "Data safety", "Traffic and scaling", "Operations and cost", "Deployment steps")


def _of_kind(plan: Plan, kind: str) -> list[Component]:
    return [c for c in plan.components if c.kind == kind]


def _workloads(plan: Plan) -> list[tuple[str, WorkloadFields]]:
    """(label, fields) for every container the plan runs: Cloud Run services, functions, GKE deployments."""
    found = []
    for component in plan.components:
        if isinstance(component.spec, WorkloadFields):
            found.append((component.name, component.spec))
        for deployment in getattr(component.spec, "deployments", None) or []:
            found.append((f"{component.name}/{deployment.name}", deployment))
    return found


def _names(names: list[str]) -> str:
    return ", ".join(names)


def _secrets(plan: Plan, _graph) -> list[Item]:
    items = []
    literals = [f"{label} {variable}" for label, fields in _workloads(plan)
                for variable in fields.secret_literals()]
    if literals:
        items.append(Item("Security", "todo", f"Move the secret values written in the plan into Secret Manager: "
                                              f"{_names(literals)}"))
    referenced = sorted({ref.secret for _label, fields in _workloads(plan) for ref in fields.secret_refs().values()})
    managers = _of_kind(plan, "secret_manager")
    listed = sorted({name for c in managers if isinstance(c.spec.secrets, list) for name in c.spec.secrets})
    if managers:
        names = sorted(set(referenced) | set(listed))
        what = f": {_names(names)}" if names else f" ({_names([str(c.spec.secrets) for c in managers])} secrets)"
        holders = _names([c.name for c in managers])
        items.append(Item("Security", "done", f"Credentials live in Secret Manager ({holders})"))
        items.append(Item("Deployment steps", "task", f"Create the secrets and their first versions{what}"))
    elif referenced:
        items.append(Item("Security", "todo", f"Add a secret_manager component: workloads read {_names(referenced)}"))
    elif _workloads(plan):
        items.append(Item("Security", "todo", "Keep credentials (database password, API keys) in Secret Manager: "
                                              "the plan has no secret_manager component"))
    return items


def _databases(plan: Plan, _graph) -> list[Item]:
    items = []
    target = plan.spec.slo.availability_percent if plan.spec.slo else None
    for db in _of_kind(plan, "cloud_sql"):
        s = db.spec
        if s.private_ip:
            items.append(Item("Security", "done", f"{db.name}: private IP only, no public address"))
        else:
            items.append(Item("Security", "todo", f"{db.name}: set private_ip (Cloud SQL gets a public IP by default)"))
        if s.backups.enabled:
            items.append(Item("Data safety", "done", f"{db.name}: automated daily backups, "
                                                     f"{s.backups.retained_backups} kept"))
        else:
            items.append(Item("Data safety", "todo", f"{db.name}: turn automated backups on"))
        if s.backups.pitr:
            items.append(Item("Data safety", "done", f"{db.name}: point-in-time recovery, logs kept "
                                                     f"{s.backups.log_retention_days} days"))
        else:
            items.append(Item("Data safety", "todo", f"{db.name}: turn on point-in-time recovery (backups.pitr); "
                                                     "without it up to a day of writes can be lost"))
        if s.ha:
            items.append(Item("Data safety", "done", f"{db.name}: HA, standby in a second zone"))
        elif target is not None and target >= Decimal("99.9"):
            items.append(Item("Data safety", "todo", f"{db.name}: zonal, while the SLO is {target}%: set ha: true"))
        if not s.deletion_protection:
            items.append(Item("Data safety", "todo", f"{db.name}: turn deletion protection on"))
        if s.backups.enabled:
            items.append(Item("Deployment steps", "task", f"Restore a backup of {db.name} into a scratch instance "
                                                          "once, to know the restore works and how long it takes"))
    for cache in _of_kind(plan, "memorystore_redis"):
        s = cache.spec
        missing = [what for what, on in (("AUTH", s.auth_enabled), ("in-transit encryption", s.transit_encryption))
                   if not on]
        if missing:
            items.append(Item("Security", "todo", f"{cache.name}: turn on {' and '.join(missing)} (off by default)"))
        else:
            items.append(Item("Security", "done", f"{cache.name}: AUTH and in-transit encryption on"))
    return items


def _edge_protection(plan: Plan, graph: ArchitectureGraph) -> list[Item]:
    items = []
    balancers = _of_kind(plan, "load_balancer")
    policies = _of_kind(plan, "cloud_armor")
    if balancers and not policies:
        items.append(Item("Security", "todo", f"Put a Cloud Armor policy on {_names([b.name for b in balancers])} "
                                              "(WAF rules and a per-client rate limit)"))
    for armor in policies:
        s = armor.spec
        if s.rate_limit_per_minute:
            items.append(Item("Security", "done", f"{armor.name}: rate limit of {s.rate_limit_per_minute} requests "
                                                  "a minute per client"))
        else:
            items.append(Item("Security", "todo", f"{armor.name}: add a rate-based rule (rate_limit_per_minute)"))
        if s.waf_rules:
            items.append(Item("Security", "done", f"{armor.name}: WAF rules {_names(s.waf_rules)}"))
        else:
            items.append(Item("Security", "todo", f"{armor.name}: enable preconfigured WAF rules (e.g. sqli, xss)"))
    behind = {e.target for e in graph.edges
              if e.source != graph.users and graph.node(e.source).layer == "edge" and e.style == "call"}
    open_ingress = [s.name for s in _of_kind(plan, "cloud_run") if s.name in behind and s.spec.ingress == "all"]
    if policies and open_ingress:
        items.append(Item("Security", "todo", "Set ingress to internal-and-cloud-load-balancing, so requests cannot "
                                              f"bypass the load balancer and Cloud Armor: {_names(open_ingress)}"))
    for balancer in balancers:
        if balancer.spec.domains:
            items.append(Item("Deployment steps", "task", f"Point DNS for {_names(balancer.spec.domains)} at "
                                                          f"{balancer.name}'s address; the managed certificate is "
                                                          "issued once the names resolve"))
    return items


def _private_networking(plan: Plan, _graph) -> list[Item]:
    items = []
    private = {c.name for c in plan.components
               if (c.kind == "cloud_sql" and c.spec.private_ip) or c.kind == "memorystore_redis"}
    without_vpc, targets = [], []
    for component in plan.components:
        reached = [d.name for d in component.spec.depends_on if d.name in private]
        if reached and getattr(component.spec, "vpc_egress", None) == "none":
            without_vpc.append(component.name)
            targets += [name for name in reached if name not in targets]
    if without_vpc:
        items.append(Item("Security", "todo", f"Set vpc_egress (Direct VPC egress) to reach {_names(targets)} on "
                                              f"private IPs: {_names(without_vpc)}"))
    for cluster in _of_kind(plan, "gke"):
        s = cluster.spec
        for what, on in (("private nodes", s.private_nodes), ("Workload Identity", s.workload_identity or
                                                               s.mode == "autopilot")):
            if on:
                items.append(Item("Security", "done", f"{cluster.name}: {what}"))
            else:
                items.append(Item("Security", "todo", f"{cluster.name}: turn on {what}"))
    for bucket in _of_kind(plan, "cloud_storage"):
        if bucket.spec.public:
            items.append(Item("Security", "todo", f"{bucket.name} is public: confirm it holds only public files"))
    residency = plan.spec.project.data_residency
    if residency:
        held = catalog.residency(residency)
        for bucket in _of_kind(plan, "cloud_storage"):
            if bucket.spec.location_type == "multi-region" and not (held and held.holds_location(bucket.spec.location)):
                items.append(Item("Data safety", "todo", f"{bucket.name}: multi-region {bucket.spec.location or ''} "
                                                         f"may store data outside {residency}"))
    return items


def _scaling(plan: Plan, graph: ArchitectureGraph) -> list[Item]:
    items = []
    on_path = _reachable(graph)
    serving = [s for s in _of_kind(plan, "cloud_run") if s.name in on_path]
    warm = [f"{s.name} {s.spec.min_instances}" for s in serving if s.spec.min_instances > 0]
    cold = [s.name for s in serving if s.spec.min_instances == 0]
    if warm:
        items.append(Item("Traffic and scaling", "done", f"Instances kept warm on the request path: {_names(warm)}"))
    if cold:
        items.append(Item("Traffic and scaling", "todo", "Keep at least one instance warm (min_instances) on the "
                                                         "request path, or a request after an idle spell waits for a "
                                                         f"cold start: {_names(cold)}"))
    probed = [(label, fields) for label, fields in _workloads(plan) if not hasattr(fields, "trigger")]  # not functions
    with_probes = [f"{label} ({fields.health_check_path})" for label, fields in probed if fields.health_check_path]
    without_probes = [label for label, fields in probed if not fields.health_check_path]
    if with_probes:
        items.append(Item("Traffic and scaling", "done", f"Startup and liveness probes: {_names(with_probes)}"))
    if without_probes:
        items.append(Item("Traffic and scaling", "todo", "Set health_check_path for startup, liveness and readiness "
                                                         f"probes: {_names(without_probes)}"))
    unguarded = [f"{cluster.name}/{d.name}" for cluster in _of_kind(plan, "gke") for d in cluster.spec.deployments
                 if d.replicas >= 2 and d.pdb_min_available is None]
    if unguarded:
        items.append(Item("Traffic and scaling", "todo", "Add a PodDisruptionBudget (pdb_min_available), so node "
                                                         f"upgrades keep replicas up: {_names(unguarded)}"))
    traffic = plan.spec.traffic
    if plan.traffic.requests_per_month and traffic is not None and traffic.peak_to_average:
        average = plan.traffic.requests_per_month / SECONDS_PER_MONTH
        peak = average * traffic.peak_to_average
        items.append(Item("Deployment steps", "task", f"Load-test at the peak the plan is sized for: "
                                                      f"{_per_second(peak)} requests a second ({_per_second(average)} "
                                                      f"on average x {quantity(traffic.peak_to_average)})"))
    return items


def _per_second(value: Decimal) -> str:
    return f"{float(value):.2g}" if value < Decimal("0.1") else f"{float(value):,.2f}"


def _reachable(graph: ArchitectureGraph) -> set[str]:
    """Components on the users' request path (reached from the users through calls)."""
    seen: set[str] = set()
    frontier = [graph.users]
    while frontier:
        current = frontier.pop()
        for edge in graph.edges:
            if edge.source == current and edge.style in ("users", "call") and edge.target not in seen:
                seen.add(edge.target)
                frontier.append(edge.target)
    return seen


def _operations(plan: Plan, _graph) -> list[Item]:
    items = []
    project = plan.spec.project
    budget = project.monthly_budget
    if budget is not None:
        stated = amount(budget.amount, budget.currency)
        thresholds = ", ".join(f"{quantity(p)}%" for p in budget.alert_percents)
        to = f", mailed to {project.notification_email}" if project.notification_email else ""
        items.append(Item("Operations and cost", "task", f"Create a Cloud Billing budget of {stated} a month with "
                                                         f"alerts at {thresholds}{to}"))
    else:
        items.append(Item("Operations and cost", "todo", "Set project.monthly_budget, so budget alerts can be made"))
    monitors = _of_kind(plan, "cloud_monitoring")
    if not monitors:
        items.append(Item("Operations and cost", "todo", "Add alerting (a cloud_monitoring component with alert "
                                                         "policies and uptime checks)"))
    for monitor in monitors:
        s = monitor.spec
        for what, count in (("alert policies", s.alert_policies), ("uptime checks", s.uptime_checks)):
            if count:
                items.append(Item("Operations and cost", "done", f"{monitor.name}: {count} {what}"))
            else:
                items.append(Item("Operations and cost", "todo", f"{monitor.name}: no {what}"))
    audited = project.audit_logging or any(c.spec.audit_logs for c in _of_kind(plan, "cloud_logging"))
    if audited:
        items.append(Item("Operations and cost", "done", "Data-access audit logs on"))
    elif any(c.category == "data" for c in plan.components):
        items.append(Item("Operations and cost", "todo", "Turn on data-access audit logs for the data services "
                                                         "(project.audit_logging)"))
    workloads = _workloads(plan)
    without_roles = [label for label, fields in workloads if not fields.service_account_roles]
    if workloads and not without_roles:
        items.append(Item("Security", "done", "Every workload has its own service account and roles"))
    elif without_roles:
        items.append(Item("Security", "todo", f"List the IAM roles each workload needs (service_account_roles): "
                                              f"{_names(without_roles)}"))
    # functions are deployed from source (generate's cloudbuild/NAME.yaml zips it to the sources bucket), not
    # from an image
    functions = [c.name for c in _of_kind(plan, "cloud_functions")]
    images = [label for label, _fields in workloads if label not in functions]
    if images:
        registries = _names([c.name for c in _of_kind(plan, "artifact_registry")]) or "Artifact Registry"
        items.append(Item("Deployment steps", "task", f"Build and push the images of {_names(images)} to {registries}"))
    if functions:
        whose = "its" if len(functions) == 1 else "each one's"
        items.append(Item("Deployment steps", "task", f"Upload and deploy the source of {_names(functions)} "
                                                      f"({whose} Cloud Build pipeline zips it to the function-sources "
                                                      "bucket)"))
    return items


PRODUCERS = (_secrets, _databases, _edge_protection, _private_networking, _scaling, _operations)


def checklist(plan: Plan, graph: ArchitectureGraph) -> list[Item]:
    found = [item for producer in PRODUCERS for item in producer(plan, graph)]
    return sorted(found, key=lambda item: GROUPS.index(item.group))  # stable: plan order inside a group
