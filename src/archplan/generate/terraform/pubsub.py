"""Pub/Sub topics with their retention, subscriptions, and a dead-letter topic where the plan asks for one.

A Pub/Sub component that depends on a BigQuery dataset or a Cloud Storage bucket exports to it: one of each
topic's subscriptions is an export subscription, which Pub/Sub itself writes through (a BigQuery subscription
into a table of the dataset by the Storage Write API, a Cloud Storage subscription into objects of the bucket),
as the Pub/Sub service agent, which gets the roles it writes with before the subscription is made (Pub/Sub
checks them when it creates the subscription)."""
from __future__ import annotations

import json

from archplan.components.base import Component
from archplan.components.pubsub import EXPORT_KINDS, PULL_KINDS
from archplan.generate.context import Workload, ident, slug
from archplan.generate.hcl import Expr, Text, Tpl, nested, resource
from archplan.generate.terraform import _workloads
from archplan.generate.terraform._builder import Terraform

MAX_DELIVERY_ATTEMPTS = 5
SERVICE_AGENT = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
# The columns a BigQuery subscription writes with write_metadata on and no topic schema (google.pubsub.v1
# BigQueryConfig.write_metadata: the subscription name, message_id and publish_time in their own columns, every
# other message property, ordering_key included, as a JSON object in attributes). data is BYTES, which holds any
# payload as published; SAFE_CONVERT_BYTES_TO_STRING(data) reads a text one.
EXPORT_TABLE_SCHEMA = [
    {"name": "subscription_name", "type": "STRING", "mode": "NULLABLE",
     "description": "The subscription that wrote the row"},
    {"name": "message_id", "type": "STRING", "mode": "NULLABLE", "description": "The message's ID"},
    {"name": "publish_time", "type": "TIMESTAMP", "mode": "NULLABLE",
     "description": "When the message was published"},
    {"name": "data", "type": "BYTES", "mode": "NULLABLE", "description": "The message's payload"},
    {"name": "attributes", "type": "STRING", "mode": "NULLABLE",
     "description": "The message's attributes and ordering key, as a JSON object"},
]
# A Cloud Storage subscription starts a new object at least this often; the value may not exceed the
# subscription's acknowledgement deadline (google.pubsub.v1 CloudStorageConfig.max_duration), so both are 300 s.
EXPORT_OBJECT_SECONDS = 300


def topic_ref(component: Component, topic: str) -> str:
    return f"{ident(component.name)}_{ident(topic)}"


def dead_letter_topic(component: Component) -> str | None:
    """The topic of the plan the dead-letter topic is (one named dead-letter), None when archplan adds one."""
    dead_letter = f"{ident(component.name)}_dead_letter"
    return next((t for t in component.spec.topics if topic_ref(component, t) == dead_letter), None)


def dead_letters(ctx, component: Component) -> bool:
    """Whether the component's subscriptions send undeliverable messages to a dead-letter topic: the plan asks
    for one and Terraform writes at least one subscription to set it on. Eventarc makes and manages its own
    subscriptions, and its trigger takes no dead-letter policy (its transport's subscription is output only;
    hashicorp/terraform-provider-google#17697), so a topic only Eventarc reads has nothing to send there."""
    own = dead_letter_topic(component)
    return component.spec.dead_letter and any(ctx.subscription_count(component, topic)
                                              for topic in component.spec.topics if topic != own)


def created_names(ctx, component: Component) -> list[str]:
    """The GCP names of the component's topics, the dead-letter topic archplan adds last."""
    names = [f"{ctx.prefix}-{slug(topic)}" for topic in component.spec.topics]
    if dead_letters(ctx, component) and dead_letter_topic(component) is None:
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


def standard_subscriptions_of(tf: Terraform, component: Component, topic: str) -> int:
    """The topic's pull or push subscriptions: its subscriptions less the export subscription."""
    return tf.ctx.standard_subscription_count(component, topic)


