"""Triggers that deliver to one Cloud Run service share its invoker grant: an eventarc component with two
triggers to one service declared the grant twice (generate refused the plan: one Terraform address twice).
Two eventarc components with storage triggers share the one grant to the project's Cloud Storage service
agent (a grant each was one IAM member twice, which removing either component would revoke)."""
from tests.generate.conftest import generate_text
from tests.generate.test_eventarc_prerequisites import resources

PLAN = """project: {name: media, region: us-east1}
traffic: {daily_active_users: 100, requests_per_user_per_day: 10}
components:
  uploads: {kind: cloud_storage, location_type: region, storage_gb: 10}
  on-upload:
    kind: eventarc
    triggers:
      - {name: created, event_type: google.cloud.storage.object.v1.finalized, bucket: uploads,
         destination: thumbs, events_per_month: 1000}
      - {name: deleted, event_type: google.cloud.storage.object.v1.deleted, bucket: uploads,
         destination: thumbs, events_per_month: 1000}
  on-archive:
    kind: eventarc
    triggers:
      - {name: archived, event_type: google.cloud.storage.object.v1.archived, bucket: uploads,
         destination: thumbs, events_per_month: 1000}
  thumbs: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 100, requests_per_month: 1000,
    ingress: internal}
"""


def test_triggers_to_one_service_share_its_invoker_grant(tmp_path):
    iam = resources(generate_text(tmp_path, PLAN) / "terraform" / "iam.tf")
    invokers = {address: body["member"] for address, body in iam.items()
                if address.startswith("google_cloud_run_v2_service_iam_member.")}
    assert invokers == {
        "google_cloud_run_v2_service_iam_member.on_upload_events_invokes_thumbs":
            "serviceAccount:${google_service_account.on_upload_events.email}",
        "google_cloud_run_v2_service_iam_member.on_archive_events_invokes_thumbs":
            "serviceAccount:${google_service_account.on_archive_events.email}",
    }


def test_the_storage_service_agent_is_granted_once(tmp_path):
    eventarc = resources(generate_text(tmp_path, PLAN) / "terraform" / "eventarc.tf")
    grants = [address for address in eventarc if address.startswith("google_project_iam_member.")]
    assert grants == ["google_project_iam_member.gcs_service_agent_publishes"]
    for trigger in ("on_upload_created", "on_upload_deleted", "on_archive_archived"):
        assert grants[0] in eventarc[f"google_eventarc_trigger.{trigger}"]["depends_on"]
