"""The top-level sections of a plan: project, traffic, slo, claims. Components live in components/."""
from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, StringConstraints, model_validator

from archplan.components.base import ComponentSpec, Strict

# Any ISO 4217 code; resolve() checks the catalog has a dated rate for it (archplan regions / catalog fx).
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]


class Budget(Strict):
    amount: Decimal = Field(gt=0, description="monthly budget")
    currency: Currency = Field(description="currency of the amount")
    alert_percents: list[Decimal] = Field(default_factory=lambda: [Decimal(50), Decimal(75), Decimal(90)],
                                          description="budget alert thresholds, percent of the amount")


class Environment(Strict):
    """How one environment differs from the components as written (which describe the default one)."""

    description: str | None = Field(default=None, description="what the environment is for (a note in the "
                                                              "document)")
    traffic: dict[str, Any] = Field(default_factory=dict, description="traffic keys to override")
    components: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="per component, the keys to override; a name the plan does not "
                                          "have, written in full with its kind, is a component only this "
                                          "environment has (e.g. a second region's services)")
    exclude: list[str] = Field(default_factory=list, description="components this environment does not have (the depends_on entries naming them go with them)")
    monthly_budget: Budget | None = Field(default=None, description="this environment's own budget")


class RegionQuotas(Strict):
    """A project's own allocation quotas in one region, as the console's Quotas page shows them; `scale`
    checks the plan's load against them (without one: the documented default where Google publishes one,
    else the quota is named as unchecked)."""

    compute_engine_cpus: Decimal | None = Field(
        default=None, gt=0, description="Compute Engine CPUS quota: vCPUs of all VMs in the region, GKE Standard "
                                        "nodes included")
    cloud_run_cpu: Decimal | None = Field(default=None, gt=0, description="Cloud Run CPU allocation, vCPU")
    cloud_run_memory_gib: Decimal | None = Field(default=None, gt=0, description="Cloud Run memory allocation, GiB")
    pubsub_publish_mb_per_s: Decimal | None = Field(default=None, gt=0, description="Pub/Sub publisher "
                                                                                     "throughput, MB/s")


class Quotas(RegionQuotas):
    """The project's quotas: regional ones here apply in every region the plan uses, unless `regions`
    gives that region its own."""

    cloud_sql_instances: int | None = Field(default=None, gt=0, description="Cloud SQL instances per project "
                                                                             "(read replicas count)")
    regions: dict[str, RegionQuotas] = Field(default_factory=dict, description="per region, its own quotas")

    def regional(self, region: str, key: str):
        own = self.regions.get(region)
        value = getattr(own, key) if own is not None else None
        return value if value is not None else getattr(self, key)


class Project(Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9-]{0,62}$", description="lowercase letters, digits and hyphens")
    region: str = Field(description="GCP region, e.g. asia-south1")
    currency: Currency = Field(default="USD", description="currency the reports lead with")
    usd_inr: Decimal | None = Field(default=None, gt=0, description="USD to INR rate; the catalog's if omitted")
    monthly_budget: Budget | None = Field(default=None, description="the project's monthly budget: generate writes "
                                                                    "a billing budget alerting at its alert_percents; "
                                                                    "cost --fail-if-over-budget checks the total "
                                                                    "against it")
    contingency_percent: Decimal = Field(
        default=Decimal(0), ge=0, le=100, description="buffer added on top of the priced total, in percent")
    free_tiers: bool = Field(default=True, description="apply GCP free tiers (false if the billing account "
                                                        "already uses them elsewhere)")
    environments: dict[str, Environment] = Field(default_factory=dict, description="named environments (e.g. dev, "
                                                                                   "prod), each as it differs from "
                                                                                   "the components as written; --env "
                                                                                   "picks one")
    default_environment: str | None = Field(default=None, description="environment priced when --env is not given")
    seed: str | None = Field(default=None, description="the document this plan was modelled on")
    gcp_project_id: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$",
                                       description="the GCP project to deploy to (default: the name)")
    data_residency: str | None = Field(default=None, description="where all data must stay: a country (India), "
                                                                 "a group of countries (EU, EEA) or a continent")
    audit_logging: bool = Field(default=False, description="data-access audit logs on for critical services")
    notification_email: str | None = Field(default=None, description="where alerts and budget mails go")
    quotas: Quotas = Field(default_factory=Quotas, description="the project's own quotas (scale checks load "
                                                               "against them)")

    @model_validator(mode="after")
    def _default_environment_exists(self) -> "Project":
        if self.default_environment is not None and self.default_environment not in self.environments:
            raise ValueError(f"default_environment {self.default_environment!r} is not one of environments")
        return self


