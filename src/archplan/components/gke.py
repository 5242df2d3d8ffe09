"""Google Kubernetes Engine: a cluster (Standard with node pools, or Autopilot) and its workloads."""
from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from typing import ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from archplan.components._common import COMMITMENT_FIELD, Commitment, check_machine_type
from archplan.components._simulation import ServiceTimeFields
from archplan.components._workload import WorkloadFields
from archplan.components.base import ComponentSpec, Dependency, Strict, Usage, UsageContext
from archplan.spec.units import Cpu, MemoryGiB


class NodePool(Strict):
    name: str = Field(pattern=r"^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$", description="GKE node pool name")
    machine_type: str = Field(description="Compute Engine machine type, e.g. e2-standard-4")
    nodes: int = Field(ge=0, description="nodes across all zones, priced all month")
    min_nodes: int | None = Field(default=None, ge=0, description="cluster autoscaler minimum, nodes across all "
                                                                  "zones (default: nodes; the pool autoscales when "
                                                                  "min_nodes or max_nodes is set)")
    max_nodes: int | None = Field(default=None, ge=0, description="cluster autoscaler maximum, nodes across all "
                                                                  "zones (default: nodes)")
    spot: bool = Field(default=False, description="Spot VMs as nodes: Spot price, may be preempted; not with a "
                                                  "commitment (default false: standard VMs)")
    commitment: Commitment = COMMITMENT_FIELD
    disk_gb: int = Field(default=100, ge=10, description="boot disk per node (GKE default 100)")
    disk_type: Literal["pd-standard", "pd-balanced", "pd-ssd"] = Field(
        default="pd-balanced", description="boot disk type (GKE default pd-balanced)")

    @model_validator(mode="after")
    def _bounds(self) -> "NodePool":
        if self.min_nodes is not None and self.max_nodes is not None and self.min_nodes > self.max_nodes:
            raise ValueError("min_nodes is above max_nodes")
        if self.min_nodes is not None and self.nodes < self.min_nodes:
            raise ValueError(f"nodes ({self.nodes}) is below min_nodes ({self.min_nodes})")
        if self.max_nodes is not None and self.nodes > self.max_nodes:
            raise ValueError(f"nodes ({self.nodes}) is above max_nodes ({self.max_nodes})")
        if self.commitment != "none" and self.spot:
            raise ValueError("a Spot node pool cannot also use a commitment")
        return self


class Deployment(WorkloadFields, ServiceTimeFields):
    name: str = Field(pattern=r"^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$",
                      description="Kubernetes Deployment name: lowercase letters, digits and hyphens")
    replicas: int = Field(ge=0, description="replicas in steady state")
    max_replicas: int | None = Field(default=None, ge=0, description="HPA maximum")
    cpu: Cpu = Field(description="CPU request per pod")
    memory: MemoryGiB = Field(description="memory request per pod")
    cpu_limit: Cpu | None = Field(default=None, description="CPU limit per pod (default: the request, cpu)")
    memory_limit: MemoryGiB | None = Field(default=None, description="memory limit per pod (default: the request, "
                                                                     "memory)")
    target_cpu_utilization_percent: int = Field(default=70, ge=1, le=100, description="HPA target")
    pdb_min_available: int | None = Field(default=None, ge=0, description="PodDisruptionBudget minAvailable")
    zone_anti_affinity: bool = Field(default=False, description="spread replicas across zones")
    public: bool = Field(default=False, description="exposed through the Ingress")
    node_pool: str | None = Field(default=None, description="the node pool its pods run on (GKE Standard; a "
                                                              "nodeSelector); unset: any pool the scheduler picks "
                                                              "but GPU pools, whose nodes GKE taints when the "
                                                              "cluster has pools without GPUs")
    gpus: int = Field(default=0, ge=0, description="NVIDIA GPUs each pod requests (nvidia.com/gpu), on a node "
                                                   "pool whose machine type has them (node_pool)")
    request_duration_ms: Decimal | None = Field(default=None, gt=0, description="mean service time")
    traffic_share: Decimal | None = Field(default=None, ge=0, description="requests per user request")
    concurrency: int | None = Field(default=None, ge=1, description="requests one pod serves at once (all its "
                                                                     "workers together)")
    depends_on: list[Dependency | str] | None = Field(
        default=None, description="what this deployment calls: other deployments of the cluster or components "
                                  "the cluster depends on; unset: everything the cluster depends on. The "
                                  "cluster's edges no deployment names (image pulls, logs, NAT) hold for every "
                                  "deployment")

    @field_validator("depends_on", mode="before")
    @classmethod
    def _names(cls, value):
        if isinstance(value, list):
            return [{"name": item} if isinstance(item, str) else item for item in value]
        return value

    @model_validator(mode="after")
    def _replicas(self) -> "Deployment":
        if self.max_replicas is not None and self.replicas > self.max_replicas:
            raise ValueError(f"replicas ({self.replicas}) is above max_replicas ({self.max_replicas})")
        return self

    def mean_service_ms(self) -> Decimal | None:
        return self.request_duration_ms

    def pod_slots(self) -> int:
        """Requests one pod serves at once: its concurrency (fewer if its workers allow fewer), else its
        workers x requests per worker (one each unless stated)."""
        if self.concurrency is not None:
            return self.slots_per_instance(self.concurrency)
        return self.workers_per_instance * (self.requests_per_worker or 1)


