"""Google Kubernetes Engine: a cluster (Standard with node pools, or Autopilot) and its workloads."""
from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from archplan.components._common import COMMITMENT_FIELD, Commitment, check_machine_type
from archplan.components._simulation import ServiceTimeFields
from archplan.components._workload import WorkloadFields
from archplan.components.base import ComponentSpec, Strict, Usage, UsageContext
from archplan.spec.units import Cpu, MemoryGiB


class NodePool(Strict):
    name: str
    machine_type: str = Field(description="Compute Engine machine type, e.g. e2-standard-4")
    nodes: int = Field(ge=0, description="nodes across all zones, priced all month")
    min_nodes: int | None = Field(default=None, ge=0)
    max_nodes: int | None = Field(default=None, ge=0)
    spot: bool = False
    commitment: Commitment = COMMITMENT_FIELD
    disk_gb: int = Field(default=100, ge=10, description="boot disk per node (GKE default 100)")
    disk_type: Literal["pd-standard", "pd-balanced", "pd-ssd"] = Field(
        default="pd-balanced", description="boot disk type (GKE default pd-balanced)")

    @model_validator(mode="after")
    def _bounds(self) -> "NodePool":
        if self.min_nodes is not None and self.max_nodes is not None and self.min_nodes > self.max_nodes:
            raise ValueError("min_nodes is above max_nodes")
        if self.commitment != "none" and self.spot:
            raise ValueError("a Spot node pool cannot also use a commitment")
        return self


class Deployment(WorkloadFields, ServiceTimeFields):
    name: str = Field(pattern=r"^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")
    replicas: int = Field(ge=0, description="replicas in steady state")
    max_replicas: int | None = Field(default=None, ge=0, description="HPA maximum")
    cpu: Cpu = Field(description="CPU request per pod")
    memory: MemoryGiB = Field(description="memory request per pod")
    cpu_limit: Cpu | None = None
    memory_limit: MemoryGiB | None = None
    target_cpu_utilization_percent: int = Field(default=70, ge=1, le=100, description="HPA target")
    pdb_min_available: int | None = Field(default=None, ge=0, description="PodDisruptionBudget minAvailable")
    zone_anti_affinity: bool = Field(default=False, description="spread replicas across zones")
    public: bool = Field(default=False, description="exposed through the Ingress")
    request_duration_ms: Decimal | None = Field(default=None, gt=0, description="mean service time")
    traffic_share: Decimal | None = Field(default=None, ge=0, description="requests per user request")

    def mean_service_ms(self) -> Decimal | None:
        return self.request_duration_ms


class Spec(ComponentSpec):
    category: ClassVar[str] = "compute"
    kind: Literal["gke"]
    mode: Literal["standard", "autopilot"]
    location_type: Literal["regional", "zonal"] = Field(description="regional: control plane and nodes in "
                                                                     "three zones; zonal: one zone")
    node_pools: list[NodePool] = Field(default_factory=list)
    deployments: list[Deployment] = Field(default_factory=list)
    private_nodes: bool = Field(default=False, description="nodes without public IPs (GCP default off)")
    workload_identity: bool = Field(default=False, description="Workload Identity (on by default only "
                                                               "for Autopilot)")
    release_channel: Literal["rapid", "regular", "stable"] = "regular"
    kubernetes_version: str | None = Field(default=None, description="e.g. 1.30")
    node_provisioning_s: Decimal | None = Field(
        default=None, ge=0, description="simulate: time the cluster autoscaler takes to bring up a node for "
                                        "pending pods (omitted: an assumed 90 s, stated in the report)")

    @model_validator(mode="after")
    def _shape(self) -> "Spec":
        if self.mode == "standard" and not self.node_pools:
            raise ValueError("a standard cluster needs node_pools")
        if self.mode == "autopilot" and self.node_pools:
            raise ValueError("an autopilot cluster has no node_pools: it bills the pods' requests")
        if self.mode == "autopilot" and not self.deployments:
            raise ValueError("an autopilot cluster is priced from its deployments' requests: list them")
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