class Traffic(Strict):
    """The load the plan is sized for. Usage-priced components derive their usage from it."""

    daily_active_users: Decimal | None = Field(default=None, ge=0, description="distinct users a day; with "
                                                                               "requests_per_user_per_day, the "
                                                                               "requests a month")
    monthly_active_users: Decimal | None = Field(default=None, ge=0, description="distinct users a month, at "
                                                                                 "least daily_active_users (e.g. "
                                                                                 "Identity Platform's users)")
    concurrent_users: Decimal | None = Field(default=None, ge=0, description="users online at once (stated in the "
                                                                             "document; no usage derives from it)")
    requests_per_user_per_day: Decimal | None = Field(default=None, ge=0, description="requests one daily user "
                                                                                      "makes a day (times "
                                                                                      "daily_active_users and "
                                                                                      "730/24 days: requests a "
                                                                                      "month)")
    requests_per_month: Decimal | None = Field(
        default=None, ge=0, description="total requests a month; alternative to users x requests per user")
    peak_to_average: Decimal | None = Field(default=None, ge=1, description="peak RPS / average RPS")
    avg_request_kib: Decimal | None = Field(default=None, ge=0, description="mean request body size")
    avg_response_kib: Decimal | None = Field(default=None, ge=0, description="mean response size")
    daily_profile: list[Decimal] | None = Field(
        default=None, min_length=24, max_length=24,
        description="simulate: relative load in each hour of the day, 00:00 first (any scale; default: a "
                    "diurnal curve with the plan's peak_to_average)")
    weekly_profile: list[Decimal] | None = Field(
        default=None, min_length=7, max_length=7, description="simulate: relative load of each day, Monday first")
    peak_hour: Decimal = Field(default=Decimal(20), ge=0, lt=24,
                               description="simulate: hour of the day's peak for the default diurnal curve")

    @model_validator(mode="after")
    def _profiles(self) -> "Traffic":
        for name in ("daily_profile", "weekly_profile"):
            values = getattr(self, name)
            if values is not None and (any(v < 0 for v in values) or sum(values) <= 0):
                raise ValueError(f"{name} holds relative loads: none negative, not all zero")
        return self

    @model_validator(mode="after")
    def _one_way_to_requests(self) -> "Traffic":
        derived = self.daily_active_users is not None and self.requests_per_user_per_day is not None
        if self.monthly_active_users is not None and self.daily_active_users is not None \
                and self.monthly_active_users < self.daily_active_users:
            raise ValueError(f"monthly_active_users ({self.monthly_active_users}) is below daily_active_users "
                             f"({self.daily_active_users}): every daily user is a monthly user")
        if derived and self.requests_per_month is not None:
            raise ValueError("give either requests_per_month or daily_active_users with "
                             "requests_per_user_per_day, not both")
        return self


class Slo(Strict):
    availability_percent: Decimal | None = Field(default=None, gt=0, lt=100, description="availability target, "
                                                                                         "percent: check compares "
                                                                                         "the request paths with it; "
                                                                                         "generate writes uptime "
                                                                                         "checks and alerts")
    latency_p95_ms: Decimal | None = Field(default=None, gt=0, description="95th percentile latency target, ms: "
                                                                           "check's capacity planning holds each "
                                                                           "service to it; generate writes a "
                                                                           "latency alert")
    rto_minutes: Decimal | None = Field(default=None, ge=0, description="recovery time objective, minutes (stated "
                                                                        "in the document)")
    rpo_minutes: Decimal | None = Field(default=None, ge=0, description="recovery point objective: data loss "
                                                                        "allowed, minutes (stated in the document)")


class Flow(Strict):
    """A named path through the plan ("checkout", "nightly settlement") with its own targets."""

    entry: str | None = Field(default=None, description="the component the flow starts at (an entry point, a "
                                                        "queue's consumer, a scheduled job)")
    through: list[str] = Field(default_factory=list, description="only the branches of the entry's path that "
                                                                 "pass through these components")
    components: list[str] | None = Field(default=None, description="the flow's components, stated outright "
                                                                   "(instead of following depends_on)")
    slo: Slo | None = Field(default=None, description="the flow's own targets")
    description: str | None = Field(default=None, description="what the flow is, in words")

    @model_validator(mode="after")
    def _entry_or_components(self) -> "Flow":
        if self.entry is None and self.components is None:
            raise ValueError("a flow needs an entry (followed through depends_on) or its components")
        return self


