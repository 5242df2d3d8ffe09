"""A field naming another component names one of the kinds it can: an Eventarc trigger's destination a Cloud
Run service, a queue's target a service or function, a policy's load balancer a load balancer... A wrong kind
is refused when the plan loads, by every command, with one line naming the field (a trial found cost, check,
doc and scale accepting an Eventarc trigger aimed at a Cloud Run job that validate and generate refused)."""
import subprocess
import sys

import pytest

from archplan.components import kind_module, kinds

RUN = "{kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 10, requests_per_month: 10}"
JOB = "{kind: cloud_run_job, cpu: 1, memory: 512Mi, task_duration_seconds: 60, executions_per_month: 10}"
BUCKET = "{kind: cloud_storage, location_type: region, storage_gb: 1}"

CASES = [
    ("trig: {kind: eventarc, triggers: [{name: t, event_type: google.cloud.storage.object.v1.finalized, "
     "bucket: files, destination: job, events_per_month: 10}]}",
     "components.trig.triggers[0].destination: destination must name a cloud_run component; job is a cloud_run_job"),
    ("trig: {kind: eventarc, triggers: [{name: t, event_type: google.cloud.storage.object.v1.finalized, "
     "bucket: api, destination: api, events_per_month: 10}]}",
     "components.trig.triggers[0].bucket: bucket must name a cloud_storage component; api is a cloud_run"),
    ("tasks: {kind: cloud_tasks, tasks_per_month: 10, queues: [{name: q, target: files}]}",
     "components.tasks.queues[0].target: target must name a cloud_run or cloud_functions component; files is a "
     "cloud_storage"),
    ("armor: {kind: cloud_armor, load_balancer: api}",
     "components.armor.load_balancer: load_balancer must name a load_balancer component; api is a cloud_run"),
]


@pytest.mark.parametrize("component, message", CASES)
@pytest.mark.parametrize("command", ["validate", "cost", "check", "scale"])
def test_a_reference_to_the_wrong_kind_is_refused_by_every_command(tmp_path, component, message, command):
    path = tmp_path / "plan.yaml"
    path.write_text("project: {name: k, region: us-central1}\n"
                    "traffic: {daily_active_users: 10, requests_per_user_per_day: 1}\n"
                    f"components:\n  api: {RUN}\n  job: {JOB}\n  files: {BUCKET}\n  {component}\n")
    result = subprocess.run([sys.executable, "-m", "archplan", command, str(path)], capture_output=True, text=True)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [f"error: {path}:7: {message}"]


def test_every_reference_kind_is_a_kind_and_names_a_referencing_field():
    for kind in kinds():
        spec = kind_module(kind).Spec
        for field, allowed in spec.reference_kinds.items():
            assert set(allowed) <= set(kinds()), (kind, field)
            nested = {name for model in _models(spec) for name in model.model_fields}
            assert field in nested, (kind, field)


def _models(spec):
    """The spec's model and every model nested in its fields (a trigger, a queue...)."""
    from archplan.spec.load import _model_in

    found, todo = [], [spec]
    while todo:
        model = todo.pop()
        found.append(model)
        todo += [m for f in model.model_fields.values() if (m := _model_in(f.annotation)) and m not in found]
    return found