def exports(tf: Terraform, component: Component, topic: str) -> bool:
    """Whether the topic has an export subscription: the component exports and the topic has a subscription to
    spare (Eventarc may make all of the first topic's)."""
    return tf.ctx.export_target(component) is not None and subscriptions_of(tf, component, topic) > 0


def export_ref(component: Component, topic: str) -> str:
    return f"{topic_ref(component, topic)}_export"


def subscription_refs(tf: Terraform, component: Component, topic: str) -> list[str]:
    """Every subscription Terraform writes for the topic: the pull or push ones, then the export one."""
    refs = [subscription_ref(component, topic, index)
            for index in range(1, standard_subscriptions_of(tf, component, topic) + 1)]
    return refs + ([export_ref(component, topic)] if exports(tf, component, topic) else [])


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
    pullers = [d for d in ctx.dependencies(component) if d.kind in PULL_KINDS]
    if push_to is not None and pullers:
        tf.warnings.append(f"{component.name}: its subscriptions push to {push_to.name}, so "
                           f"{', '.join(p.name for p in pullers)}, which it also delivers to, has none to pull "
                           f"from: make a second Pub/Sub component for {pullers[0].name}")
    for cluster in (p for p in pullers if p.kind == "gke"):
        if not any(w.component is cluster and component in w.dependencies for w in ctx.workloads_of("gke")):
            tf.warnings.append(f"{component.name}: it delivers to {cluster.name}, whose deployments each name "
                               f"their own depends_on, so none reads its subscriptions: add "
                               f"{{name: {component.name}, access: read}} to the depends_on of the deployment "
                               "that does")
    targets = [d for d in ctx.dependencies(component) if d.kind in EXPORT_KINDS]
    if len(targets) > 1:
        tf.warnings.append(f"{component.name}: its topics export to {targets[0].name} only (the first BigQuery or "
                           f"Cloud Storage component it depends on); nothing is generated for "
                           f"{', '.join(t.name for t in targets[1:])}")
    dead_letter = f"{ident(component.name)}_dead_letter"
    # A topic the plan itself names dead-letter is the dead-letter topic: it is not declared twice.
    own_dead_letter = dead_letter_topic(component)
    # Where the topics may keep messages: the plan's regions when it states a data residency. The
    # dead-letter topic holds the same messages, so it is kept there too.
    storage = nested({"allowed_persistence_regions": [tf.region(r) for r in tf.ctx.regions]}) \
        if ctx.project.data_residency else None
    receivers = ", ".join(r.name for r in eventarc_receivers(tf, component))
    if spec.dead_letter and not dead_letters(ctx, component):
        tf.warnings.append(f"{component.name}: dead_letter is set, but its only subscriptions are the ones Eventarc "
                           f"makes for {receivers}, which take no dead-letter policy (Eventarc manages them), so no "
                           "dead-letter topic is generated: a failed event is retried as its trigger's retry "
                           "policy says, then dropped")
    elif spec.dead_letter and receivers:
        tf.warnings.append(f"{component.name}: the subscriptions Eventarc makes for {receivers} take no dead-letter "
                           f"policy (Eventarc manages them): only the other subscriptions of its topics send "
                           "undeliverable messages to the dead-letter topic")
    if dead_letters(ctx, component) and own_dead_letter is None:
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
        if topic == spec.topics[0] and receivers:
            tf.add("pubsub.tf", f"{topic}: Eventarc creates the subscription of {receivers}, one of the plan's "
                                "subscriptions_per_topic.")
        dead_letter_to = dead_letter if dead_letters(ctx, component) and topic != own_dead_letter else None
        for index in range(1, standard_subscriptions_of(tf, component, topic) + 1):
            sub = subscription_body(topic, ref, f"sub-{index}", retention, dead_letter_to)
            if push_to is not None:
                sub["push_config"] = nested({"push_endpoint": push_url, "oidc_token": nested(
                    {"service_account_email": push_email, "audience": push_url})})
            tf.add("pubsub.tf", resource("google_pubsub_subscription", subscription_ref(component, topic, index), sub))
        if exports(tf, component, topic):
            export_subscription(tf, component, topic, retention, dead_letter_to)
        elif topic == spec.topics[0] and tf.ctx.export_target(component) is not None:
            tf.warnings.append(f"{component.name}: {topic} has no export subscription to "
                               f"{tf.ctx.export_target(component).name}: Eventarc makes all of its "
                               "subscriptions_per_topic; raise it by one to export the topic too")
        tf.output(f"{ref}_topic", Expr(f"google_pubsub_topic.{ref}.id"), f"Pub/Sub topic {topic}.")
    if dead_letters(ctx, component):
        # The Pub/Sub service agent forwards to the dead-letter topic and acknowledges on the subscription.
        tf.flags.add("project_data")
        agent = Tpl(SERVICE_AGENT)
        tf.add("pubsub.tf", resource("google_pubsub_topic_iam_member", f"{dead_letter}_publisher", {
            "topic": Expr(f"google_pubsub_topic.{dead_letter}.id"),
            "role": "roles/pubsub.publisher",
            "member": agent,
        }))
        for topic in spec.topics:
            if topic == own_dead_letter:
                continue
            for ref in subscription_refs(tf, component, topic):
                tf.add("pubsub.tf", resource("google_pubsub_subscription_iam_member", f"{ref}_dead_letter", {
                    "subscription": Expr(f"google_pubsub_subscription.{ref}.id"),
                    "role": "roles/pubsub.subscriber",
                    "member": agent,
                }))