class Spec(ComponentSpec):
    category: ClassVar[str] = "compute"
    kind: Literal["gke"]
    mode: Literal["standard", "autopilot"] = Field(description="standard: node pools, priced per node; autopilot: "
                                                               "no node pools, priced on the deployments' requests")
    location_type: Literal["regional", "zonal"] | None = Field(
        default=None, validate_default=True,
        description="regional: control plane and nodes in three zones; zonal: one zone (required for a standard "
                    "cluster; an autopilot cluster is always regional)")
    node_pools: list[NodePool] = Field(default_factory=list, description="the node pools (mode standard needs at "
                                                                         "least one; autopilot has none)")
    deployments: list[Deployment] = Field(default_factory=list, description="the workloads the cluster runs, "
                                                                            "generated as Kubernetes manifests "
                                                                            "(autopilot needs at least one)")
    private_nodes: bool = Field(default=False, description="nodes without public IPs (GCP default off)")
    workload_identity: bool = Field(default=False, description="Workload Identity (on by default only "
                                                               "for Autopilot)")
    release_channel: Literal["rapid", "regular", "stable"] = Field(
        default="regular", description="GKE release channel: rapid, regular or stable (default regular)")
    kubernetes_version: str | None = Field(default=None, description="e.g. 1.30")
    node_provisioning_s: Decimal | None = Field(
        default=None, ge=0, description="simulate: time the cluster autoscaler takes to bring up a node for "
                                        "pending pods (omitted: an assumed 90 s, stated in the report)")

    @field_validator("location_type")
    @classmethod
    def _location(cls, value, info):
        """Autopilot clusters are always regional ("GKE Autopilot clusters are always regional",
        https://cloud.google.com/kubernetes-engine/docs/concepts/multi-zone-and-regional-clusters, seen
        2026-12-07): a zonal one fails its first apply."""
        if info.data.get("mode") == "autopilot":
            if value == "zonal":
                raise ValueError("an autopilot cluster is always regional (GKE creates no zonal Autopilot "
                                 "cluster): drop location_type, or use mode: standard for a zonal cluster")
            return "regional"
        if value is None and info.data.get("mode") == "standard":
            raise ValueError("a standard cluster needs location_type: regional (control plane and nodes in three "
                             "zones) or zonal (one zone)")
        return value

    def referenced_components(self) -> list[tuple[tuple, str]]:
        """A deployment's depends_on names a sibling deployment or a component."""
        siblings = {d.name for d in self.deployments}
        found = super().referenced_components()
        for index, deployment in enumerate(self.deployments):
            for at, dependency in enumerate(deployment.depends_on or []):
                if dependency.name not in siblings:
                    found.append((("deployments", index, "depends_on", at), dependency.name))
        return found

    @model_validator(mode="after")
    def _calls(self) -> "Spec":
        cluster_edges = {d.name for d in self.depends_on}
        siblings = {d.name for d in self.deployments}
        for deployment in self.deployments:
            for dependency in deployment.depends_on or []:
                if dependency.name == deployment.name:
                    raise ValueError(f"deployment {deployment.name} cannot depend on itself")
                if dependency.name not in siblings and dependency.name not in cluster_edges:
                    raise ValueError(f"deployment {deployment.name} depends on {dependency.name}, which the "
                                     "cluster's depends_on does not list (its cost and availability follow the "
                                     "cluster's edges): add it there")
        return self

    @model_validator(mode="after")
    def _shape(self) -> "Spec":
        from archplan.spec.names import unique_names

        unique_names([pool.name for pool in self.node_pools], "node pools")
        unique_names([deployment.name for deployment in self.deployments], "deployments")
        if self.mode == "standard" and not self.node_pools:
            raise ValueError("a standard cluster needs node_pools")
        if self.mode == "autopilot" and self.node_pools:
            raise ValueError("an autopilot cluster has no node_pools: it bills the pods' requests")
        if self.mode == "autopilot" and not self.deployments:
            raise ValueError("an autopilot cluster is priced from its deployments' requests: list them")
        pools = {pool.name: pool for pool in self.node_pools}
        for deployment in self.deployments:
            if deployment.node_pool is not None and deployment.node_pool not in pools:
                raise ValueError(f"deployment {deployment.name}: node_pool {deployment.node_pool!r} is not one of "
                                 f"the cluster's node pools ({', '.join(pools) or 'none: an autopilot cluster'})")
            if not deployment.gpus:
                continue
            if self.mode == "autopilot":
                raise ValueError(f"deployment {deployment.name}: GPU pods on Autopilot are not priced by archplan; "
                                 "use a standard cluster with a GPU node pool")
            pool = pools.get(deployment.node_pool)
            gpus = pool_gpus(pool) if pool is not None else None
            if gpus is None:
                with_gpus = [name for name, p in pools.items() if pool_gpus(p)]
                raise ValueError(f"deployment {deployment.name} requests {deployment.gpus} GPU(s) a pod: set its "
                                 "node_pool to a pool whose machine type has GPUs ("
                                 + (", ".join(with_gpus) if with_gpus else "the cluster has none, e.g. a g2-standard-8 "
                                    "pool with one NVIDIA L4") + ")")
            if deployment.gpus > gpus[1]:
                raise ValueError(f"deployment {deployment.name} requests {deployment.gpus} GPU(s) a pod, but a "
                                 f"{pool.machine_type} node of pool {pool.name} has {gpus[1]}")
        return self


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    for index, pool in enumerate(spec.node_pools):
        check_machine_type(pool.machine_type, ctx, ("node_pools", index, "machine_type"))
    result = Usage()
    if spec.mode == "autopilot":
        billed = [(d, *autopilot_billed_requests(d.cpu, d.memory)) for d in spec.deployments]
        for deployment, cpu, memory in billed:
            if (cpu, memory) != (deployment.cpu, deployment.memory):
                result.assumptions.append(
                    f"{ctx.name}: deployment {deployment.name} requests {deployment.cpu} vCPU / "
                    f"{deployment.memory:.3f} GiB per Pod; Autopilot bills {cpu} vCPU / {memory:.3f} GiB "
                    f"(minimums, 0.25 vCPU steps and the 1:1 to 1:6.5 CPU:memory ratio)")
        result.quantities["pod_vcpu"] = sum((cpu * d.replicas for d, cpu, _ in billed), Decimal(0))
        result.quantities["pod_memory_gib"] = sum((memory * d.replicas for d, _, memory in billed), Decimal(0))
        return result
    result.quantities["pod_vcpu"] = sum((d.cpu * d.replicas for d in spec.deployments), Decimal(0))
    result.quantities["pod_memory_gib"] = sum((d.memory * d.replicas for d in spec.deployments), Decimal(0))
    for pool in spec.node_pools:
        result.quantities[running_nodes_key(pool)] = Decimal(created_nodes(spec, pool))
    return result


