"""Vertex AI Vector Search: a batch-update tree-AH index, an index endpoint reachable over Private Service
Connect from the project only, and the index deployed on it with the plan's machine type and node count
(fixed: min = max replicas, as priced). A PSC endpoint (an internal address in the plan's subnet and a
forwarding rule to the deployed index's service attachment) is what the VPC reaches it at
(https://cloud.google.com/vertex-ai/docs/vector-search/setup/private-service-connect); without it nothing can
query the index. Workloads that query it get roles/aiplatform.user (Vertex AI has no IAM on an index
endpoint), the VPC and the endpoint's address."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import Workload, ident, slug
from archplan.generate.hcl import Expr, Tpl, nested, resource
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
    tf.add("vector_search.tf", f"{component.name}: {spec.nodes} node(s) of {spec.serving_machine} serve the index.",
           resource("google_vertex_ai_index_endpoint_deployed_index", name, {
               "deployed_index_id": name,
               "region": region,
               "index_endpoint": Expr(f"google_vertex_ai_index_endpoint.{name}.id"),
               "index": Expr(f"google_vertex_ai_index.{name}.id"),
               "dedicated_resources": nested({
                   "min_replica_count": spec.nodes,
                   "max_replica_count": spec.nodes,
                   "machine_spec": nested({"machine_type": spec.serving_machine}),
               }),
           }))
    network, subnetwork = tf.network(component.region)
    tf.add("vector_search.tf", f"{component.name}: the address in the VPC its clients query the index at.",
           resource("google_compute_address", f"{name}_psc", {
               "name": Tpl(f"${{var.prefix}}-{slug(component.name)}-psc"),
               "region": region,
               "subnetwork": subnetwork,
               "address_type": "INTERNAL",
           }))
    tf.add("vector_search.tf", f"{component.name}: the Private Service Connect endpoint of the deployed index.",
           resource("google_compute_forwarding_rule", f"{name}_psc", {
               "name": Tpl(f"${{var.prefix}}-{slug(component.name)}-psc"),
               "region": region,
               "network": network,
               "ip_address": Expr(f"google_compute_address.{name}_psc.id"),
               "target": Expr(service_attachment(component)),
               "load_balancing_scheme": "",  # a PSC endpoint to a published service has none
           }))
    tf.publish_for_pods(component, "address", Expr(f"google_compute_address.{name}_psc.address"),
                        f"The address in the VPC Vector Search index {component.name} is queried at (for GKE pods).")
    tf.publish_for_pods(component, "index_endpoint", Expr(f"google_vertex_ai_index_endpoint.{name}.id"),
                        f"The index endpoint of Vector Search index {component.name} (for GKE pods).")
    tf.output(f"{name}_psc_address", Expr(f"google_compute_address.{name}_psc.address"),
              f"The address in the VPC Vector Search index {component.name} is queried at.")
    tf.output(f"{name}_index_endpoint", Expr(f"google_vertex_ai_index_endpoint.{name}.id"),
              f"Vector Search index endpoint of {component.name}.")


def service_attachment(component: Component) -> str:
    return f"google_vertex_ai_index_endpoint_deployed_index.{ident(component.name)}.private_endpoints[0].service_attachment"


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    tf.project_role(workload.key, "roles/aiplatform.user", f"{workload.key} queries Vector Search index "
                                                           f"{component.name}.")
