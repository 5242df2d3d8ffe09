"""Where each component kind sits in the architecture picture: its layer, its label and its shape.

The layers are the bands the seeds draw by hand, top to bottom. A kind missing from KINDS still gets a
place: the layer of its cost category (a new kind shows up, drawn plainly, until it is added here)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layer:
    key: str
    title: str
    fill: str  # node fill
    border: str  # node border, edges out of the layer
    background: str  # the cluster's
    row: int  # layers are drawn in rows, top to bottom; layers sharing a row sit side by side


@dataclass(frozen=True)
class KindStyle:
    layer: str
    label: str  # the service's name as people say it
    shape: str = "box"  # Graphviz shape: data stores are cylinders


LAYERS = (
    Layer("edge", "Users and edge", "#e8f0fe", "#1a73e8", "#f5f8fe", 0),
    Layer("compute", "Compute", "#e6f4ea", "#188038", "#f4faf5", 1),
    Layer("async", "Async and scheduling", "#fef7e0", "#b06000", "#fffbf0", 2),
    Layer("data", "Data", "#f3e8fd", "#8430ce", "#faf5fe", 3),
    Layer("ai", "AI", "#fce8f3", "#b80672", "#fef5fa", 4),
    Layer("external", "External services", "#f1f3f4", "#5f6368", "#f8f9fa", 4),
    Layer("operations", "Operations and observability", "#e4f7fb", "#007b83", "#f3fbfc", 4),
)
LAYER_BY_KEY = {layer.key: layer for layer in LAYERS}

KINDS = {
    "cloud_dns": KindStyle("edge", "Cloud DNS"),
    "cloud_cdn": KindStyle("edge", "Cloud CDN"),
    "load_balancer": KindStyle("edge", "Load balancer"),
    "api_gateway": KindStyle("edge", "API Gateway"),
    "cloud_endpoints": KindStyle("edge", "Cloud Endpoints"),
    "cloud_armor": KindStyle("edge", "Cloud Armor", "octagon"),
    "cloud_nat": KindStyle("edge", "Cloud NAT"),
    "network_egress": KindStyle("edge", "Internet egress", "cds"),
    "vpc_connector": KindStyle("edge", "VPC connector"),
    "cloud_run": KindStyle("compute", "Cloud Run"),
    "cloud_functions": KindStyle("compute", "Cloud Functions"),
    "cloud_run_job": KindStyle("compute", "Cloud Run job"),
    "gke": KindStyle("compute", "GKE"),
    "compute_engine": KindStyle("compute", "Compute Engine"),
    "pubsub": KindStyle("async", "Pub/Sub", "cds"),
    "cloud_scheduler": KindStyle("async", "Cloud Scheduler"),
    "cloud_tasks": KindStyle("async", "Cloud Tasks", "cds"),
    "eventarc": KindStyle("async", "Eventarc", "cds"),
    "cloud_sql": KindStyle("data", "Cloud SQL", "cylinder"),
    "alloydb": KindStyle("data", "AlloyDB", "cylinder"),
    "spanner": KindStyle("data", "Spanner", "cylinder"),
    "memorystore_redis": KindStyle("data", "Memorystore Redis", "cylinder"),
    "memorystore_valkey": KindStyle("data", "Memorystore Valkey", "cylinder"),
    "memorystore_redis_cluster": KindStyle("data", "Redis Cluster", "cylinder"),
    "cloud_storage": KindStyle("data", "Cloud Storage", "folder"),
    "firestore": KindStyle("data", "Firestore", "cylinder"),
    "bigquery": KindStyle("data", "BigQuery", "cylinder"),
    "llm": KindStyle("ai", "Gemini"),
    "cloud_vision": KindStyle("ai", "Cloud Vision"),
    "vector_search": KindStyle("ai", "Vector Search", "cylinder"),
    "cloud_translation": KindStyle("ai", "Cloud Translation"),
    "speech_to_text": KindStyle("ai", "Speech-to-Text"),
    "document_ai": KindStyle("ai", "Document AI"),
    "external": KindStyle("external", "External service", "component"),
    "secret_manager": KindStyle("operations", "Secret Manager"),
    "cloud_kms": KindStyle("operations", "Cloud KMS", "septagon"),
    "identity_platform": KindStyle("edge", "Identity Platform"),
    "artifact_registry": KindStyle("operations", "Artifact Registry"),
    "cloud_build": KindStyle("operations", "Cloud Build"),
    "cloud_logging": KindStyle("operations", "Cloud Logging"),
    "cloud_monitoring": KindStyle("operations", "Cloud Monitoring"),
    "cloud_trace": KindStyle("operations", "Cloud Trace"),
}

# Cost category -> layer, for kinds KINDS does not list.
CATEGORY_LAYERS = {"compute": "compute", "data": "data", "network": "edge", "operations": "operations",
                   "ai": "ai", "external": "external"}


def style_of(kind: str, category: str) -> KindStyle:
    known = KINDS.get(kind)
    if known is not None:
        return known
    return KindStyle(CATEGORY_LAYERS.get(category, "external"), kind.replace("_", " "))


def layer_row(key: str) -> int:
    return LAYER_BY_KEY[key].row