def autopilot_billed_requests(cpu: Decimal, memory_gib: Decimal) -> tuple[Decimal, Decimal]:
    """A Pod's requests as Autopilot raises them: minimums, CPU steps, then the CPU:memory ratio."""
    from archplan import catalog

    book = catalog.service("gke")
    rule = {name: book.fact(f"autopilot_{name}").decimal for name in
            ("min_vcpu", "min_memory_gib", "vcpu_increment", "min_memory_gib_per_vcpu", "max_memory_gib_per_vcpu")}
    step = rule["vcpu_increment"]
    cpu = max(cpu, rule["min_vcpu"])
    cpu = (cpu / step).to_integral_value(rounding=ROUND_CEILING) * step
    memory_gib = max(memory_gib, rule["min_memory_gib"], cpu * rule["min_memory_gib_per_vcpu"])
    if memory_gib > cpu * rule["max_memory_gib_per_vcpu"]:
        cpu = (memory_gib / rule["max_memory_gib_per_vcpu"] / step).to_integral_value(rounding=ROUND_CEILING) * step
    return cpu, memory_gib


def pool_gpus(pool: NodePool) -> tuple[str, int] | None:
    """(accelerator type, GPUs a node) of a pool whose machine type has GPUs, else None."""
    from archplan.components._common import gpus_of

    return gpus_of(pool.machine_type)