ClaimKind = Literal[
    "monthly_cost", "annual_cost", "hourly_cost", "cost_per_user", "cost_per_chat",
    "availability_percent", "downtime_minutes_per_month", "downtime_minutes_per_year", "latency_p95_ms",
    "max_concurrent_users", "peak_rps", "db_connections", "concurrent_connections", "instances",
    "llm_tokens_per_month", "tokens_per_chat", "llm_tokens_saved_per_month", "rto_minutes", "rpo_minutes",
    "consistency",
]
COST_CLAIM_KINDS = ("monthly_cost", "annual_cost", "hourly_cost", "cost_per_user", "cost_per_chat")
Scenario = Literal["zone outage", "region outage", "bad deploy", "data corruption"]


class ClaimBasis(Strict):
    """What the claim's own figure assumes, where it differs from the plan."""

    availability_percent: Decimal | None = Field(default=None, gt=0, le=100,
                                                 description="the availability a downtime claim converts")
    chats_per_day: Decimal | None = Field(default=None, ge=0, description="the chat volume a figure is for")
    daily_active_users: Decimal | None = Field(default=None, ge=0, description="the users a figure is for")
    monthly_active_users: Decimal | None = Field(default=None, ge=0, description="the monthly users a figure "
                                                                                 "is for")
    users: Decimal | None = Field(default=None, gt=0, description="cost per user: the users divided by")
    replaced_tokens_per_chat: Decimal | None = Field(
        default=None, ge=0, description="tokens saved: the tokens a chat used before the change the saving is "
                                        "for (the plan's per_chat tokens are after it)")


class Claim(Strict):
    """A figure the plan's document states, kept so archplan can recompute and audit it."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", description="the claim's name (lowercase letters, digits, "
                                                                   "_ . -), as check reports it and consistency "
                                                                   "claims list it")
    kind: ClaimKind = Field(description="what the figure is: a cost, availability or downtime, latency, capacity, "
                                        "tokens, RTO/RPO, or consistency (claims that must agree)")
    value: Decimal | None = Field(default=None, ge=0, description="the figure as the document states it "
                                                                  "(every kind but consistency)")
    currency: Currency | None = Field(default=None, description="for cost claims")
    components: list[str] | None = Field(
        default=None, description="the components the figure is about; omitted = the whole plan (cost: "
                                  "including contingency; availability: the request path)")
    flow: str | None = Field(default=None, description="the named flow (flows:) the figure is about")
    line_item: str | None = Field(default=None, description="cost: one line item of `archplan cost` "
                                                            "(matched on its SKU or description), e.g. "
                                                            "'cluster management fee'")
    per_component: bool = Field(default=False, description="availability: the figure holds for each "
                                                           "component alone (an SLA), not for their series")
    scenario: Scenario | None = Field(default=None, description="RTO/RPO: the failure it is about")
    basis: ClaimBasis | None = Field(default=None, description="what the figure assumes")
    applies_to: str | None = Field(default=None, description="a system the plan does not model (e.g. 'Phase 3 "
                                                             "with a second region'): the claim is listed as "
                                                             "not checkable")
    claims: list[str] | None = Field(default=None, description="consistency: the claims whose figures must "
                                                               "agree (per unit, then the total)")
    environment: str | None = Field(default=None, description="the environment the figure is about (default: "
                                                              "the one priced by default)")
    source: str | None = Field(default=None, description="where the document states it, e.g. 'seed line 1821'")
    text: str | None = Field(default=None, description="the document's words")
    note: str | None = Field(default=None, description="why archplan's figure differs, where it does")

    @model_validator(mode="after")
    def _cost_needs_currency(self) -> "Claim":
        if self.kind in COST_CLAIM_KINDS and self.currency is None:
            raise ValueError("a cost claim needs a currency (USD or INR)")
        if self.kind in COST_CLAIM_KINDS and self.kind in ("monthly_cost", "annual_cost") and self.value == 0:
            raise ValueError("a cost claim of 0 cannot be audited; give the figure the document states")
        subjects = [k for k in ("components", "flow", "line_item") if getattr(self, k) is not None]
        if len(subjects) > 1:
            raise ValueError(f"a claim is about components, a flow or a line item, not {' and '.join(subjects)}")
        if self.kind != "consistency" and self.value is None:
            raise ValueError("a claim needs a value")
        if self.kind == "consistency" and (not self.claims or len(self.claims) < 2):
            raise ValueError("a consistency claim lists at least two claims (claims: [per_unit, total])")
        if self.line_item is not None and self.kind not in COST_CLAIM_KINDS:
            raise ValueError("line_item is for cost claims")
        return self


class RuleSkip(Strict):
    """A rule switched off for this plan, like a checkov skip comment: the report lists it with its reason."""

    id: str = Field(pattern=r"^[A-Z]+-[0-9]{3}$", description="rule id, e.g. SEC-003")
    reason: str = Field(min_length=3, description="why the rule does not apply (the report lists it)")
    components: list[str] | None = Field(default=None, description="only for these components (default: all)")


class Checks(Strict):
    skip: list[RuleSkip] = Field(default_factory=list, description="rules switched off for this plan, each with "
                                                                   "its reason")
    target_utilization: Decimal = Field(default=Decimal("0.6"), gt=0, le=1,
                                        description="capacity planning: busy share of each instance at peak")


class CostRange(Strict):
    """A monthly cost range a document states for a phase (audited by `archplan scale`)."""

    other_names: ClassVar[dict[str, str]] = {"min": "low", "max": "high", "from": "low", "to": "high"}
    low: Decimal = Field(ge=0, description="the stated monthly cost where the phase starts (min_users)")
    high: Decimal = Field(ge=0, description="the stated monthly cost where the phase ends "
                                            "(max_users; open-ended: the top load priced)")
    currency: Currency = Field(description="currency of low and high")
    source: str | None = Field(default=None, description="where the document states it")

    @model_validator(mode="after")
    def _ordered(self) -> "CostRange":
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) is above high ({self.high})")
        return self


class Phase(Strict):
    """A growth phase: a range of users and the plan changes it makes (like an environment)."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", description="phase name: lowercase letters, digits, _ "
                                                                    "and -")
    description: str | None = Field(default=None, description="what the phase is (a note in the document)")
    min_users: Decimal = Field(ge=0, description="users (monthly active if traffic states them, else daily) "
                                                 "where the phase starts")
    max_users: Decimal | None = Field(default=None, gt=0, description="where it ends (none: open-ended)")
    traffic: dict[str, Any] = Field(default_factory=dict, description="traffic keys to override")
    components: dict[str, dict[str, Any]] = Field(default_factory=dict,
                                                  description="per component, the keys to override")
    exclude: list[str] = Field(default_factory=list, description="components this phase does not have")
    monthly_cost: CostRange | None = Field(default=None, description="the cost range the document states")

    @model_validator(mode="after")
    def _range(self) -> "Phase":
        if self.max_users is not None and self.max_users <= self.min_users:
            raise ValueError(f"max_users ({self.max_users}) must be above min_users ({self.min_users})")
        return self


