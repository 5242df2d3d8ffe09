"""Vertex AI Vector Search: a batch-update tree-AH index, an index endpoint reachable over Private Service
Connect from the project only, and the index deployed on it with the plan's machine type and node count
(fixed: min = max replicas, as priced). Workloads that query it get roles/aiplatform.user (Vertex AI has no
IAM on an index endpoint)."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import Workload, ident
from archplan.generate.hcl import Expr, nested, resource
from archplan.generate.terraform._builder import Terraform


def generate(tf: Terraform, component: Component) -> None:
    spec = component.spec
    tf.api("aiplatform.googleapis.com")
    name = ident(component.name)
    region = tf.region(component)
    tf.add("vector_search.tf", tf.about(component), resource("google_vertex_ai_index", name, {
        "display_name": tf.named(component),
        "region": region,
        "index_update_method": "BATCH_UPDATE",
        "labels": Expr("local.labels"),
        "metadata": nested({"config": nested({
            "dimensions": spec.dimensions,
            "approximate_neighbors_count": 150,
            "distance_measure_type": spec.distance,
            "shard_size": spec.shard_size,
            "algorithm_config": nested({"tree_ah_config": nested({})}),
        })}),
    }))
    tf.add("vector_search.tf", f"{component.name}: the endpoint its index is queried on, private to the project.",
           resource("google_vertex_ai_index_endpoint", name, {
               "display_name": tf.named(component),
               "region": region,
               "labels": Expr("local.labels"),
               "private_service_connect_config": nested({
                   "enable_private_service_connect": True,
                   "project_allowlist": [Expr("var.project_id")],
               }),
           }))
    tf.add("vector_search.tf", f"{component.name}: {spec.nodes} node(s) of {spec.machine_type} serve the index.",
           resource("google_vertex_ai_index_endpoint_deployed_index", name, {
               "deployed_index_id": name,
               "region": region,
               "index_endpoint": Expr(f"google_vertex_ai_index_endpoint.{name}.id"),
               "index": Expr(f"google_vertex_ai_index.{name}.id"),
               "dedicated_resources": nested({
                   "min_replica_count": spec.nodes,
                   "max_replica_count": spec.nodes,
                   "machine_spec": nested({"machine_type": spec.machine_type}),
               }),
           }))
    tf.output(f"{name}_index_endpoint", Expr(f"google_vertex_ai_index_endpoint.{name}.id"),
              f"Vector Search index endpoint of {component.name}.")


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    tf.project_role(workload.key, "roles/aiplatform.user", f"{workload.key} queries Vector Search index "
                                                           f"{component.name}.")
