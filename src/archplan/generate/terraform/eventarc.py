"""Eventarc triggers: each routes one event type of a Google source (a bucket's object events, say) to a
Cloud Run service, as a service account that may only receive events and invoke that service."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import ident
from archplan.generate.hcl import Block, Expr, Tpl, nested, resource
from archplan.generate.terraform import _workloads
from archplan.generate.terraform._builder import Terraform
from archplan.generate.terraform.pubsub import topic_ref


def created_names(ctx, component: Component) -> list[str]:
    """The triggers' names (<prefix>-<trigger>)."""
    return [f"{ctx.prefix}-{trigger.name}" for trigger in component.spec.triggers]


def generate(tf: Terraform, component: Component) -> None:
    ctx = tf.ctx
    spec = component.spec
    tf.api("eventarc.googleapis.com", "pubsub.googleapis.com")
    key = f"{component.name}-events"
    email = tf.service_account(key, f"Identity the Eventarc triggers of {component.name} deliver events as.")
    receiver = tf.project_role(key, "roles/eventarc.eventReceiver", f"{component.name}'s triggers receive events.")
    # Eventarc refuses a Cloud Storage trigger until the bucket's service agent may publish to Pub/Sub ("the GCS
    # service account requires the Pub/Sub Publisher role"); its own service agent has its role from the first
    # Eventarc resource on (https://cloud.google.com/eventarc/docs/all-roles-permissions).
    gcs_grant = "gcs_service_agent_publishes"
    storage_events = False
    # One grant per destination: triggers that share one would each declare the same IAM member.
    for destination in dict.fromkeys(trigger.destination for trigger in spec.triggers):
        target = ctx.components[destination]  # a cloud_run service (the spec's reference_kinds)
        _workloads.invoker(tf, target, key, Expr(_workloads.SERVICE_NAMES["cloud_run"].format(ident(target.name))))
    for index, trigger in enumerate(spec.triggers):
        target = ctx.components[trigger.destination]
        criteria = [nested({"attribute": "type", "value": trigger.event_type})]
        if trigger.bucket:
            bucket = ctx.components[trigger.bucket]
            criteria.append(nested({"attribute": "bucket",
                                    "value": Expr(f"google_storage_bucket.{ident(bucket.name)}.name")}))
            storage_events = True
        transport = None
        if trigger.topic:
            pubsub = ctx.components[trigger.topic]
            # The plan's topic carries the events: without it Eventarc makes a topic of its own.
            transport = nested({"pubsub": nested({
                "topic": Expr(f"google_pubsub_topic.{topic_ref(pubsub, pubsub.spec.topics[0])}.id")})})
        items = [tf.about(component)] if index == 0 else []
        body = {
            "name": Tpl(f"${{var.prefix}}-{trigger.name}"),
            "location": tf.region(component),
            "matching_criteria": criteria,
            "destination": nested({"cloud_run_service": nested({
                "service": Expr(f"google_cloud_run_v2_service.{ident(target.name)}.name"),
                "region": tf.region(target)})}),
        }
        if transport is not None:
            body["transport"] = transport
        grants = [receiver] + ([Expr(f"google_project_iam_member.{gcs_grant}")] if trigger.bucket else [])
        body.update({"service_account": email, "labels": Expr("local.labels"), "depends_on": grants})
        name = f"{ident(component.name)}_{ident(trigger.name)}"
        tf.add("eventarc.tf", *items, resource("google_eventarc_trigger", name, body))
    if storage_events and "gcs_service_account" not in tf.flags:
        # The project's one service agent, granted once for every eventarc component's storage triggers: a
        # grant per component would be one IAM member twice, and removing one component would revoke it.
        tf.flags.add("gcs_service_account")
        tf.add("eventarc.tf", "Cloud Storage publishes its object events to Pub/Sub as its service agent.",
               resource("google_project_iam_member", gcs_grant, {
                   "project": Expr("var.project_id"),
                   "role": "roles/pubsub.publisher",
                   "member": Tpl("serviceAccount:${data.google_storage_project_service_account.gcs.email_address}"),
               }),
               Block("data", ("google_storage_project_service_account", "gcs"), {}))