def untainted_pools(spec: Spec) -> list[NodePool]:
    """The pools a pod without node_pool may land on: those without GPUs (GKE taints GPU nodes while the
    cluster has pools without them), or every pool if all have GPUs."""
    return [pool for pool in spec.node_pools if not pool_gpus(pool)] or spec.node_pools


def pool_of(spec: Spec, deployment: Deployment) -> NodePool | None:
    """The pool a deployment's pods are pinned to, or None (any pool without GPUs, GKE taints GPU nodes)."""
    return next((pool for pool in spec.node_pools if pool.name == deployment.node_pool), None)


ZONES_PER_REGION = 3  # GKE's default node locations for a regional cluster: three zones of the region


def nodes_per_zone(spec: Spec, pool: NodePool) -> int:
    """The node count a pool is created with in each of its zones: a regional pool's `nodes` spread over
    three zones, rounded up (GKE's node_count is per zone)."""
    zones = ZONES_PER_REGION if spec.location_type == "regional" else 1
    return -(-pool.nodes // zones) if pool.nodes else 0


def request_share(deployment, cluster: str) -> tuple[Decimal | None, str | None]:
    """(the share of the traffic model's requests a deployment serves, the assumption when the plan states
    none): its traffic_share; a public deployment without one (behind the Ingress), all requests, as a Cloud
    Run service without a share; None for a deployment others call that states none (the plan's to say)."""
    if deployment.traffic_share is not None:
        return deployment.traffic_share, None
    if deployment.public:
        return Decimal(1), (f"traffic_share not set: {cluster}/{deployment.name} (public) is taken to see 100% "
                            "of the traffic model's requests")
    return None, None


def created_nodes(spec: Spec, pool: NodePool) -> int:
    """The nodes a pool runs once created: what `generate` writes and `cost` bills (a regional pool of 1 or 2
    nodes still gets one in each of its three zones)."""
    return nodes_per_zone(spec, pool) * (ZONES_PER_REGION if spec.location_type == "regional" else 1)


def largest_nodes(spec: Spec, pool: NodePool) -> int:
    """The most nodes a pool may run: its max_nodes, else the nodes it is created with (no autoscaling)."""
    return pool.max_nodes if pool.max_nodes is not None else created_nodes(spec, pool)


def running_nodes_key(pool: NodePool) -> str:
    """The usage quantity a pool is billed on: the nodes it runs all month. `usage` sets it to the nodes the
    pool is created with; `scale` to those the cluster autoscaler runs at a load (any total up to max_nodes)."""
    return f"node_pool/{pool.name}/nodes"


def largest_replicas(deployment: Deployment) -> int:
    """The most pods a deployment runs: its HPA's max_replicas (the HPA adds none past it), else its replicas
    (without an HPA the count stays)."""
    return deployment.max_replicas if deployment.max_replicas is not None else deployment.replicas


def has_call_graph(spec: Spec) -> bool:
    """True when a deployment states its own depends_on: the cluster is then followed deployment by
    deployment (check's paths, connections and queues, doc's edges), not as one blob."""
    return any(d.depends_on is not None for d in spec.deployments)


def node_name(cluster: str, deployment: str) -> str:
    """How a deployment is named where it stands for itself (paths, capacity rows, flows): cluster/deployment."""
    return f"{cluster}/{deployment}"


def entry_deployments(spec: Spec) -> list[str]:
    """The deployments a caller of the cluster reaches: the public ones (behind the Ingress); failing those,
    the ones no sibling calls."""
    public = [d.name for d in spec.deployments if d.public]
    if public:
        return public
    called = {dep.name for d in spec.deployments for dep in d.depends_on or []}
    return [d.name for d in spec.deployments if d.name not in called] or [d.name for d in spec.deployments]


# What the cluster's nodes use rather than its pods' code: egress through Cloud NAT, image pulls, logs and
# metrics. A deployment that states no depends_on does not inherit these: they stay the cluster's own edges.
NODE_LEVEL_KINDS = frozenset({"cloud_nat", "artifact_registry", "cloud_logging", "cloud_monitoring"})


def deployment_calls(spec: Spec, kinds: dict[str, str] | None = None) -> dict[str, list[tuple[Dependency, bool]]]:
    """Each deployment's edges as (dependency, to a sibling deployment). An edge to a component takes the
    cluster's edge to it (protocol, critical, mode, route) for every setting the deployment leaves unset; a
    deployment without depends_on calls everything the cluster depends on, but for what the nodes use
    (NODE_LEVEL_KINDS, when `kinds`, component name -> kind, is given; shared_edges has those)."""
    cluster_edges: dict[str, Dependency] = {}
    for dependency in spec.depends_on:
        cluster_edges.setdefault(dependency.name, dependency)
    siblings = {d.name for d in spec.deployments}
    calls: dict[str, list[tuple[Dependency, bool]]] = {}
    for deployment in spec.deployments:
        if deployment.depends_on is None:
            calls[deployment.name] = [(dependency, False) for dependency in spec.depends_on
                                      if (kinds or {}).get(dependency.name) not in NODE_LEVEL_KINDS]
            continue
        edges = []
        for dependency in deployment.depends_on:
            if dependency.name in siblings:
                edges.append((dependency, True))
                continue
            inherited = cluster_edges[dependency.name]
            merged = {key: getattr(inherited, key) for key in type(dependency).model_fields}
            merged.update({key: getattr(dependency, key) for key in dependency.model_fields_set})
            stated = inherited.model_fields_set | dependency.model_fields_set  # what either edge states
            edges.append((Dependency.model_construct(_fields_set=stated, **merged), False))
        calls[deployment.name] = edges
    return calls


def shared_edges(spec: Spec, kinds: dict[str, str] | None = None) -> list[Dependency]:
    """The cluster's edges that no deployment names (image pulls, logs, NAT for private nodes): the
    cluster's own, which every pod runs on."""
    named = {d.name for calls in deployment_calls(spec, kinds).values() for d, sibling in calls if not sibling}
    return [d for d in spec.depends_on if d.name not in named]
