"""What every component kind shares: its spec base class, its resolved form and the traffic context."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from archplan.errors import SpecError

HOURS_PER_MONTH = Decimal(730)
DAYS_PER_MONTH = HOURS_PER_MONTH / 24
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600
KIB_PER_GIB = Decimal(1024 * 1024)

Quantity = Decimal
NonNegative = Field(default=None, ge=0)


MAX_MAGNITUDE = Decimal(10) ** 15  # docs/limits.md: above any real monthly quantity, below Decimal trouble
MIN_MAGNITUDE = Decimal(10) ** -12  # smaller non-zero figures print as a million digits (1e-999999)


def check_magnitude(value):
    """Refuse numbers no plan needs and arithmetic would choke on (1e5000 takes seconds, then overflows)."""
    kind = type(value)
    if kind is str or value is None or kind is bool:  # most fields: nothing to check
        return value
    if isinstance(value, (list, tuple)):
        for item in value:
            if not isinstance(item, (dict, list)):
                check_magnitude(item)
    elif isinstance(value, (int, float, Decimal)):
        number = value if isinstance(value, Decimal) else Decimal(str(value)) if isinstance(value, float) \
            else Decimal(value)
        if not number.is_finite():
            raise ValueError(f"must be a finite number (got {value})")
        if abs(number) > MAX_MAGNITUDE:
            raise ValueError("too large: more than 10^15, the most archplan accepts")
        if number != 0 and abs(number) < MIN_MAGNITUDE:
            raise ValueError("too small: non-zero but under 10^-12, the least archplan accepts")
    return value


class Strict(BaseModel):
    """Base for every spec model: unknown keys are errors, values are immutable, numbers bounded."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @model_validator(mode="wrap")
    @classmethod
    def _bounded_numbers(cls, data, handler):
        """Each field given, once validated, within check_magnitude's bounds; an error is the field's own (its
        key, its input). One validator per model rather than one on every field: pydantic builds a field
        validator into each field of each model, which cost a tenth of `archplan cost`'s start-up."""
        if isinstance(data, dict):
            _refuse_booleans_as_numbers(cls, data)
        model = handler(data)
        if not isinstance(data, dict):
            return model  # an instance already checked when it was made
        values = model.__dict__
        try:
            for name in model.model_fields_set:
                check_magnitude(values[name])
        except ValueError:  # report every field out of bounds, in the order the model declares them
            errors = []
            for name in type(model).model_fields:
                try:
                    if name in model.model_fields_set:
                        check_magnitude(values[name])
                except ValueError as error:
                    errors.append({"type": "value_error", "loc": (name,), "input": data.get(name),
                                   "ctx": {"error": error}})
            raise ValidationError.from_exception_data(cls.__name__, errors) from None
        return model


def _accepts(annotation, kinds: tuple) -> bool:
    """Whether a field's type, or any type in its union, is one of `kinds` (Annotated and Optional looked into)."""
    if annotation in kinds:
        return True
    return any(_accepts(inner, kinds) for inner in getattr(annotation, "__args__", ()) if not isinstance(inner, str))


_NUMBER_ONLY: dict[type, frozenset[str]] = {}


def _number_only_fields(model: type[BaseModel]) -> frozenset[str]:
    """The keys (names and aliases) of the model's fields that take a number and not a bool, or a list of them."""
    if model not in _NUMBER_ONLY:
        keys = set()
        for name, info in model.model_fields.items():
            annotation = info.annotation
            origin = getattr(annotation, "__origin__", None)
            if origin in (list, tuple, set, frozenset):
                annotation = annotation.__args__[0] if annotation.__args__ else None
            if _accepts(annotation, (int, float, Decimal)) and not _accepts(annotation, (bool,)):
                keys.update({name, info.alias} - {None})
        _NUMBER_ONLY[model] = frozenset(keys)
    return _NUMBER_ONLY[model]


