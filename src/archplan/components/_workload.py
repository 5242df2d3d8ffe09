"""Fields shared by things that run a container (Cloud Run services, Cloud Functions, GKE deployments):
image, port, probes, environment and secrets, service account roles, database pool sizes."""
from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from archplan.components.base import Strict, UrlPath
from archplan.spec.formats import ImageRef


class SecretRef(Strict):
    """An environment variable read from Secret Manager: `{secret: db-password}`."""

    secret: str = Field(pattern=r"^[A-Za-z0-9_-]{1,255}$", description="Secret Manager secret id")
    version: str = Field(default="latest", description="secret version to read (default latest)")


class SecretLiteral(Strict):
    """A literal value the author marks secret: `{value: ..., secret: true}`. `check` reports it as an
    error (secrets belong in Secret Manager) and `generate` never writes it to any file."""

    value: str = Field(description="the value as written (check reports it; generate writes it nowhere)")
    secret: Literal[True] = Field(description="true: the value is a secret")


EnvValue = str | SecretRef | SecretLiteral


def built_by_pipeline(kind: str, fields: "WorkloadFields") -> bool:
    """Whether generate writes a Cloud Build pipeline for a workload: a function's source always; a service's
    or deployment's image unless the plan pins one, which Terraform (or the manifest) then deploys alone, as a
    pipeline's deploy would be rolled back by the next apply."""
    return kind == "cloud_functions" or not fields.image


class WorkloadFields(Strict):
    image: ImageRef | None = Field(default=None, description="container image; default: the project's Artifact "
                                                         "Registry repository, named after the component")
    port: int = Field(default=8080, ge=1, le=65535, description="port the container listens on")
    health_check_path: UrlPath | None = Field(default=None, description="HTTP path for startup, "
                                                                                    "liveness and readiness probes")
    env: dict[Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")], EnvValue] = Field(default_factory=dict, description="environment variables: a string, "
                                                                       "{secret: NAME} from Secret Manager, or "
                                                                       "{value: ..., secret: true}")
    service_account_roles: list[Annotated[str, Field(
        pattern=r"^(roles/|projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/roles/|organizations/[0-9]+/roles/)[A-Za-z0-9_.]{1,64}$")]] = \
        Field(default_factory=list, description="IAM roles for its service "
                                                                               "account, e.g. roles/cloudsql.client")
    db_pool_size: int | None = Field(default=None, ge=0, description="database connections per worker process")
    db_max_overflow: int = Field(default=0, ge=0, description="extra connections a pool may open under load")
    workers_per_instance: int = Field(default=1, ge=1, description="worker processes per instance or pod, "
                                                                   "each with its own pool")
    requests_per_worker: int | None = Field(
        default=None, ge=1, description="requests one worker process serves at once (a sync gunicorn worker: "
                                        "its threads; default: not limited by workers, e.g. uvicorn/asyncio)")
    long_lived: Literal["websocket", "sse", "streaming"] | None = Field(
        default=None, description="requests are held connections (WebSocket, server-sent events, streamed "
                                  "LLM answers): the duration is how long one is held, and capacity is counted "
                                  "as concurrent connections, not queued requests")

    def secret_refs(self) -> dict[str, SecretRef]:
        return {name: value for name, value in self.env.items() if isinstance(value, SecretRef)}

    def secret_literals(self) -> dict[str, SecretLiteral]:
        return {name: value for name, value in self.env.items() if isinstance(value, SecretLiteral)}

    def slots_per_instance(self, concurrency: int) -> int:
        """Requests one instance serves at once: its concurrency setting, unless its workers allow fewer."""
        if self.requests_per_worker is None:
            return concurrency
        return min(concurrency, self.workers_per_instance * self.requests_per_worker)

    def connections_per_instance(self) -> int | None:
        if self.db_pool_size is None:
            return None
        return self.workers_per_instance * (self.db_pool_size + self.db_max_overflow)
