"""Strings an API checks, refused at load with what it accepts: a managed certificate's hostnames, a Cloud
Scheduler schedule, a container image. They validated and went into the Terraform, whose first apply failed."""
import subprocess
import sys

import pytest

from archplan.spec.formats import cron, hostname, image

HEAD = "project: {name: v, region: us-central1}\ntraffic: {requests_per_month: 1000}\ncomponents:\n"


@pytest.mark.parametrize("value", ["api.example.com", "a-b.example.co.uk", "xn--bcher-kva.example", "x1.io"])
def test_hostnames_a_managed_certificate_covers(value):
    assert hostname(value) == value


@pytest.mark.parametrize("value, said", [
    ("*.example.com", "does not cover wildcard domains"),
    ("Shop.Example.com", "lowercase ('shop.example.com')"),
    ("example.com.", "without the trailing dot ('example.com')"),
    ("ex${a}.com", "not a hostname"),
    ("localhost", "not a hostname"),
    ("-a.example.com", "not a hostname"),
    ("a" * 64 + ".com", "not a hostname"),
    ("10.0.0.1", "not a hostname"),
])
def test_hostnames_it_does_not(value, said):
    with pytest.raises(ValueError, match=None) as caught:
        hostname(value)
    assert said in str(caught.value)


@pytest.mark.parametrize("value", ["0 2 * * *", "*/5 * * * *", "0 9 * * mon-fri", "30 6 1,15 jan-jun 0",
                                   "0 0 * * 7", "15 */2 1-10/3 * *"])
def test_schedules_cloud_scheduler_takes(value):
    assert cron(value) == value


@pytest.mark.parametrize("value, said", [
    ("*/5 * * * * x", "five fields"),
    ("0 25 * * *", "the hour field '25' is outside 0-23"),
    ("0 0 0 * *", "the day of month field '0' is outside 1-31"),
    ("0 0 * foo *", "the month field 'foo' is outside 1-12"),
    ("0 0 * * $(id)", "the day of week field '$(id)' is not *, a value, a range or a list"),
])
def test_schedules_it_refuses(value, said):
    with pytest.raises(ValueError) as caught:
        cron(value)
    assert said in str(caught.value)


@pytest.mark.parametrize("value", ["nginx", "nginx:1.27", "us-docker.pkg.dev/cloudrun/container/hello",
                                   "europe-docker.pkg.dev/p-1/repo/api:v1.4.0", "localhost:5000/a/b_c:latest",
                                   "gcr.io/p/app@sha256:" + "a" * 64])
def test_image_references(value):
    assert image(value) == value


@pytest.mark.parametrize("value", ["nginx:1.27 $(id)", "Nginx", "a/${b}", "repo/app:", "app:" + "x" * 129])
def test_image_references_refused(value):
    with pytest.raises(ValueError):
        image(value)


def test_each_is_one_line_naming_the_key(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(HEAD + '  lb: {kind: load_balancer, domains: ["*.example.com"], depends_on: [api]}\n'
                           '  api: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 100, '
                           'image: "nginx:1.27 $(id)"}\n'
                           '  cron: {kind: cloud_scheduler, jobs: [{name: b, schedule: "0 25 * * *"}]}\n')
    result = subprocess.run([sys.executable, "-m", "archplan", "validate", "--all-errors", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: {path}:4: components.lb.domains[0]: a Google-managed certificate does not cover wildcard domains; "
        "list each hostname (got '*.example.com')",
        f"error: {path}:5: components.api.image: not a container image reference: [registry/]path[:tag]"
        "[@sha256:digest], the path in lowercase, e.g. europe-docker.pkg.dev/project/repo/api:1.4 "
        "(got 'nginx:1.27 $(id)')",
        f"error: {path}:6: components.cron.jobs: the hour field '25' is outside 0-23 (got '0 25 * * *')"]