class SpecDocument(Strict):
    """The shape of a whole plan file; components are validated per kind by the loader."""

    project: Project = Field(description="the project: name, region, currency, budget, environments, quotas")
    traffic: Traffic | None = Field(default=None, description="the load the plan is sized for; usage-priced "
                                                              "components derive their usage from it")
    slo: Slo | None = Field(default=None, description="the plan's targets: availability, p95 latency, RTO, RPO")
    components: dict[str, dict[str, Any]] = Field(description="the architecture: per name, one component (its "
                                                              "kind and settings), in file order")
    flows: dict[str, Flow] = Field(default_factory=dict, description="named paths through the plan, each with "
                                                                     "its own targets")
    claims: list[Claim] = Field(default_factory=list, description="figures the plan's document states, for check "
                                                                  "to recompute and audit")
    checks: Checks = Field(default_factory=Checks, description="rules switched off, and capacity planning's "
                                                               "target utilization")
    phases: list[Phase] = Field(default_factory=list, description="growth phases, each a user range and "
                                                                  "the changes it makes")
    vary: dict[str, dict[str, list[Any] | Literal["auto"]]] = Field(
        default_factory=dict, description="optimize: per component, the values each setting may take")
    missing_usage: list[str] = Field(
        default_factory=list, description="usage the plan has no figure for yet (`archplan import` writes these): "
                                          "traffic.<key> (priced as none) or components.<name>.<key> (priced at "
                                          "the placeholder written); `cost` warns about each until it is removed")


class Spec:
    """A validated plan: the sections above plus one typed model per component, in file order."""

    def __init__(self, file: str, project: Project, traffic: Traffic | None, slo: Slo | None,
                 components: dict[str, ComponentSpec], claims: list[Claim], environment: str | None,
                 positions, checks: Checks | None = None, phases: list[Phase] | None = None,
                 phase: str | None = None, vary: dict | None = None,
                 flows: dict[str, Flow] | None = None):
        self.file = file
        self.project = project
        self.traffic = traffic
        self.slo = slo
        self.components = components
        self.claims = claims
        self.environment = environment
        self.positions = positions
        self.checks = checks or Checks()
        self.warnings: list[str] = []  # one line each, `file:line: key: message`, for implausible settings
        self.phases = phases or []
        self.phase = phase
        self.vary = vary or {}
        self.flows = flows or {}
        self.missing_usage: list[str] = []  # usage with no figure yet: traffic.<key>, components.<name>.<key>

    def line_of(self, path) -> int | None:
        return self.positions.line_of(tuple(path))