def subscription_body(topic: str, ref: str, suffix: str, retention: str | None, dead_letter: str | None) -> dict:
    """What every subscription of a topic has: its name (<prefix>-<topic>-<suffix>), retention, no expiry,
    backoff, and the dead-letter topic where the plan asks for one."""
    body: dict = {
        "name": Tpl(f"${{var.prefix}}-{slug(topic)}-{suffix}"),
        "topic": Expr(f"google_pubsub_topic.{ref}.id"),
        "labels": Expr("local.labels"),
        "ack_deadline_seconds": 60,
        "message_retention_duration": retention or "604800s",
        "expiration_policy": nested({"ttl": ""}),
        "retry_policy": nested({"minimum_backoff": "10s", "maximum_backoff": "600s"}),
    }
    if dead_letter is not None:
        body["dead_letter_policy"] = nested({"dead_letter_topic": Expr(f"google_pubsub_topic.{dead_letter}.id"),
                                             "max_delivery_attempts": MAX_DELIVERY_ATTEMPTS})
    return body


def export_subscription(tf: Terraform, component: Component, topic: str, retention: str | None,
                        dead_letter: str | None) -> None:
    """The topic's export subscription to the component's export target, after the service agent's grants on
    what it writes to (Pub/Sub checks them when it creates the subscription)."""
    target = tf.ctx.export_target(component)
    ref = topic_ref(component, topic)
    tf.flags.add("project_data")
    body = subscription_body(topic, ref, "export", retention, dead_letter)
    if target.kind == "bigquery":
        table, grants = bigquery_export_table(tf, component, topic, target)
        body["bigquery_config"] = nested({
            "table": Tpl(f"${{{table}.project}}.${{{table}.dataset_id}}.${{{table}.table_id}}"),
            "write_metadata": True,  # the table's subscription_name, message_id, publish_time, attributes
        })
        about = (f"{topic}: Pub/Sub writes each message as a row of the table {ident(topic)} in {target.name}'s "
                 f"dataset (a BigQuery subscription: {component.name} depends on {target.name}).")
    else:
        grants = storage_export_grants(tf, target)
        body["ack_deadline_seconds"] = EXPORT_OBJECT_SECONDS
        body["cloud_storage_config"] = nested({
            "bucket": Expr(f"google_storage_bucket.{ident(target.name)}.name"),
            "filename_prefix": f"{slug(topic)}/",
            "filename_suffix": ".avro",
            "max_duration": f"{EXPORT_OBJECT_SECONDS}s",
            "avro_config": nested({"write_metadata": True}),  # each record keeps its message's ID, time, attributes
        })
        about = (f"{topic}: Pub/Sub writes the messages as Avro objects under {slug(topic)}/ in "
                 f"{target.name}'s bucket (a Cloud Storage subscription: {component.name} depends on "
                 f"{target.name}).")
    body["depends_on"] = [Expr(grant) for grant in grants]
    tf.add("pubsub.tf", about, resource("google_pubsub_subscription", export_ref(component, topic), body))


