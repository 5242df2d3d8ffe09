"""An Eventarc trigger is created only after what Eventarc checks when it creates one: a Cloud Storage
trigger after the bucket's service agent may publish to Pub/Sub (on a fresh project the create failed with
"the GCS service account requires the Pub/Sub Publisher role"), and every trigger after its account may receive
events. Eventarc's own service agent has its role from the first Eventarc resource on
(https://cloud.google.com/eventarc/docs/all-roles-permissions): nothing to grant."""
from tests.generate.conftest import generate_text, load_hcl

PLAN = """project: {name: media, region: us-east1}
traffic: {daily_active_users: 100, requests_per_user_per_day: 10}
components:
  uploads: {kind: cloud_storage, location_type: region, storage_gb: 10}
  events: {kind: pubsub, topics: [orders], messages_per_request: 1, avg_message_kib: 1}
  on-upload:
    kind: eventarc
    triggers:
      - {name: thumbnail, event_type: google.cloud.storage.object.v1.finalized, bucket: uploads,
         destination: thumbs, events_per_month: 1000}
      - {name: audit, event_type: google.cloud.pubsub.topic.v1.messagePublished, topic: events,
         destination: audit, events_per_month: 1000}
  thumbs: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 100, requests_per_month: 1000,
    ingress: internal}
  audit: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 100, requests_per_month: 1000,
    ingress: internal}
"""


def resources(path) -> dict:
    return {f"{kind}.{name}": body for item in load_hcl(path).get("resource", [])
            for kind, named in item.items() for name, body in named.items()}


def test_each_trigger_waits_for_the_grants_eventarc_checks(tmp_path):
    out = generate_text(tmp_path, PLAN)
    found = {**resources(out / "terraform" / "eventarc.tf"), **resources(out / "terraform" / "iam.tf")}
    receiver = "google_project_iam_member.on_upload_events_eventarc_eventreceiver"
    publisher = "google_project_iam_member.gcs_service_agent_publishes"
    assert found[publisher]["role"] == "roles/pubsub.publisher"
    assert found[receiver]["role"] == "roles/eventarc.eventReceiver"
    storage = found["google_eventarc_trigger.on_upload_thumbnail"]["depends_on"]
    assert publisher in storage and receiver in storage
    topic = found["google_eventarc_trigger.on_upload_audit"]["depends_on"]
    assert receiver in topic and publisher not in topic
