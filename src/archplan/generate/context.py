"""What every target reads: the resolved plan plus the names and links the generated files share.

Names are built here once so that Terraform, the Kubernetes manifests, the Cloud Run YAML, Cloud Build and
compose agree on them: a service called `api` in project `starter` is `starter-api` everywhere.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from archplan.components._workload import SecretLiteral, SecretRef, WorkloadFields
from archplan.components.base import Component
from archplan.components.gke import deployment_calls
from archplan.components.pubsub import PULL_KINDS
from archplan.errors import SpecError
from archplan.naming import PREFIX_PATTERN, env_key, ident, slug  # noqa: F401  (the targets import them from here)
from archplan.plan import Plan

WORKLOAD_KINDS = ("cloud_run", "cloud_functions", "gke")
DEFAULT_POSTGRES_VERSION = "17"  # Cloud SQL's default for new instances
DEFAULT_MYSQL_VERSION = "8.0"
DEFAULT_REDIS_VERSION = "7.2"
DB_PORTS = {"postgres": 5432, "mysql": 3306}
# Zone letters where VMs and zonal clusters go. Most regions have zones a, b and c; us-east1 and europe-west1
# have none named a: b, c and d (https://cloud.google.com/compute/docs/regions-zones, the regions table).
ZONE_LETTERS = {"us-east1": ("b", "c", "d"), "europe-west1": ("b", "c", "d")}


def zone_letters(region: str) -> tuple[str, str, str]:
    """The three zone letters of a region the generated VMs spread over (the first: a zonal cluster's)."""
    return ZONE_LETTERS.get(region, ("a", "b", "c"))


def cross_region_replicas(component: Component) -> list[tuple]:
    """(replica, Terraform name, GCP name suffix) of each cross-region replica of a database or cache:
    <name>_<region> and <name>-<region>, numbered when a region repeats."""
    regions = [r.region for r in component.spec.cross_region_replicas]
    found = []
    for index, replica in enumerate(component.spec.cross_region_replicas):
        number = regions[:index + 1].count(replica.region) if regions.count(replica.region) > 1 else None
        address = f"{ident(component.name)}_{ident(replica.region)}" + (f"_{number}" if number else "")
        suffix = f"{slug(component.name)}-{replica.region}" + (f"-{number}" if number else "")
        found.append((replica, address, suffix))
    return found


@dataclass
class Workload:
    """Something that runs a container: a Cloud Run service, a Cloud Function or a GKE Deployment."""

    name: str  # the component name, or the deployment name for GKE
    kind: str  # cloud_run, cloud_functions or gke
    component: Component  # for GKE, the cluster
    fields: WorkloadFields  # image, port, env, roles...
    dependencies: list[Component] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)  # GKE: sibling deployments it calls
    access: dict[str, str] = field(default_factory=dict)  # dependency name -> read, write or read-write
    inherits_cluster_edges: bool = False  # GKE: the deployment states no depends_on of its own

    @property
    def key(self) -> str:
        """Unique among workloads: GKE deployments are qualified by their cluster."""
        return f"{self.component.name}-{self.name}" if self.kind == "gke" else self.name


@dataclass(frozen=True)
class LiteralSecret:
    """An env value written `{value: ..., secret: true}`: it becomes a Secret Manager secret whose value a
    sensitive Terraform variable supplies. The value itself is never written."""

    workload: str
    env_name: str
    secret_id: str
    variable: str


PROJECT_ID_PATTERN = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")


