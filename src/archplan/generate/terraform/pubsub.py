"""Pub/Sub topics with their retention, subscriptions, and a dead-letter topic where the plan asks for one."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import Workload, ident, slug
from archplan.generate.hcl import Expr, Tpl, nested, resource
from archplan.generate.terraform import _workloads
from archplan.generate.terraform._builder import Terraform

MAX_DELIVERY_ATTEMPTS = 5


def topic_ref(component: Component, topic: str) -> str:
    return f"{ident(component.name)}_{ident(topic)}"


def dead_letter_topic(component: Component) -> str | None:
    """The topic of the plan the dead-letter topic is (one named dead-letter), None when archplan adds one."""
    dead_letter = f"{ident(component.name)}_dead_letter"
    return next((t for t in component.spec.topics if topic_ref(component, t) == dead_letter), None)


def topic_names(ctx, component: Component) -> list[str]:
    """The GCP names of the component's topics, the dead-letter topic archplan adds last."""
    names = [f"{ctx.prefix}-{slug(topic)}" for topic in component.spec.topics]
    if component.spec.dead_letter and dead_letter_topic(component) is None:
        names.append(f"{ctx.prefix}-{slug(component.name)}-dead-letter")
    return names


def eventarc_receivers(tf: Terraform, component: Component) -> list[Component]:
    """What Eventarc delivers this component's first topic to (triggered functions, Eventarc triggers'
    destinations): Eventarc makes their subscriptions."""
    return tf.ctx.eventarc_receivers(component.name)


def subscriptions_of(tf: Terraform, component: Component, topic: str) -> int:
    return tf.ctx.subscription_count(component, topic)


def subscription_ref(component: Component, topic: str, index: int) -> str:
    return f"{topic_ref(component, topic)}_sub_{index}"


