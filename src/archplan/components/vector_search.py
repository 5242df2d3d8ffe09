"""Vertex AI Vector Search: one index (batch updates) deployed on an index endpoint, served by nodes of one
machine type; billed per GiB of data processed building the index and per node-hour of serving."""
from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from archplan.components.base import HOURS_PER_MONTH, ComponentSpec, Usage, UsageContext

EXAMPLE = {"kind": "vector_search", "index_gib": 4, "build_gib_per_month": 8, "nodes": 2}

SHARD_SIZES = ("SHARD_SIZE_SMALL", "SHARD_SIZE_MEDIUM", "SHARD_SIZE_LARGE")
# The machine type Google deploys an index of each shard size on when none is given
# (https://cloud.google.com/vertex-ai/docs/vector-search/create-manage-index: "(default)" in its machine type table).
DEFAULT_MACHINES = {"SHARD_SIZE_SMALL": "e2-standard-2", "SHARD_SIZE_MEDIUM": "e2-standard-16",
                    "SHARD_SIZE_LARGE": "e2-highmem-16"}


class Spec(ComponentSpec):
    def only_inside_vpc(self) -> bool:
        return True  # the index endpoint is reached through its Private Service Connect endpoint

    category: ClassVar[str] = "ai"
    kind: Literal["vector_search"]
    index_gib: Decimal = Field(ge=0, description="size of the index's embeddings and metadata (GiB)")
    build_gib_per_month: Decimal = Field(ge=0, description="data processed building or batch-updating the index "
                                                           "each month (GiB; a full rebuild processes the whole index)")
    machine_type: str | None = Field(
        default=None, pattern=r"^[a-z][a-z0-9]*-[a-z]+-[0-9]+$",
        description="machine type of the serving nodes: e2-standard-2, e2-standard-16, e2-highmem-16, n1-standard-16, "
                    "n1-standard-32 or n2d-standard-32, one that serves the shard size (default: Google's default for "
                    "the shard size, e2-standard-2 for SMALL, e2-standard-16 for MEDIUM, e2-highmem-16 for LARGE)")
    nodes: int = Field(ge=1, le=1000, description="serving nodes kept deployed all month (the deployed index's "
                                                  "minimum replica count)")
    shard_size: Literal[SHARD_SIZES] = Field(default="SHARD_SIZE_MEDIUM", description="index shard size")
    dimensions: int = Field(default=768, ge=1, le=4096, description="embedding dimensions")
    distance: Literal["DOT_PRODUCT_DISTANCE", "COSINE_DISTANCE", "SQUARED_L2_DISTANCE"] = Field(
        default="DOT_PRODUCT_DISTANCE", description="the index's distance measure: DOT_PRODUCT_DISTANCE, "
                                                    "COSINE_DISTANCE or SQUARED_L2_DISTANCE (default "
                                                    "DOT_PRODUCT_DISTANCE)")


    @model_validator(mode="after")
    def _machine_serves_the_shard_size(self) -> "Spec":
        from archplan import catalog

        book = catalog.service("vector_search")
        if self.machine_type is not None and f"shard_sizes/{self.machine_type}" in book.facts:
            served = book.fact(f"shard_sizes/{self.machine_type}").value
            if self.shard_size not in served:
                fit = [name.split("/", 1)[1] for name, entry in book.facts.items()
                       if name.startswith("shard_sizes/") and self.shard_size in entry.get("value", ())]
                raise ValueError(f"{self.machine_type} serves {' and '.join(served)} only, not {self.shard_size} "
                                 f"(cloud.google.com/vertex-ai/docs/vector-search/create-manage-index); for "
                                 f"{self.shard_size} use {', '.join(fit)}")
        return self

    @property
    def serving_machine(self) -> str:
        """The serving nodes' machine type: the plan's, or Google's default for the shard size."""
        return self.machine_type or DEFAULT_MACHINES[self.shard_size]


def shards(spec: Spec) -> int:
    """Index shards: the index's size over the shard size (catalog vector_search.facts.shard_gib/*), at least one."""
    from archplan import catalog

    size = catalog.service("vector_search").fact(f"shard_gib/{spec.shard_size}").decimal
    whole = (spec.index_gib / size).to_integral_value(rounding=ROUND_CEILING)  # Decimal // truncates
    return max(1, int(whole))


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    return Usage({"build_gib": spec.build_gib_per_month, "node_hours": Decimal(spec.nodes) * HOURS_PER_MONTH},
                 [f"Vector Search: {spec.nodes} serving node(s) of {spec.serving_machine}"
                  + ("" if spec.machine_type else f" (Google's default for {spec.shard_size})")
                  + " as the plan states; archplan "
                  "does not size nodes from the index"])