def _refuse_booleans_as_numbers(model: type[BaseModel], data: dict) -> None:
    """true or false where a number is wanted is an error: pydantic's lax int takes true as 1, so
    `max_instances: true` read as one instance."""
    errors = []
    for key in _number_only_fields(model) & data.keys():
        value = data[key]
        items = value if isinstance(value, list) else [value]
        if any(item is True or item is False for item in items):
            errors.append({"type": "value_error", "loc": (key,), "input": value,
                           "ctx": {"error": ValueError(f"a number, not {str(value).lower()}")}})
    if errors:
        raise ValidationError.from_exception_data(model.__name__, errors)


class Dependency(Strict):
    name: str = Field(description="the component depended on")
    protocol: str | None = Field(default=None, description="e.g. HTTPS, gRPC, Postgres, Redis")
    critical: bool = Field(default=True, description="false: a soft dependency the caller survives without "
                                                     "(left out of the availability path). An operations "
                                                     "service (Secret Manager, Cloud KMS, Identity Platform, "
                                                     "logging) is on the path only when the edge states "
                                                     "critical: true (a request waits on it)")
    access: Literal["read", "write", "read-write"] = Field(
        default="read-write", description="what the caller does with a data store or queue: read (bucket "
                                          "objects, Pub/Sub subscriptions), write (upload, publish) or both; "
                                          "sets its IAM roles")
    route: bool | None = Field(
        default=None, description="true: one of several backends a request is routed to (a gateway's "
                                  "services), so a request waits on one route, not all. Default: true for a "
                                  "load balancer's or CDN's backends")
    mode: Literal["sync", "async"] | None = Field(
        default=None, description="sync: the caller waits for the answer (on the request path); async: handed "
                                  "off through a queue or trigger (Pub/Sub, Cloud Tasks, Scheduler, Eventarc), "
                                  "starting a path of its own. Default: async when the caller is a queue or "
                                  "scheduler or the protocol names one, else sync")
    gib_per_month: Decimal | None = Field(
        default=None, ge=0, description="request plus response data along this edge a month; priced when "
                                        "the two ends are in different regions (default: the caller's "
                                        "requests x the traffic model's request + response size)")


_URL_PATH = re.compile(r"/[A-Za-z0-9._~%/:@?=&+,-]{0,1023}")


def _url_path(value: str) -> str:
    """An HTTP path as probes, health checks and the pipelines' smoke tests request it; nothing a shell, YAML or
    HCL string would read as anything but text."""
    if not _URL_PATH.fullmatch(value):
        raise ValueError("an HTTP path: / then letters, digits and . _ ~ % / : @ ? = & + , - (at most 1,024)")
    return value


UrlPath = Annotated[str, AfterValidator(_url_path)]


# Kinds that answer users' requests themselves: one that calls nothing and nothing calls is still a way in.
SERVING_KINDS = ("cloud_run", "cloud_functions", "compute_engine")


def stated_critical(dependency: Dependency) -> bool:
    """True when the edge itself says `critical: true`: what puts an operations service, which a request
    does not wait on by default (secrets read at start, tokens checked locally), on the availability path."""
    return dependency.critical and "critical" in dependency.model_fields_set