def generate(tf: Terraform, component: Component) -> None:
    ctx = tf.ctx
    spec = component.spec
    tf.api("pubsub.googleapis.com")
    retention = f"{int(spec.retention_days * 86400)}s" if spec.retention_days else None
    push_to = push_target(tf, component)
    if push_to is not None:
        push_key = f"{component.name}-push"
        push_email = tf.service_account(push_key, f"Identity {component.name}'s push subscriptions call "
                                                  f"{push_to.name} with.")
        push_url = Expr(_workloads.SERVICE_URLS[push_to.kind].format(ident(push_to.name)))
        push_service = Expr(_workloads.SERVICE_NAMES[push_to.kind].format(ident(push_to.name)))
        _workloads.invoker(tf, push_to, push_key, push_service)
    dead_letter = f"{ident(component.name)}_dead_letter"
    # A topic the plan itself names dead-letter is the dead-letter topic: it is not declared twice.
    own_dead_letter = dead_letter_topic(component)
    # Where the topics may keep messages: the plan's regions when it states a data residency. The
    # dead-letter topic holds the same messages, so it is kept there too.
    storage = nested({"allowed_persistence_regions": [tf.region(r) for r in tf.ctx.regions]}) \
        if ctx.project.data_residency else None
    if spec.dead_letter and own_dead_letter is None:
        body = {tf.cmek_skip("CKV_GCP_83"): None,
                "name": Tpl(f"${{var.prefix}}-{slug(component.name)}-dead-letter"),
                "labels": Expr("local.labels"), "message_retention_duration": "604800s"}
        if storage is not None:
            body["message_storage_policy"] = storage
        tf.add("pubsub.tf", f"{component.name}: undeliverable messages go here after {MAX_DELIVERY_ATTEMPTS} "
                            "attempts (dead_letter in the plan).",
               resource("google_pubsub_topic", dead_letter, body))
    first = True
    for topic in spec.topics:
        ref = topic_ref(component, topic)
        body: dict = {tf.cmek_skip("CKV_GCP_83"): None, "name": Tpl(f"${{var.prefix}}-{slug(topic)}"),
                      "labels": Expr("local.labels")}
        if retention:
            body["message_retention_duration"] = retention
        if storage is not None:
            body["message_storage_policy"] = storage
        items = [tf.about(component)] if first else []
        first = False
        tf.add("pubsub.tf", *items, resource("google_pubsub_topic", ref, body))
        if topic == spec.topics[0] and eventarc_receivers(tf, component):
            names = ", ".join(r.name for r in eventarc_receivers(tf, component))
            tf.add("pubsub.tf", f"{topic}: Eventarc creates the subscription of {names}, one of the plan's "
                                "subscriptions_per_topic.")
        for index in range(1, subscriptions_of(tf, component, topic) + 1):
            sub: dict = {
                "name": Tpl(f"${{var.prefix}}-{slug(topic)}-sub-{index}"),
                "topic": Expr(f"google_pubsub_topic.{ref}.id"),
                "labels": Expr("local.labels"),
                "ack_deadline_seconds": 60,
                "message_retention_duration": retention or "604800s",
                "expiration_policy": nested({"ttl": ""}),
                "retry_policy": nested({"minimum_backoff": "10s", "maximum_backoff": "600s"}),
            }
            if push_to is not None:
                sub["push_config"] = nested({"push_endpoint": push_url, "oidc_token": nested(
                    {"service_account_email": push_email, "audience": push_url})})
            if spec.dead_letter and topic != own_dead_letter:
                sub["dead_letter_policy"] = nested({"dead_letter_topic": Expr(f"google_pubsub_topic.{dead_letter}.id"),
                                                    "max_delivery_attempts": MAX_DELIVERY_ATTEMPTS})
            tf.add("pubsub.tf", resource("google_pubsub_subscription", subscription_ref(component, topic, index), sub))
        tf.output(f"{ref}_topic", Expr(f"google_pubsub_topic.{ref}.id"), f"Pub/Sub topic {topic}.")
    if spec.dead_letter:
        # The Pub/Sub service agent forwards to the dead-letter topic and acknowledges on the subscription.
        tf.flags.add("project_data")
        agent = Tpl("serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com")
        tf.add("pubsub.tf", resource("google_pubsub_topic_iam_member", f"{dead_letter}_publisher", {
            "topic": Expr(f"google_pubsub_topic.{dead_letter}.id"),
            "role": "roles/pubsub.publisher",
            "member": agent,
        }))
        for topic in spec.topics:
            if topic == own_dead_letter:
                continue
            for index in range(1, subscriptions_of(tf, component, topic) + 1):
                ref = subscription_ref(component, topic, index)
                tf.add("pubsub.tf", resource("google_pubsub_subscription_iam_member", f"{ref}_dead_letter", {
                    "subscription": Expr(f"google_pubsub_subscription.{ref}.id"),
                    "role": "roles/pubsub.subscriber",
                    "member": agent,
                }))


def push_target(tf: Terraform, component: Component) -> Component | None:
    return tf.ctx.push_target(component)


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    """The edge's access: write publishes to the topics, read pulls from their subscriptions (a push
    subscription needs no role on the receiver), read-write both."""
    access = workload.access.get(component.name, "read-write")
    if access in ("write", "read-write"):
        for topic in component.spec.topics:
            ref = topic_ref(component, topic)
            tf.add("iam.tf", resource("google_pubsub_topic_iam_member", f"{ident(workload.key)}_publishes_{ref}", {
                "topic": Expr(f"google_pubsub_topic.{ref}.id"),
                "role": "roles/pubsub.publisher",
                "member": tf.member(workload.key),
            }))
    if access in ("read", "read-write") and push_target(tf, component) is None:
        for topic in component.spec.topics:
            for index in range(1, subscriptions_of(tf, component, topic) + 1):
                ref = subscription_ref(component, topic, index)
                tf.add("iam.tf", resource("google_pubsub_subscription_iam_member",
                                          f"{ident(workload.key)}_pulls_{ref}", {
                                              "subscription": Expr(f"google_pubsub_subscription.{ref}.id"),
                                              "role": "roles/pubsub.subscriber",
                                              "member": tf.member(workload.key),
                                          }))
