"""Turn a resolved Plan into the services to simulate: each one's arrival share, service-time
distribution, scaler and limits, with the assumptions made where the plan is silent.

Every constant here is listed, with its source, in docs/simulation.md.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from archplan.components.base import SECONDS_PER_MONTH
from archplan.simulate import engine as E

# Cloud Run (cloud.google.com/run/docs/about-instance-autoscaling, seen 2026-12-01).
CLOUD_RUN_WINDOW_S = 60.0          # CPU and concurrency averaged over a one-minute window
CLOUD_RUN_CONTROL_PERIOD_S = 5.0   # "evaluates them every 5 seconds" (de-DE/es/pt-PT translations of the page)
PENDING_FACTOR = 3.5               # requests pend up to 3.5 x the average startup time ...
PENDING_FLOOR_S = 10.0             # ... or 10 s, whichever is longer, then 429
# Kubernetes HPA defaults (kubernetes.io HPA docs; GKE: cloud.google.com/kubernetes-engine/docs/concepts/
# horizontalpodautoscaler, seen 2026-12-01): sync period 15 s, tolerance 0.1, downscale stabilisation 300 s.
HPA_PERIOD_S = 15.0
HPA_TOLERANCE = 0.1
HPA_STABILIZATION_S = 300.0
# Cluster autoscaler: nodes unneeded for 10 minutes are removed (scale-down-unneeded-time default).
NODE_UNNEEDED_S = 600.0
# GKE Ingress / external Application Load Balancer backend timeout default: 30 s.
GKE_REQUEST_TIMEOUT_S = 30.0
# Assumptions (not published figures), stated in every report that uses them.
DEFAULT_STARTUP_MS = 1000.0
DEFAULT_NODE_PROVISIONING_S = 90.0
QUEUE_CAPACITY = 1 << 20
Z95 = 1.6448536269514722


@dataclass
class ServiceModel:
    name: str            # component, or component/deployment
    component: str
    kind: str            # cloud_run, cloud_functions, gke
    requests_per_month: float
    load: np.ndarray     # relative load per minute, mean 1 over the month's shape
    params: np.ndarray   # engine parameters (without duration, step and bin)
    mean_service_s: float
    distribution: str
    assumptions: list[str] = field(default_factory=list)
    async_backlog: bool = False  # Pub/Sub-fed: requests wait in the subscription instead of failing
    billing: str = "request"     # request | instance | autopilot | nodes
    cpu: float = 0.0
    memory_gib: float = 0.0


@dataclass
class QuotaModel:
    """An LLM endpoint: calls limited per minute by RPM and TPM, with its own latency."""

    name: str
    calls_per_day: float
    load: np.ndarray
    rpm: float | None
    tpm: float | None
    tokens_per_call: float
    latency_mean_s: float | None
    latency_sigma: float
    assumptions: list[str] = field(default_factory=list)


def lognormal_parameters(mean_s: float, p95_s: float) -> tuple[float, float]:
    """(mu, sigma) of the lognormal with this mean and 95th percentile: ln p95 - ln mean = z σ - σ²/2."""
    gap = math.log(p95_s / mean_s)
    discriminant = Z95 * Z95 - 2 * gap
    if discriminant < 0:
        raise ValueError(f"no lognormal has mean {mean_s * 1000:g} ms and p95 {p95_s * 1000:g} ms "
                         f"(the p95 can be at most {math.exp(Z95 * Z95 / 2):.2f}x the mean)")
    sigma = Z95 - math.sqrt(discriminant)
    return math.log(mean_s) - sigma * sigma / 2, sigma


def _params(**values) -> np.ndarray:
    params = np.zeros(E.N_PARAMS)
    for key, value in values.items():
        params[getattr(E, "P_" + key.upper())] = value
    return params


def _service_time(plan, name, key, spec, mean_ms: float):
    mean = mean_ms / 1000
    mu = sigma = 0.0
    code = {"exponential": E.EXPONENTIAL, "lognormal": E.LOGNORMAL, "fixed": E.FIXED}[spec.service_time_distribution]
    if code == E.LOGNORMAL:
        try:
            mu, sigma = lognormal_parameters(mean, float(spec.service_time_p95_ms) / 1000)
        except ValueError as problem:
            raise plan.error(name, key, str(problem)) from None
    return code, mean, mu, sigma


def _startup(spec, name: str, notes: list[str]) -> float:
    if spec.startup_ms is not None:
        return float(spec.startup_ms) / 1000
    notes.append(f"{name}: startup_ms not in the plan; a cold start of {DEFAULT_STARTUP_MS:g} ms is assumed "
                 "(archplan's assumption, not a Google figure)")
    return DEFAULT_STARTUP_MS / 1000


def _connection_caps(plan) -> dict[str, tuple[int, str]]:
    """Instances each database client may run before its pools exceed max_connections, sharing the
    database's connections in proportion to what each client would open at its max instances."""
    from archplan.check.capacity import analyse

    caps = {}
    component_of = {c.name: c for c in plan.components}
    for budget in analyse(plan).connections:
        if budget.total <= budget.max_connections or budget.total == 0:
            continue
        for client, at_full_scale, _formula in budget.clients:
            share = budget.max_connections * at_full_scale / budget.total
            component = component_of.get(client.split("/")[0])
            if component is None or component.kind not in ("cloud_run", "cloud_functions"):
                continue
            per_instance = component.spec.connections_per_instance() or 1
            cap = max(1, int(share // per_instance))
            why = (f"{client}: at most {cap} instances can hold database connections ({budget.database} "
                   f"max_connections {budget.max_connections}, shared in proportion to the pools' demand; "
                   f"{per_instance} per instance)")
            if client not in caps or caps[client][0] > cap:
                caps[client] = (cap, why)
    return caps


def _scheduled_load(plan, name: str, days: float):
    from archplan.simulate.load import scheduled_shape

    for component in plan.components:
        if component.kind != "cloud_scheduler" or isinstance(component.spec.jobs, int):
            continue
        for job in component.spec.jobs:
            if job.target == name:
                load = scheduled_shape(job.schedule, days)
                if load is not None:
                    return load, f"{name}: invocations arrive in the minute of {component.name}'s daily schedule '{job.schedule}'"
    return None, f"{name}: scheduler-triggered, schedule not a daily cron: invocations spread evenly"


def build(plan, options, shape: np.ndarray) -> tuple[list[ServiceModel], list[QuotaModel], list[str]]:
    notes: list[str] = []
    services: list[ServiceModel] = []
    quotas: list[QuotaModel] = []
    caps = _connection_caps(plan)
    for component in plan.components:
        if component.kind in ("cloud_run", "cloud_functions"):
            services.append(_serverless(plan, component, options, shape, caps, notes))
        elif component.kind == "gke":
            services += _gke(plan, component, shape, notes)
        elif component.kind == "llm":
            quota = _llm(plan, component, shape, notes)
            if quota is not None:
                quotas.append(quota)
    return services, quotas, notes


def _serverless(plan, component, options, shape, caps, notes) -> ServiceModel:
    spec, name = component.spec, component.name
    is_run = component.kind == "cloud_run"
    mean_ms = float(spec.request_duration_ms if is_run else spec.duration_ms)
    code, mean, mu, sigma = _service_time(plan, name, "service_time_p95_ms", spec, mean_ms)
    startup = _startup(spec, name, notes)
    cap = spec.max_instances
    if name in caps:
        cap = min(cap, caps[name][0])
        notes.append(caps[name][1])
    asynchronous = component.kind == "cloud_functions" and spec.trigger == "pubsub"
    load = shape
    if component.kind == "cloud_functions" and spec.trigger == "scheduler":
        scheduled, note = _scheduled_load(plan, name, options.days)
        notes.append(note)
        load = scheduled if scheduled is not None else np.ones_like(shape)
    pending = max(PENDING_FLOOR_S, PENDING_FACTOR * startup)
    if asynchronous:
        pending = 1e30
        notes.append(f"{name}: fed by Pub/Sub: requests that find no instance wait in the subscription "
                     "(backlog) and are redelivered, never rejected")
    cpu_per_request = 0.0
    if spec.cpu_ms_per_request is not None:
        cpu_per_request = float(spec.cpu_ms_per_request) / mean_ms / float(spec.cpu)
    timeout = float(spec.timeout_seconds)
    params = _params(rate_step=60.0, dist=code, mean=mean, mu=mu, sigma=sigma, startup=startup,
                     concurrency=spec.concurrency, min=spec.min_instances, cap=cap, on_demand=1,
                     control=E.CONTROL_CLOUD_RUN, period=CLOUD_RUN_CONTROL_PERIOD_S, window=CLOUD_RUN_WINDOW_S,
                     target_conc=float(spec.target_concurrency_utilization),
                     target_cpu=float(spec.target_cpu_utilization), cpu_per_request=cpu_per_request,
                     retention=float(spec.idle_instance_retention_s), pending_timeout=pending,
                     request_timeout=timeout, queue_capacity=QUEUE_CAPACITY)
    billing = "instance" if is_run and spec.cpu_allocation == "always" else "request"
    return ServiceModel(name=name, component=name, kind=component.kind,
                        requests_per_month=float(component.usage.get("requests")), load=load, params=params,
                        mean_service_s=mean, distribution=spec.service_time_distribution,
                        async_backlog=asynchronous, billing=billing, cpu=float(spec.cpu),
                        memory_gib=float(spec.memory))


def _gke(plan, component, shape, notes) -> list[ServiceModel]:
    from archplan import catalog
    from archplan.check.capacity import allocatable
    from archplan.components import gke

    spec, out = component.spec, []
    delay = float(spec.node_provisioning_s) if spec.node_provisioning_s is not None else DEFAULT_NODE_PROVISIONING_S
    for deployment in spec.deployments:
        name = f"{component.name}/{deployment.name}"
        share, assumption = gke.request_share(deployment, component.name)
        if deployment.request_duration_ms is None or share is None or plan.traffic.requests_per_month is None:
            notes.append(f"{name}: not simulated (needs request_duration_ms, traffic, and traffic_share unless it "
                         "is public)")
            continue
        if assumption:
            notes.append(assumption)
        code, mean, mu, sigma = _service_time(plan, component.name, "deployments", deployment,
                                              float(deployment.request_duration_ms))
        startup = _startup(deployment, name, notes)
        maximum = deployment.max_replicas or deployment.replicas
        if spec.mode == "standard":
            pool = gke.pool_of(spec, deployment) or next(
                (p for p in spec.node_pools if not gke.pool_gpus(p)), spec.node_pools[0])  # GPU nodes are tainted
            shape_of = catalog.service("compute_engine").machine_types[pool.machine_type]
            cpu, memory = allocatable(float(shape_of["vcpu"]), float(shape_of["memory_gb"]))
            per_node = max(1, int(min(cpu / float(deployment.cpu), memory / float(deployment.memory))))
        else:
            per_node = 1  # Autopilot: each added pod waits for capacity to be provisioned
        min_nodes = math.ceil(deployment.replicas / per_node)
        max_nodes = math.ceil(maximum / per_node)
        slots = deployment.pod_slots()
        per_request = 1.0 / slots
        if deployment.cpu_ms_per_request is not None:
            per_request = float(deployment.cpu_ms_per_request) / float(deployment.request_duration_ms) \
                / float(deployment.cpu)
        else:
            notes.append(f"{name}: cpu_ms_per_request not in the plan; a request being served is taken to use "
                         f"1/{slots} of the pod's CPU request (for the HPA)")
        params = _params(rate_step=60.0, dist=code, mean=mean, mu=mu, sigma=sigma, startup=startup,
                         concurrency=slots, min=deployment.replicas, cap=maximum,
                         on_demand=0, control=E.CONTROL_HPA if maximum > deployment.replicas else E.CONTROL_NONE,
                         period=HPA_PERIOD_S, window=HPA_PERIOD_S,
                         target_cpu=deployment.target_cpu_utilization_percent / 100, cpu_per_request=per_request,
                         retention=0.0, pending_timeout=GKE_REQUEST_TIMEOUT_S, request_timeout=GKE_REQUEST_TIMEOUT_S,
                         tolerance=HPA_TOLERANCE, stabilization=HPA_STABILIZATION_S, pods_per_node=per_node,
                         min_nodes=min_nodes, max_nodes=max_nodes, node_delay=delay, node_unneeded=NODE_UNNEEDED_S,
                         queue_capacity=QUEUE_CAPACITY)
        requests = float(plan.traffic.requests_per_month * share)
        if spec.node_provisioning_s is None and not out:
            notes.append(f"{component.name}: node_provisioning_s not in the plan; a new node is assumed ready "
                         f"{DEFAULT_NODE_PROVISIONING_S:g} s after the cluster autoscaler asks for it")
        out.append(ServiceModel(name=name, component=component.name, kind="gke", requests_per_month=requests,
                                load=shape, params=params, mean_service_s=mean,
                                distribution=deployment.service_time_distribution,
                                billing="autopilot" if spec.mode == "autopilot" else "nodes",
                                cpu=float(deployment.cpu), memory_gib=float(deployment.memory)))
    return out


def _llm(plan, component, shape, notes) -> QuotaModel | None:
    spec, name = component.spec, component.name
    if spec.chats_per_day is None:
        notes.append(f"{name}: not simulated (calls a day are known only from chats_per_day)")
        return None
    calls_per_chat = float(spec.requests_per_chat) if spec.requests_per_chat is not None else 1.0
    if spec.requests_per_chat is None:
        notes.append(f"{name}: requests_per_chat not in the plan; one model call per chat")
    tokens = float(spec.per_chat.input + spec.per_chat.output + spec.per_chat.cached_input) / calls_per_chat
    sigma = 0.0
    mean = float(spec.latency_ms) / 1000 if spec.latency_ms is not None else None
    if spec.latency_p95_ms is not None:
        try:
            _mu, sigma = lognormal_parameters(mean, float(spec.latency_p95_ms) / 1000)
        except ValueError as problem:
            raise plan.error(name, "latency_p95_ms", str(problem)) from None
    return QuotaModel(name=name, calls_per_day=float(spec.chats_per_day) * calls_per_chat, load=shape,
                      rpm=float(spec.quota_requests_per_minute) if spec.quota_requests_per_minute else None,
                      tpm=float(spec.quota_tokens_per_minute) if spec.quota_tokens_per_minute else None,
                      tokens_per_call=tokens, latency_mean_s=mean, latency_sigma=sigma)


def rate_per_second(service: ServiceModel) -> np.ndarray:
    """Arrivals per second in each minute: the month's mean rate times the relative load."""
    return service.requests_per_month / float(SECONDS_PER_MONTH) * service.load