class ComponentSpec(Strict):
    """Fields every component has. Each kind subclasses this with its own settings."""

    kind: str
    description: str | None = Field(default=None, description="what this component does")
    depends_on: list[Dependency | str] = Field(
        default_factory=list, description="components this one calls (names, or {name, protocol})")

    availability_percent: Decimal | None = Field(
        default=None, gt=0, le=100, description="override the availability archplan takes from the SLA "
                                                "(e.g. for a configuration Google gives no SLA)")
    region: str | None = Field(
        default=None, description="the region this component runs in (default: project.region); "
                                  "kinds with a `location` (buckets, Firestore, BigQuery) use that instead")

    # Set by each kind module.
    category: ClassVar[str] = "compute"
    regional: ClassVar[bool] = True  # False: a global service; a `region` on it is an error
    location_field: ClassVar[str | None] = None  # the kind's own location key, used instead of `region`
    references: ClassVar[tuple[str, ...]] = ()  # fields naming other components
    # The kinds a field naming another component may name (field -> kinds; a nested field by its own name, e.g.
    # a trigger's destination): a component of another kind is an error at load, so every command refuses it.
    reference_kinds: ClassVar[dict[str, tuple[str, ...]]] = {}
    # (catalog service, fact) listing the only regions the kind can be deployed to, where that is narrower than
    # where it is priced (API Gateway's calls are priced globally): a component elsewhere is an error at load.
    deploy_regions: ClassVar[tuple[str, str] | None] = None
    one_per_project: ClassVar[str | None] = None  # why a project has at most one, for kinds that configure it
    # For kinds that attach to another component (a policy on a load balancer): the field that names it, and
    # the kind it names, which such a component may not list in depends_on (it would become its caller).
    attaches_by: ClassVar[str | None] = None
    # Keys people write for a field from other tools (the google provider's argument names, the console's
    # words) -> the field: an unknown key found here is answered with the field, where spelling is no guide.
    other_names: ClassVar[dict[str, str]] = {}

    @property
    def started_by_events(self) -> bool:
        """Started by an event (a message, a schedule) or a run, never by a user's request: no way in for users."""
        return False

    @classmethod
    def deployable_regions(cls) -> tuple[str, ...] | None:
        """The only regions the kind can be deployed to (its deploy_regions' catalog fact), or None: any region
        it is priced in."""
        if cls.deploy_regions is None:
            return None
        from archplan import catalog

        service, fact = cls.deploy_regions
        return tuple(catalog.service(service).fact(fact).value)

    def referenced_components(self) -> list[tuple[tuple, str]]:
        """(key path, component name) for every field that names another component."""
        found = []
        for field_name in self.references:
            value = getattr(self, field_name)
            names = value if isinstance(value, list) else [value] if value else []
            found += [((field_name, i) if isinstance(value, list) else (field_name,), n) for i, n in enumerate(names)]
        return found

    # where the kind names what it starts (a queue's push target), when it has such a setting: said when a
    # plan lists that component in depends_on and so closes a dependency cycle
    target_setting: ClassVar[str | None] = None

    def triggered_components(self) -> list[str]:
        """Components this one starts without waiting on them (a scheduler's job targets, a queue's push
        targets), named in its own settings rather than in depends_on."""
        return []

    def plan_warnings(self) -> list[tuple[tuple, str]]:
        """(key path, message) for settings GCP accepts but that are implausible: reported, not refused."""
        return []

    def plan_problems(self, name: str, specs: dict) -> list[tuple[tuple, str]]:
        """(key path, message) for what generate cannot build, given the plan's other components (`specs`, by
        name): a value the GCP API refuses, a component missing the one it works through. spec/buildable.py
        collects them: generate and validate refuse the plan, check reports REL-013, cost warns."""
        return []

    def only_inside_vpc(self) -> bool:
        """Whether a caller reaches it only from inside the VPC (a private address, no public endpoint)."""
        return False

    def billing_category(self) -> str:
        """The report category this component's cost is counted in."""
        return self.category

    @field_validator("region")
    @classmethod
    def _region_where_it_applies(cls, value: str | None) -> str | None:
        if value is not None and cls.location_field is not None:
            raise ValueError(f"this kind is placed by `{cls.location_field}`, not `region`")
        if value is not None and not cls.regional:
            raise ValueError("this kind is a global service; it has no region")
        return value

    @field_validator("depends_on")
    @classmethod
    def _names_to_dependencies(cls, value: list) -> list[Dependency]:
        return [Dependency(name=item) if isinstance(item, str) else item for item in value]


@dataclass(frozen=True)
class TrafficContext:
    """The traffic model turned into the figures components derive usage from."""

    requests_per_month: Decimal | None
    avg_request_kib: Decimal | None
    avg_response_kib: Decimal | None
    daily_active_users: Decimal | None
    file: str = ""
    monthly_active_users: Decimal | None = None
    missing: frozenset[str] = frozenset()  # traffic keys the plan lists in missing_usage (priced as none)