def bigquery_export_table(tf: Terraform, component: Component, topic: str,
                          target: Component) -> tuple[str, list[str]]:
    """The table a topic's BigQuery subscription writes, in the target's dataset, named after the topic and
    partitioned by day of publish_time, and the service agent's roles/bigquery.dataEditor on it. Returns the
    table's address and the grant's."""
    name = export_ref(component, topic)
    tf.add("pubsub.tf", resource("google_bigquery_table", name, {
        tf.cmek_skip("CKV_GCP_80"): None,
        "dataset_id": Expr(f"google_bigquery_dataset.{ident(target.name)}.dataset_id"),
        "table_id": ident(topic),
        "description": f"Messages of the Pub/Sub topic {topic}, one row each, written by its BigQuery "
                       "subscription.",
        "labels": Expr("local.labels"),
        "deletion_protection": True,
        "time_partitioning": nested({"type": "DAY", "field": "publish_time"}),
        "schema": Text("[\n" + ",\n".join(f"  {json.dumps(column)}" for column in EXPORT_TABLE_SCHEMA) + "\n]\n"),
    }))
    table = f"google_bigquery_table.{name}"
    grant = f"{name}_pubsub_writes"
    tf.add("pubsub.tf", resource("google_bigquery_table_iam_member", grant, {
        "dataset_id": Expr(f"{table}.dataset_id"),
        "table_id": Expr(f"{table}.table_id"),
        "role": "roles/bigquery.dataEditor",
        "member": Tpl(SERVICE_AGENT),
    }))
    return table, [f"google_bigquery_table_iam_member.{grant}"]


# A Cloud Storage subscription writes objects (storage.objects.create) and reads the bucket's metadata
# (storage.buckets.get), as the Pub/Sub service agent.
STORAGE_EXPORT_ROLES = {"creates_objects": "roles/storage.objectCreator",
                        "reads_bucket": "roles/storage.legacyBucketReader"}


def storage_export_grants(tf: Terraform, bucket: Component) -> list[str]:
    """The service agent's roles on a bucket Cloud Storage subscriptions write to, granted once per bucket;
    returns their addresses."""
    name = ident(bucket.name)
    addresses = [f"google_storage_bucket_iam_member.{name}_pubsub_{what}" for what in STORAGE_EXPORT_ROLES]
    if f"pubsub_export:{bucket.name}" not in tf.flags:
        tf.flags.add(f"pubsub_export:{bucket.name}")
        for what, role in STORAGE_EXPORT_ROLES.items():
            tf.add("pubsub.tf", resource("google_storage_bucket_iam_member", f"{name}_pubsub_{what}", {
                "bucket": Expr(f"google_storage_bucket.{name}.name"),
                "role": role,
                "member": Tpl(SERVICE_AGENT),
            }))
    return addresses


def push_target(tf: Terraform, component: Component) -> Component | None:
    return tf.ctx.push_target(component)


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    """The edge's access: write publishes to the topics, read pulls from their subscriptions (a push
    subscription needs no role on the receiver, and an export subscription is read by Pub/Sub itself, so
    neither is granted), read-write both."""
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
            for index in range(1, standard_subscriptions_of(tf, component, topic) + 1):
                ref = subscription_ref(component, topic, index)
                tf.add("iam.tf", resource("google_pubsub_subscription_iam_member",
                                          f"{ident(workload.key)}_pulls_{ref}", {
                                              "subscription": Expr(f"google_pubsub_subscription.{ref}.id"),
                                              "role": "roles/pubsub.subscriber",
                                              "member": tf.member(workload.key),
                                          }))
