"""Vertex AI Vector Search: one index (batch updates) deployed on an index endpoint, served by nodes of one
machine type; billed per GiB of data processed building the index and per node-hour of serving."""
from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from typing import ClassVar, Literal

from pydantic import Field

from archplan.components.base import HOURS_PER_MONTH, ComponentSpec, Usage, UsageContext

EXAMPLE = {"kind": "vector_search", "index_gib": 4, "build_gib_per_month": 8, "nodes": 2}

SHARD_SIZES = ("SHARD_SIZE_SMALL", "SHARD_SIZE_MEDIUM", "SHARD_SIZE_LARGE")


class Spec(ComponentSpec):
    category: ClassVar[str] = "ai"
    kind: Literal["vector_search"]
    index_gib: Decimal = Field(ge=0, description="size of the index's embeddings and metadata (GiB)")
    build_gib_per_month: Decimal = Field(ge=0, description="data processed building or batch-updating the index "
                                                           "each month (GiB; a full rebuild processes the whole index)")
    machine_type: str = Field(default="e2-standard-2", pattern=r"^[a-z][a-z0-9]*-[a-z]+-[0-9]+$",
                              description="machine type of the serving nodes (archplan prices those its catalog "
                                          "has a figure for)")
    nodes: int = Field(ge=1, le=1000, description="serving nodes kept deployed all month (the deployed index's "
                                                  "minimum replica count)")
    shard_size: Literal[SHARD_SIZES] = Field(default="SHARD_SIZE_MEDIUM", description="index shard size")
    dimensions: int = Field(default=768, ge=1, le=4096, description="embedding dimensions")
    distance: Literal["DOT_PRODUCT_DISTANCE", "COSINE_DISTANCE", "SQUARED_L2_DISTANCE"] = Field(
        default="DOT_PRODUCT_DISTANCE", description="the index's distance measure: DOT_PRODUCT_DISTANCE, "
                                                    "COSINE_DISTANCE or SQUARED_L2_DISTANCE (default "
                                                    "DOT_PRODUCT_DISTANCE)")


def shards(spec: Spec) -> int:
    """Index shards: the index's size over the shard size (catalog vector_search.facts.shard_gib/*), at least one."""
    from archplan import catalog

    size = catalog.service("vector_search").fact(f"shard_gib/{spec.shard_size}").decimal
    whole = (spec.index_gib / size).to_integral_value(rounding=ROUND_CEILING)  # Decimal // truncates
    return max(1, int(whole))


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    return Usage({"build_gib": spec.build_gib_per_month, "node_hours": Decimal(spec.nodes) * HOURS_PER_MONTH},
                 [f"Vector Search: {spec.nodes} serving node(s) of {spec.machine_type} as the plan states; archplan "
                  "does not size nodes from the index"])