@dataclass
class Usage:
    """Monthly quantities a component will be billed on, with how each was obtained."""

    quantities: dict[str, Decimal] = field(default_factory=dict)
    assumptions: list[str] = field(default_factory=list)
    traffic_fraction: Decimal | None = None  # share of the traffic model set by a failover balancer, if any
    standby: bool = False  # an active-passive standby behind a failover balancer (whatever traffic_share says)

    def __getitem__(self, name: str) -> Decimal:
        return self.quantities[name]

    def get(self, name: str, default: Decimal = Decimal(0)) -> Decimal:
        return self.quantities.get(name, default)


@dataclass
class Component:
    """A component resolved against the plan: its spec, where it sits, and its derived usage."""

    name: str
    kind: str
    spec: Any
    region: str
    usage: Usage
    line: int | None = None

    @property
    def category(self) -> str:
        return self.spec.billing_category()


class UsageContext:
    """What a kind module's `usage()` gets: the traffic context plus an error helper with positions."""

    def __init__(self, name: str, traffic: TrafficContext, file: str, line_of, components: dict | None = None,
                 serving=None):
        self.name = name
        self.serving = serving  # load_balancer.Serving: the share a failover balancer sends this component
        self.traffic = traffic
        self.file = file
        self._line_of = line_of
        self.components = components or {}  # the plan's component specs by name, for usage that follows edges
        self.missing: list[str] = []  # traffic keys in missing_usage this component's usage was derived from

    def _not_known(self, key: str) -> bool:
        """The plan lists traffic.<key> in missing_usage: the usage derived from it is none, and said so."""
        if key in self.traffic.missing:
            self.missing.append(f"traffic.{key}")
            return True
        return False

    def error(self, key: str | tuple, message: str) -> SpecError:
        from archplan.spec.yamlpos import dotted

        path = ("components", self.name) + ((key,) if isinstance(key, str) else tuple(key))
        return SpecError(message, self.file, self._line_of(path), dotted(path))

    def requests(self, explicit: Decimal | None, share: Decimal | None, usage: Usage,
                 what: str = "requests", key: str = "requests_per_month",
                 share_key: str = "traffic_share") -> Decimal:
        """Monthly requests: the explicit figure, else the traffic model times the share."""
        if explicit is not None:
            if share is not None:
                raise self.error(share_key, f"give either {key} or {share_key}, not both")
            return explicit
        if self.traffic.requests_per_month is None:
            if self._not_known("requests_per_month"):
                return Decimal(0)
            raise self.error(key, f"{key} is needed (or a traffic section to derive {what} from)")
        total = self.traffic.requests_per_month
        usage.standby = self.serving is not None and self.serving.standby
        if share is None and self.serving is not None:
            derived = total * self.serving.fraction
            usage.traffic_fraction = self.serving.fraction
            usage.assumptions.append(f"{self.name}: {what} = {total:,.0f} x {self.serving.fraction_text} = "
                                     f"{derived:,.0f} ({self.serving.why}; set {share_key} or {key} to change)")
            return derived
        if share is not None and share > 0 and self.serving is not None and self.serving.standby:
            usage.assumptions.append(f"{self.name}: {share_key} {share:g} is priced as stated, although "
                                     f"{self.serving.mode} (drop {share_key} to price it idle)")
        fraction = Decimal(1) if share is None else share
        if share is None:
            usage.assumptions.append(f"{self.name}: {what} derived from traffic at 100% of all requests "
                                     f"(set {share_key} or {key} to change)")
        return total * fraction

    def response_gib(self, requests: Decimal, key: str) -> Decimal:
        """GiB sent back for a number of requests, from traffic.avg_response_kib."""
        if self.traffic.avg_response_kib is None:
            if self._not_known("avg_response_kib"):
                return Decimal(0)
            raise self.error(key, f"{key} is needed (or traffic.avg_response_kib to derive it)")
        return requests * self.traffic.avg_response_kib / KIB_PER_GIB

    def request_gib(self, requests: Decimal, key: str) -> Decimal:
        if self.traffic.avg_request_kib is None:
            if self._not_known("avg_request_kib"):
                return Decimal(0)
            raise self.error(key, f"{key} is needed (or traffic.avg_request_kib to derive it)")
        return requests * self.traffic.avg_request_kib / KIB_PER_GIB