class Context:
    def __init__(self, plan: Plan, prefix: str | None = None, project_id: str | None = None):
        from archplan.errors import UsageError

        if prefix is not None and not PREFIX_PATTERN.match(prefix):
            raise UsageError(f"--prefix {prefix!r}: 1-24 lowercase letters, digits or hyphens, starting with a letter, not ending with a hyphen")
        if project_id is not None and not PROJECT_ID_PATTERN.match(project_id):
            raise UsageError(f"--project-id {project_id!r}: 6-30 lowercase letters, digits or hyphens, starting "
                             "with a letter")
        from archplan.spec.buildable import refuse_unbuildable

        refuse_unbuildable(plan.spec)  # a load balancer with no backend, a flag the API refuses, ...
        self._prefix = prefix
        self._project_id = project_id
        self.plan = plan
        self.spec = plan.spec
        self.project = plan.spec.project
        self.environment = plan.environment
        self.components = {c.name: c for c in plan.components}
        # What the plan states that the generated files cannot express; printed in the generate report.
        self.warnings: list[str] = []

    # ----- names -----
    @cached_property
    def source_name(self) -> str:
        from pathlib import Path

        return Path(self.spec.file).name

    @property
    def _derived_prefix(self) -> str:
        """The project's name, and its environment: the prefix before any cut."""
        name = self.project.name if not self.environment else f"{self.project.name}-{slug(self.environment)}"
        return name.rstrip("-")

    @cached_property
    def prefix(self) -> str:
        """What every generated name starts with: --prefix, else the project's name (and environment), cut to
        19 characters plus a hash of the whole when longer than 24, so it stays unique per environment."""
        if self._prefix:
            return self._prefix
        derived = self._derived_prefix
        if PREFIX_PATTERN.match(derived):
            return derived
        digest = hashlib.sha256(derived.encode()).hexdigest()[:4]
        short = f"{derived[:19].rstrip('-')}-{digest}"
        self.warnings.append(f"prefix: {derived!r} is {len(derived)} characters; generated names start with "
                             f"{short!r} (a prefix is at most 24; --prefix sets another)")
        return short

    @property
    def project_id(self) -> str:
        return self._project_id or self.project.gcp_project_id or self.project.name

    @property
    def region(self) -> str:
        return self.plan.region

    @cached_property
    def regions(self) -> list[str]:
        """Every region a component of the plan runs in: the plan's region first, then the others sorted
        (a replica's region counts)."""
        found = {c.region for c in self.plan.components if c.spec.regional and c.spec.location_field is None}
        for component in self.plan.components:
            found.update(r.region for r in getattr(component.spec, "cross_region_replicas", []))
        return [self.region, *sorted(found - {self.region})]

    @property
    def multi_region(self) -> bool:
        return len(self.regions) > 1

    def name(self, component_or_name) -> str:
        """The GCP name of a component's resource: <prefix>-<name>."""
        text = component_or_name if isinstance(component_or_name, str) else component_or_name.name
        return f"{self.prefix}-{slug(text)}"

    def service_account_id(self, key: str) -> str:
        """A service account id (6-30 characters): <prefix>-<name>; when too long, cut to 25 characters plus
        a hash of the whole, so it keeps the prefix and stays unique per environment."""
        full = f"{self.prefix}-{slug(key)}"
        if len(full) < 6:
            return f"{full}-sa"
        if len(full) <= 30:
            return full
        digest = hashlib.sha256(full.encode()).hexdigest()[:4]
        return f"{full[:25].rstrip('-')}-{digest}"

    def service_account_email(self, key: str) -> str:
        return f"{self.service_account_id(key)}@{self.project_id}.iam.gserviceaccount.com"

    @property
    def bucket_prefix(self) -> str:
        """Bucket names are global: they start with the project id (and the prefix when it differs)."""
        return self.project_id if self.prefix == self.project_id else f"{self.project_id}-{self.prefix}"

    def bucket_name(self, component_or_name) -> str:
        text = component_or_name if isinstance(component_or_name, str) else component_or_name.name
        return f"{self.bucket_prefix}-{slug(text)}"

    def topic_name(self, topic: str) -> str:
        return f"{self.prefix}-{slug(topic)}"

    def firestore_database_id(self, component) -> str:
        """A Firestore database's id: `(default)` for the plan's first Standard edition database (the one a
        project has, which the client libraries open unless told otherwise); any other is named
        <prefix>-<name> (Google's rules for a named database: lowercase letters, digits and hyphens, 4-63
        characters, a letter first; only Standard edition may be `(default)`)."""
        first = next((c for c in self.of_kind("firestore") if c.spec.edition == "standard"), None)
        if first is not None and first.name == component.name:
            return "(default)"
        return f"{self.prefix}-{self.firestore_database_suffix(component)}"

    def firestore_database_suffix(self, component) -> str:
        """What follows <prefix>- in a named Firestore database's id: the name, at most 38 characters (with the
        prefix's 24 and the hyphen, within 63), and -db after a one-letter name (an id is at least 4)."""
        suffix = slug(component.name)[:38].rstrip("-")
        return suffix if len(suffix) >= 2 else f"{suffix}-db"

    # ----- the plan's shape -----
    @cached_property
    def _by_kind(self) -> dict[str, list[Component]]:
        index: dict[str, list[Component]] = {}
        for component in self.plan.components:
            index.setdefault(component.kind, []).append(component)
        return index

    @cached_property
    def _dependents(self) -> dict[str, list[Component]]:
        index: dict[str, list[Component]] = {}
        for component in self.plan.components:
            for name in dict.fromkeys(d.name for d in component.spec.depends_on):
                index.setdefault(name, []).append(component)
        return index

    @cached_property
    def _order(self) -> dict[str, int]:
        return {component.name: index for index, component in enumerate(self.plan.components)}

    def of_kind(self, *kinds: str) -> list[Component]:
        """Components of these kinds in plan order (indexed once: large plans ask this per component)."""
        if len(kinds) == 1:
            return list(self._by_kind.get(kinds[0], []))
        found = [c for kind in dict.fromkeys(kinds) for c in self._by_kind.get(kind, [])]
        return sorted(found, key=lambda c: self._order[c.name])

    def workload_named(self, kind: str, name: str) -> Workload:
        """The workload of this kind and name (indexed once)."""
        return self._workloads_by_name[(kind, name)]

    @cached_property
    def _workloads_by_name(self) -> dict[tuple[str, str], Workload]:
        index: dict[tuple[str, str], Workload] = {}
        for workload in self.workloads:
            index.setdefault((workload.kind, workload.name), workload)
        return index

    @cached_property
    def gke_dependency_names(self) -> frozenset[str]:
        """Every component some GKE deployment depends on."""
        return frozenset(d.name for w in self.workloads if w.kind == "gke" for d in w.dependencies)

    def eventarc_receivers(self, name: str) -> list[Component]:
        """What Eventarc delivers this Pub/Sub component's (first topic's) messages to, each through a
        subscription Eventarc makes: Cloud Functions with a Pub/Sub trigger on it and the destinations of
        Eventarc triggers naming it as their topic, in plan order (indexed once)."""
        return list(self._triggered.get(name, []))

    @cached_property
    def _triggered(self) -> dict[str, list[Component]]:
        from archplan.components.pubsub import eventarc_receivers

        return eventarc_receivers(self.plan.components)

    def has(self, *kinds: str) -> bool:
        return bool(self.of_kind(*kinds))

    @staticmethod
    def subscriptions_per_topic(component: Component) -> int:
        """A Pub/Sub component's subscriptions_per_topic as a whole number (rounded half up)."""
        return int(Decimal(component.spec.subscriptions_per_topic).quantize(Decimal(1), ROUND_HALF_UP))

    def subscription_count(self, component: Component, topic: str) -> int:
        """The subscriptions Terraform writes for a Pub/Sub component's `topic`: subscriptions_per_topic, less
        those Eventarc makes for what it delivers the first topic's messages to."""
        count = self.subscriptions_per_topic(component)
        if topic == component.spec.topics[0]:
            count -= len(self.eventarc_receivers(component.name))
        return max(0, count)

    def push_target(self, component: Component) -> Component | None:
        """The service a Pub/Sub component's topics deliver to: the first Cloud Run service or HTTP function it
        depends on (a Pub/Sub-triggered function, or an Eventarc trigger's destination, gets its messages
        through Eventarc instead)."""
        from archplan.components.pubsub import push_target

        return push_target(self.dependencies(component), self.eventarc_receivers(component.name))

    def export_target(self, component: Component) -> Component | None:
        """Where a Pub/Sub component's topics export to: the first BigQuery dataset or Cloud Storage bucket it
        depends on. Each topic then has one export subscription (BigQuery or Cloud Storage), which Pub/Sub itself
        writes through; no workload pulls it."""
        from archplan.components.pubsub import export_target

        return export_target(self.dependencies(component))

    def standard_subscription_count(self, component: Component, topic: str) -> int:
        """The pull or push subscriptions Terraform writes for `topic`: subscription_count, less the export
        subscription when the component exports."""
        count = self.subscription_count(component, topic)
        return count - 1 if count and self.export_target(component) is not None else count

    def dependencies(self, component: Component) -> list[Component]:
        return [self.components[d.name] for d in component.spec.depends_on if d.name in self.components]

    def dependents(self, component: Component) -> list[Component]:
        return list(self._dependents.get(component.name, []))

    def error(self, component: Component, key, message: str) -> SpecError:
        return self.plan.error(component.name, key, message)

    @cached_property
    def _pulled(self) -> dict[str, list[Component]]:
        """For each GKE cluster, VM or Cloud Run job, the Pub/Sub components that depend on it and push to
        nothing: the component reads their subscriptions, as if it depended on them with access read."""
        index: dict[str, list[Component]] = {}
        for queue in self.of_kind("pubsub"):
            if self.push_target(queue) is not None:
                continue
            for receiver in self.dependencies(queue):
                if receiver.kind in PULL_KINDS:
                    index.setdefault(receiver.name, []).append(queue)
        return index

    def pulled_from(self, component: Component) -> list[Component]:
        return list(self._pulled.get(component.name, []))

    def _with_pulled(self, component: Component, dependencies: list[Component],
                     access: dict[str, str]) -> tuple[list[Component], dict[str, str]]:
        """A receiver's dependencies and their access, with each Pub/Sub component it pulls from (read)."""
        extra = [q for q in self.pulled_from(component) if q not in dependencies]
        return dependencies + extra, {**{q.name: "read" for q in extra}, **access}

    @cached_property
    def workloads(self) -> list[Workload]:
        found = []
        for component in self.plan.components:
            edges = {d.name: d.access for d in component.spec.depends_on}
            if component.kind in ("cloud_run", "cloud_functions"):
                found.append(Workload(component.name, component.kind, component, component.spec,
                                      self.dependencies(component), access=edges))
            elif component.kind == "gke":
                siblings = {d.name for d in component.spec.deployments}
                # The deployments that state no depends_on of their own have the cluster's edges, and read
                # what a Pub/Sub component delivering to the cluster sends; with none such, a cluster of one
                # deployment has it read them.
                deployments = component.spec.deployments
                inheriting = [d.name for d in deployments if d.depends_on is None]
                readers = inheriting or ([d.name for d in deployments] if len(deployments) == 1 else [])
                # each edge a deployment states, with the cluster's edge's settings (access) it leaves unset
                calls = deployment_calls(component.spec)
                for deployment in component.spec.deployments:
                    if deployment.depends_on is None:
                        dependencies, access = self._with_pulled(component, self.dependencies(component), edges)
                        found.append(Workload(deployment.name, "gke", component, deployment,
                                              dependencies, inherits_cluster_edges=True, access=access))
                        continue
                    names = [d.name for d in deployment.depends_on]
                    dependencies = [self.components[n] for n in names if n not in siblings]
                    access = {d.name: d.access for d, _sibling in calls[deployment.name]}
                    if deployment.name in readers:
                        dependencies, access = self._with_pulled(component, dependencies, access)
                    found.append(Workload(deployment.name, "gke", component, deployment, dependencies,
                                          [n for n in names if n in siblings], access))
        return found

    @cached_property
    def pipeline_workloads(self) -> list[Workload]:
        """The workloads a Cloud Build pipeline builds and deploys (cloudbuild/<workload>.yaml): all but the
        services and deployments whose image the plan pins."""
        from archplan.components._workload import built_by_pipeline

        return [w for w in self.workloads if built_by_pipeline(w.kind, w.fields)]

    CALLER_KINDS = ("cloud_run_job", "compute_engine")

    def caller(self, component: Component) -> Workload:
        """A Cloud Run job or a Compute Engine VM as the one who calls what it depends on: its service account
        needs the same roles, and a job the same network path, a service's would (neither is a workload: no
        image build, port or env links)."""
        dependencies, access = self._with_pulled(component, self.dependencies(component),
                                                 {d.name: d.access for d in component.spec.depends_on})
        return Workload(component.name, component.kind, component, component.spec, dependencies, access=access)

    def workloads_of(self, kind: str) -> list[Workload]:
        return [w for w in self.workloads if w.kind == kind]

    def linked(self, workload: Workload, kind: str) -> list[Component]:
        return [c for c in workload.dependencies if c.kind == kind]

    # ----- images -----
    @cached_property
    def registry(self) -> Component | None:
        docker = [c for c in self.of_kind("artifact_registry") if c.spec.format == "docker"]
        return docker[0] if docker else None

    @cached_property
    def private_build_pool(self) -> str | None:
        """The Cloud Build private pool (its id) the pipelines of private GKE clusters run in, or None."""
        if any(w.kind == "gke" and w.component.spec.private_nodes for w in self.pipeline_workloads):
            return f"{self.prefix}-builds"
        return None

    @property
    def build_service_account(self) -> str:
        return self.service_account_email("cloud-build")

    FUNCTION_BUILD_KEY = "functions-build"

    @property
    def function_build_service_account(self) -> str:
        """The account Cloud Build builds the functions' sources as (their build_config.service_account)."""
        return self.service_account_email(self.FUNCTION_BUILD_KEY)

    @property
    def repository_id(self) -> str:
        return self.name(self.registry) if self.registry else self.prefix

    @property
    def registry_host(self) -> str:
        return f"{self.registry.region if self.registry else self.region}-docker.pkg.dev"

    def registry_for(self, workload: Workload) -> Component | None:
        """The Docker repository a workload's images go to: the plan's one in the workload's region (so it
        pulls without crossing regions), else the plan's first."""
        docker = [c for c in self.of_kind("artifact_registry") if c.spec.format == "docker"]
        return next((c for c in docker if c.region == workload.component.region), docker[0] if docker else None)

    def image_repository(self, workload: Workload) -> str:
        """Where Cloud Build pushes the workload's image (tags and digests are added per build)."""
        registry = self.registry_for(workload)
        host = f"{registry.region}-docker.pkg.dev" if registry else self.registry_host
        repository = self.name(registry) if registry else self.repository_id
        return f"{host}/{self.project_id}/{repository}/{slug(workload.name)}"

    # ----- secrets -----
    def literal_secrets(self, workload: Workload) -> dict[str, LiteralSecret]:
        found = {}
        for env_name, value in workload.fields.env.items():
            if isinstance(value, SecretLiteral):
                secret_id = f"{self.prefix}-{slug(workload.name)}-{slug(env_name)}"
                variable = f"secret_{ident(workload.key)}_{ident(env_name)}"
                found[env_name] = LiteralSecret(workload.key, env_name, secret_id, variable)
        return found

    def plan_secret_id(self, secret: str) -> str:
        """The Secret Manager id of a secret the plan names: prefixed, so two environments in one project
        keep their own."""
        return f"{self.prefix}-{secret}"

    def secret_refs(self, workload: Workload) -> dict[str, SecretRef]:
        return {k: v for k, v in workload.fields.env.items() if isinstance(v, SecretRef)}

    def plain_env(self, workload: Workload) -> dict[str, str]:
        return {k: v for k, v in workload.fields.env.items() if isinstance(v, str)}

    # ----- data stores -----
    def database_name(self, sql: Component) -> str:
        return sql.spec.databases[0] if sql.spec.databases else ident(self.project.name)

    def database_user(self, sql: Component) -> str:
        return "app"

    def database_password_secret(self, sql: Component) -> str:
        return f"{self.name(sql)}-password"

    def database_with_password_secret(self, secret: str) -> Component | None:
        """The first Cloud SQL instance or AlloyDB cluster (plan order) whose generated password secret is named
        `secret` (indexed once: a large plan asks this for every secret it names)."""
        index = self.__dict__.get("_password_secrets")
        if index is None:
            index = {}
            for sql in self.of_kind("cloud_sql", "alloydb"):
                index.setdefault(self.database_password_secret(sql), sql)
            self.__dict__["_password_secrets"] = index
        return index.get(secret)

    def sql_connection_name(self, sql: Component) -> str:
        return f"{self.project_id}:{sql.region}:{self.name(sql)}"

    def sql_version(self, sql: Component) -> str:
        spec = sql.spec
        default = DEFAULT_POSTGRES_VERSION if spec.engine == "postgres" else DEFAULT_MYSQL_VERSION
        return spec.version or default

    def redis_version(self, redis: Component) -> str:
        return redis.spec.version or DEFAULT_REDIS_VERSION

    def private_dependencies(self, workload: Workload) -> list[Component]:
        """What the workload reaches that only a VPC can reach (each kind's only_inside_vpc: private Cloud SQL,
        AlloyDB, Memorystore, a VM, a Vector Search index's Private Service Connect endpoint)."""
        return [dependency for dependency in workload.dependencies if dependency.spec.only_inside_vpc()]

    def needs_private_network(self, workload: Workload) -> bool:
        return bool(self.private_dependencies(workload))

    def vpc_egress(self, workload: Workload) -> str:
        """Cloud Run's VPC egress: the plan's, or private ranges only when it needs the VPC."""
        stated = getattr(workload.fields, "vpc_egress", "none")
        if stated != "none":
            return stated
        return "private-ranges-only" if self.needs_private_network(workload) else "none"

    def uses_cloud_sql_proxy(self, workload: Workload) -> bool:
        """GKE: deployments that set db_pool_size use SQL; if none does, every deployment of a cluster that
        depends on Cloud SQL gets the proxy."""
        if workload.kind != "gke" or not self.linked(workload, "cloud_sql"):
            return False
        deployments = workload.component.spec.deployments
        if any(d.db_pool_size is not None for d in deployments):
            return workload.fields.db_pool_size is not None
        return True

    # ----- load balancing -----
    def load_balancer_backends(self, lb: Component) -> list[Component]:
        """What a load balancer routes to: serverless services, GKE clusters, VMs and buckets it depends on,
        directly or through the Cloud Armor and Cloud CDN components it depends on (worked out once per
        load balancer: every bucket and function asks)."""
        cache = self.__dict__.setdefault("_backends", {})
        if lb.name not in cache:
            cache[lb.name] = self._load_balancer_backends(lb)
        return list(cache[lb.name])

    @cached_property
    def backend_names(self) -> frozenset[str]:
        """Every component some load balancer routes to."""
        return frozenset(self._load_balancers_of)

    def load_balancers_of(self, component: Component) -> list[Component]:
        """The load balancers that route to this component, in plan order (indexed once)."""
        return list(self._load_balancers_of.get(component.name, []))

    @cached_property
    def _load_balancers_of(self) -> dict[str, list[Component]]:
        index: dict[str, list[Component]] = {}
        for lb in self.of_kind("load_balancer"):
            for backend in dict.fromkeys(b.name for b in self.load_balancer_backends(lb)):
                index.setdefault(backend, []).append(lb)
        return index

    def _load_balancer_backends(self, lb: Component) -> list[Component]:
        from archplan.components.load_balancer import routed_backends

        return [self.components[name] for name in routed_backends(self.specs, lb.name)]

    def attached_load_balancer(self, component: Component) -> Component | None:
        """The load balancer a Cloud Armor policy or Cloud CDN configuration belongs to."""
        from archplan.components.load_balancer import attached_to

        name = attached_to(self.specs, component.name)
        return self.components[name] if name is not None else None

    @cached_property
    def specs(self) -> dict:
        """The plan's component specs by name (what the components package's plan-wide rules read)."""
        return {name: component.spec for name, component in self.components.items()}

    def armor_for(self, lb: Component) -> Component | None:
        return next((a for a in self.of_kind("cloud_armor") if self.attached_load_balancer(a) is lb), None)

    def cdn_for(self, lb: Component) -> Component | None:
        return next((c for c in self.of_kind("cloud_cdn") if self.attached_load_balancer(c) is lb), None)

    def cdn_origin_buckets(self, cdn: Component) -> list[Component]:
        return [d for d in self.dependencies(cdn) if d.kind == "cloud_storage"]

    def lb_domains(self, lb: Component) -> list[str]:
        return list(lb.spec.domains)

    def public_deployments(self, cluster: Component) -> list:
        """The deployments an Ingress routes to: those marked public, or the first one when a load balancer
        depends on the cluster and none is marked."""
        deployments = cluster.spec.deployments
        marked = [d for d in deployments if d.public]
        if marked:
            return marked
        behind_lb = any(cluster in self.load_balancer_backends(lb) for lb in self.of_kind("load_balancer"))
        return deployments[:1] if behind_lb and deployments else []

    def cluster_load_balancer(self, cluster: Component) -> Component | None:
        return next((lb for lb in self.of_kind("load_balancer") if cluster in self.load_balancer_backends(lb)), None)

    def namespace(self, cluster: Component) -> str:
        return self.prefix
