"""dead_letter on a Pub/Sub component: its subscriptions send what they cannot deliver to a dead-letter topic.
Eventarc makes and manages the subscriptions of what it delivers to (a Pub/Sub-triggered function, an Eventarc
trigger's destination) and its trigger takes no dead-letter policy (the transport's subscription is output only;
hashicorp/terraform-provider-google#17697). A topic only Eventarc reads got a dead-letter topic nothing sent
to; now it gets none, and a warning says so."""
from tests.generate.conftest import generate, load_hcl

PLAN = """project: {{name: shop, region: us-central1}}
traffic: {{daily_active_users: 100, requests_per_user_per_day: 10}}
components:
  events: {{kind: pubsub, topics: [orders], messages_per_request: 1, avg_message_kib: 1, dead_letter: true,
    subscriptions_per_topic: {subscriptions}}}
  on-order: {{kind: cloud_functions, cpu: 1, memory: 256Mi, duration_ms: 50, trigger: pubsub,
    trigger_component: events, entry_point: handle}}
"""


def generated(tmp_path, subscriptions: int) -> tuple[dict, str, str]:
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.format(subscriptions=subscriptions))
    code, out, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    pubsub = load_hcl(tmp_path / "out" / "terraform" / "pubsub.tf")
    found = {f"{kind}.{name}": body for item in pubsub.get("resource", [])
             for kind, named in item.items() for name, body in named.items()}
    return found, out, (tmp_path / "out" / "README.md").read_text()


def test_a_topic_only_eventarc_reads_gets_no_dead_letter_topic_and_a_warning(tmp_path):
    found, out, readme = generated(tmp_path, 1)
    assert sorted(found) == ["google_pubsub_topic.events_orders"]
    warning = ("events: dead_letter is set, but its only subscriptions are the ones Eventarc makes for on-order, "
               "which take no dead-letter policy")
    assert f"warning: {warning}" in out and warning in readme
    assert "dead-letter`" not in readme  # the What is created table lists only the topics made


def test_a_subscription_terraform_writes_still_dead_letters(tmp_path):
    found, out, readme = generated(tmp_path, 2)
    (policy,) = found["google_pubsub_subscription.events_orders_sub_1"]["dead_letter_policy"]
    assert policy["dead_letter_topic"] == "google_pubsub_topic.events_dead_letter.id"
    assert "google_pubsub_topic_iam_member.events_dead_letter_publisher" in found
    assert "`shop-events-dead-letter`" in readme
    assert ("warning: events: the subscriptions Eventarc makes for on-order take no dead-letter policy "
            "(Eventarc manages them)") in out
