"""A Cloud Armor policy that lists its load balancer in depends_on became the caller of it: a request-path
entry point ahead of the load balancer (found by a trial plan). The load balancer may list the policy (it is
then evaluated on every request), and the policy may list the backends it forwards to."""
import subprocess
import sys

BASE = """\
project: {name: demo, region: us-central1}
traffic: {requests_per_month: 1000000, avg_request_kib: 1, avg_response_kib: 4}
components:
  api: {kind: cloud_run, cpu: 1, memory: 512Mi, max_instances: 3, request_duration_ms: 50}
"""


def validate(tmp_path, extra):
    path = tmp_path / "plan.yaml"
    path.write_text(BASE + extra)
    result = subprocess.run([sys.executable, "-m", "archplan", "validate", str(path)], capture_output=True,
                            text=True)
    return path, result


def test_a_policy_that_depends_on_its_load_balancer_is_told_to_attach_to_it(tmp_path):
    path, result = validate(tmp_path, "  lb: {kind: load_balancer, depends_on: [api]}\n"
                                      "  armor: {kind: cloud_armor, depends_on: [lb]}\n")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: {path}:6: components.armor.depends_on[0]: armor (cloud_armor) is a policy on lb, not a caller of "
        "it: write `load_balancer: lb` instead: that puts it on the request paths lb serves"]


def test_a_policy_on_the_path_or_attached_by_its_field_is_valid(tmp_path):
    for extra in ("  lb: {kind: load_balancer, depends_on: [armor, api]}\n"
                  "  armor: {kind: cloud_armor, load_balancer: lb}\n",
                  "  lb: {kind: load_balancer, depends_on: [armor]}\n"
                  "  armor: {kind: cloud_armor, depends_on: [api]}\n"):
        _, result = validate(tmp_path, extra)
        assert result.returncode == 0, (extra, result.stderr)
