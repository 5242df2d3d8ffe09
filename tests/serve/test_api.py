"""The serve API: every endpoint, its figures equal to the CLI's, and bad input as one line with HTTP 400."""
import json
import os
import time
from decimal import Decimal

import pytest

from archplan import catalog
from archplan.cli import main


def cli_json(capsys, *argv):
    assert main(list(argv)) in (0, 1)
    return json.loads(capsys.readouterr().out)


def files_in(folder):
    return sorted(p.name for p in folder.iterdir())


def test_plan_equals_cost_and_check_json(client, capsys):
    app, path = client("cotton-erp")
    data = app.get("/api/plan").json()
    assert data["error"] is None
    cost = cli_json(capsys, "cost", str(path), "--format", "json")
    check = cli_json(capsys, "check", str(path), "--format", "json")
    assert data["result"]["cost"]["total"] == cost["total"]
    assert data["result"]["cost"]["components"] == cost["components"]
    assert data["result"]["check"]["counts"] == check["counts"]
    svg = app.get(f"/api/diagram/{data['result']['diagram']['id']}")
    assert svg.status_code == 200 and svg.text.startswith("<svg")
    assert app.get("/api/diagram/000unknown").status_code == 404
    assert set(data["result"]["components"]) == {c["name"] for c in cost["components"]}


def test_evaluate_matches_cli_on_the_edited_file(client, capsys, tmp_path):
    """Raise max_instances and users through the API; write the same change by hand and price it with the CLI."""
    app, path = client("starter")
    changes = [{"path": ["traffic", "daily_active_users"], "value": 50000},
               {"path": ["components", "api", "min_instances"], "value": 3}]
    data = app.post("/api/evaluate", json={"changes": changes}).json()
    edited = path.read_text().replace("daily_active_users: 2000", "daily_active_users: 50000") \
        .replace("min_instances: 1", "min_instances: 3")
    by_hand = tmp_path / "by-hand.yaml"
    by_hand.write_text(edited)
    cost = cli_json(capsys, "cost", str(by_hand), "--format", "json")
    assert data["result"]["cost"]["total"] == cost["total"]
    saved = cli_json(capsys, "cost", str(path), "--format", "json")
    diff = data["diff"]
    assert diff["schema"] == "archplan.diff/v1"  # the view is `archplan diff`'s own
    assert diff["cost"]["total"]["before_usd"] == pytest.approx(saved["total"]["usd"], abs=0.006)
    assert diff["cost"]["total"]["delta_usd"] == pytest.approx(cost["total"]["usd"] - saved["total"]["usd"], abs=0.011)
    changed = {row["component"] for row in diff["cost"]["components"]}
    assert "api" in changed
    settings = {(c["component"], s["setting"]): (s["before"], s["after"])
                for c in diff["components"]["changed"] for s in c["settings"]}
    assert settings[("api", "min_instances")] == (1, 3)


def test_environment_changes_go_to_the_environment(client, capsys, tmp_path):
    app, path = client("cotton-erp")
    environments = app.get("/api/plan").json()["environments"]
    assert "budget-10k" in environments
    base = app.get("/api/plan").json()["result"]["cost"]["total"]
    env = app.get("/api/plan", params={"environment": "budget-10k"}).json()["result"]["cost"]["total"]
    cost = cli_json(capsys, "cost", str(path), "--env", "budget-10k", "--format", "json")
    assert env == cost["total"] and env != base


def test_compare_two_environments(client, capsys):
    app, path = client("cotton-erp")
    data = app.get("/api/compare", params={"a": "", "b": "env:budget-10k"}).json()
    a = cli_json(capsys, "cost", str(path), "--format", "json")
    b = cli_json(capsys, "cost", str(path), "--env", "budget-10k", "--format", "json")
    assert data["diff"]["cost"]["total"]["delta_usd"] == pytest.approx(b["total"]["usd"] - a["total"]["usd"], abs=0.011)


def test_curve_is_archplan_scale_with_its_limits_marked(client, capsys):
    app, path = client("event-platform")
    data = app.get("/api/curve").json()
    scaled = cli_json(capsys, "scale", str(path), "--format", "json")
    assert [p["load"] for p in data["scale"]["points"]] == [p["load"] for p in scaled["points"]]
    assert [p["total_usd"] for p in data["scale"]["points"]] == pytest.approx([p["total_usd"] for p in scaled["points"]])
    assert data["scale"]["first_limits"] == scaled["first_limits"]
    for limit in scaled["first_limits"]:
        if not limit["already_at_start"]:
            assert f"{limit['component']}: {limit['limit']}" in data["svg"]
    assert data["svg"].startswith("<svg")


def test_curve_points_given(client, capsys, tmp_path):
    app, path = client("starter")
    data = app.get("/api/curve", params={"points": "1000,20000"}).json()
    assert [p["load"] for p in data["scale"]["points"]] == [1000, 20000]
    assert app.get("/api/curve", params={"points": "lots"}).status_code == 400


@pytest.mark.parametrize("body, message", [
    ({"changes": [{"path": ["project", "name"], "value": "x"}]}, "cannot be changed here"),
    ({"changes": [{"path": ["components", "nope", "cpu"], "value": 1}]}, "no component 'nope'"),
    ({"changes": [{"path": ["traffic", "daily_active_users"], "value": -1}]}, "traffic.daily_active_users"),
    # the value as typed, not Python's repr of it ("got Decimal('1E+30')")
    ({"changes": [{"path": ["traffic", "daily_active_users"], "value": 1e30}]},
     "the most archplan accepts (got 1E+30)"),
    ({"changes": [{"path": ["components", "api", "max_instances"], "value": 0}]}, "components.api.max_instances"),
    ({"changes": [{"path": ["traffic"], "value": 1}]}, "2 to 4 keys"),
    ({"changes": [{"path": ["traffic", "x\u0000y"], "value": 1}]}, "printable"),
    ({"changes": "nope"}, "changes"),
    ({"environment": "nowhere"}, "no environment 'nowhere'"),
    ({"unknown": 1}, "unknown"),
])
def test_bad_input_is_one_line_400_and_writes_nothing(client, body, message):
    app, path = client("starter")
    before = files_in(path.parent), path.read_bytes()
    response = app.post("/api/evaluate", json=body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert message in error and "\n" not in error and "Traceback" not in error
    assert (files_in(path.parent), path.read_bytes()) == before


def test_a_default_environment_takes_the_changes(plan_copy, capsys):
    """A plan whose default_environment overrides a setting: the page showed that environment's figures as
    '(base plan)' and wrote each change into the base components, where the override undid it (a what-if
    of min_instances changed nothing; a save kept the override)."""
    from fastapi.testclient import TestClient

    from archplan.serve.app import create_app

    path = plan_copy("starter")
    path.write_text(path.read_text().replace(
        "  currency: INR\n", "  currency: INR\n  default_environment: prod\n"
        "  environments:\n    prod: {components: {api: {min_instances: 3}}}\n", 1))
    app = TestClient(create_app(path, None), base_url="http://127.0.0.1:8787")
    assert app.get("/api/plan").json()["environment"] == "prod"
    changes = [{"path": ["components", "api", "min_instances"], "value": 1}]
    data = app.post("/api/evaluate", json={"changes": changes}).json()
    assert data["environment"] == "prod"
    # two idle min instances fewer: 2 x 2,628,000 s x (1 vCPU + 0.5 GiB) at the idle rates (asia-south1)
    idle = {s: catalog.service("cloud_run").price(s, "asia-south1").usd
            for s in ("cpu_idle_min_instance", "memory_idle_min_instance")}
    saved = 2 * 2_628_000 * (idle["cpu_idle_min_instance"] + Decimal("0.5") * idle["memory_idle_min_instance"])
    assert Decimal(str(data["diff"]["cost"]["total"]["delta_usd"])) == pytest.approx(-saved, abs=Decimal("0.0001"))
    response = app.post("/api/save", json={"changes": changes, "name": "starter.prod.yaml"})
    assert response.status_code == 200, response.text
    written = (path.parent / "starter.prod.yaml").read_text()
    assert "prod: {components: {api: {min_instances: 1}}}" in written


def test_save_writes_a_new_file_keeping_comments_and_order(client, capsys):
    app, path = client("starter")
    original = path.read_text()
    changes = [{"path": ["components", "api", "max_instances"], "value": 25}]
    response = app.post("/api/save", json={"changes": changes, "name": "starter.what-if.yaml"})
    assert response.status_code == 200, response.text
    saved = path.parent / "starter.what-if.yaml"
    assert path.read_text() == original  # the plan itself is never touched
    text = saved.read_text()
    assert text.startswith("# A minimal archplan plan")  # comments kept
    assert text.replace("max_instances: 25", "max_instances: 10") == original  # only the changed value moved
    cli_json(capsys, "cost", str(saved), "--format", "json")
    again = app.post("/api/save", json={"changes": changes, "name": "starter.what-if.yaml"})
    assert again.status_code == 400 and "exists" in again.json()["error"]
    assert app.post("/api/save", json={"changes": changes, "name": "starter.what-if.yaml",
                                       "overwrite": True}).status_code == 200


def test_save_into_an_environment_writes_its_overrides(client):
    app, path = client("cotton-erp")
    changes = [{"path": ["traffic", "daily_active_users"], "value": 777}]
    assert app.post("/api/save", json={"environment": "budget-10k", "changes": changes,
                                       "name": "env.yaml"}).status_code == 200
    from archplan.spec.load import load_spec

    base = load_spec(path.parent / "env.yaml")
    env = load_spec(path.parent / "env.yaml", "budget-10k")
    assert env.traffic.daily_active_users == Decimal(777)
    assert base.traffic.daily_active_users != Decimal(777)


@pytest.mark.parametrize("name", ["../escape.yaml", "/tmp/abs.yaml", "sub/dir.yaml", ".hidden.yaml",
                                  "plan.txt", "", "starter.yaml"])
def test_save_refuses_names_outside_the_folder_or_the_plan_itself(client, name):
    app, path = client("starter")
    before = files_in(path.parent), path.read_bytes()
    response = app.post("/api/save", json={"changes": [{"path": ["components", "api", "max_instances"],
                                                          "value": 5}], "name": name, "overwrite": True})
    assert response.status_code == 400
    assert (files_in(path.parent), path.read_bytes()) == before
    assert not (path.parent.parent / "escape.yaml").exists()


def test_save_refuses_a_symlink_target(client, tmp_path):
    app, path = client("starter")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    (path.parent / "link.yaml").symlink_to(victim)
    response = app.post("/api/save", json={"changes": [{"path": ["components", "api", "max_instances"],
                                                          "value": 5}], "name": "link.yaml", "overwrite": True})
    assert response.status_code == 400
    assert victim.read_text() == "keep"


def test_an_invalid_edit_on_disk_replaces_the_figures_with_the_error(client):
    app, path = client("starter")
    first = app.get("/api/version").json()
    assert first["error"] is None
    path.write_text(path.read_text().replace("max_instances: 10", "max_instances: -4"))
    bumped = time.time() + 5
    os.utime(path, (bumped, bumped))
    version = app.get("/api/version").json()
    assert version["version"] != first["version"]
    assert "components.api.max_instances" in version["error"] and "\n" not in version["error"]
    plan = app.get("/api/plan").json()
    assert plan["result"] is None and plan["error"] == version["error"]


def test_openapi_documents_every_endpoint(client):
    app, _path = client("starter")
    paths = app.get("/openapi.json").json()["paths"]
    assert {"/api/plan", "/api/evaluate", "/api/compare", "/api/curve", "/api/save", "/api/version"} <= set(paths)
    assert app.get("/docs").status_code == 404  # Swagger UI would load scripts from a CDN


def test_page_and_static_files_are_served_offline(client):
    app, _path = client("starter")
    page = app.get("/").text
    assert "/static/app.js" in page and "http://" not in page and "https://" not in page
    script = app.get("/static/app.js").text
    assert "https://" not in script and "http://" not in script
    assert app.get("/static/../../cli.py").status_code == 404


def test_llm_usage_knobs_reach_tokens_per_chat_and_change_the_cost(client, capsys, tmp_path):
    app, path = client("ecommerce-chatbot")
    result = app.get("/api/plan").json()["result"]
    name, llm = next((n, c) for n, c in result["components"].items() if c["kind"] == "llm")
    keys = {k["key"]: k for k in llm["knobs"]}
    assert "chats_per_day" in keys and "per_chat.input" in keys
    doubled = keys["per_chat.input"]["value"] * 2
    data = app.post("/api/evaluate", json={"changes": [
        {"path": ["components", name, "per_chat", "input"], "value": doubled}]}).json()
    assert [row["component"] for row in data["diff"]["cost"]["components"]] == [name]
    assert data["diff"]["cost"]["total"]["delta_usd"] > 0


def test_phases_are_views_and_changes_go_to_the_phase(client, capsys):
    app, path = client("event-platform")
    plan = app.get("/api/plan").json()
    assert plan["phases"], "event-platform declares growth phases"
    phase = plan["phases"][-1]
    shown = app.get("/api/plan", params={"phase": phase}).json()
    assert shown["phase"] == phase
    from archplan.analysis.cost import cost_report
    from archplan.assess import load
    from archplan.plan import resolve

    expected = cost_report(resolve(load(str(path), None, phase)))
    assert shown["result"]["cost"]["total"]["usd"] == pytest.approx(float(expected.total_usd), abs=0.006)
    compared = app.get("/api/compare", params={"a": "", "b": f"phase:{phase}"}).json()
    assert compared["diff"]["after"] == f"phase {phase}"
    changes = [{"path": ["traffic", "requests_per_user_per_day"], "value": 77}]
    saved = app.post("/api/save", json={"phase": phase, "changes": changes, "name": "phase.yaml"})
    assert saved.status_code == 200, saved.text
    written = load(str(path.parent / "phase.yaml"), None, phase)
    assert written.traffic.requests_per_user_per_day == 77
    assert load(str(path.parent / "phase.yaml")).traffic.requests_per_user_per_day != 77
    assert app.get("/api/plan", params={"phase": "nope"}).status_code == 400
    assert app.get("/api/compare", params={"a": "bogus", "b": ""}).status_code == 400


def test_simulated_day_is_archplan_simulate_of_the_view_with_its_changes(client):
    from archplan.plan import resolve
    from archplan.simulate import build_options, simulate_plan
    from archplan.spec.load import load_spec

    app, path = client("starter")
    data = app.post("/api/simulate", json={}).json()
    expected = simulate_plan(resolve(load_spec(path)), build_options(str(path), days=1, seeds=3))
    assert [s["requests"] for s in data["summary"]["services"]] == [s["requests"] for s in expected["services"]]
    assert set(data["pictures"]) == {"load", "instances", "latency", "rejections"}
    assert all(svg.startswith("<svg") for svg in data["pictures"].values())
    busier = app.post("/api/simulate", json={"changes": [{"path": ["traffic", "daily_active_users"],
                                                           "value": 20000}]}).json()
    assert busier["summary"]["services"][0]["requests"] > data["summary"]["services"][0]["requests"]
    bad = app.post("/api/simulate", json={"spike": "lots"})
    assert bad.status_code == 400 and "spike" in bad.json()["error"]


def failing_dot(folder, monkeypatch, seconds=0.5):
    """A `dot` first on PATH that takes a while, then fails as Graphviz does; each run adds a line to a log."""
    log = folder / "dot-runs.log"
    fake = folder / "bin" / "dot"
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\necho run >> '{log}'\nsleep {seconds}\necho 'Error: trouble in init_rank' >&2\n"
                    "exit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    return log


def test_a_diagram_graphviz_cannot_draw_is_one_line_503_drawn_once(client, monkeypatch, tmp_path):
    """A plan too big for Graphviz to lay out in its 60 s: /api/diagram answered a plain 500 after the minute
    (a traceback in the server's log), and every page refresh and click ran dot for another minute."""
    import threading

    from fastapi.testclient import TestClient

    runs = failing_dot(tmp_path, monkeypatch)
    app, path = client("starter")
    path.write_text(path.read_text().replace("name: starter", f"name: undrawable-{os.getpid()}-{time.time_ns()}"))
    with TestClient(app.app, base_url=app.base_url) as served:  # one event loop for every request, as under uvicorn
        identity = served.get("/api/plan").json()["result"]["diagram"]["id"]
        answers = []
        askers = [threading.Thread(target=lambda: answers.append(served.get(f"/api/diagram/{identity}")))
                  for _ in range(5)]
        for asker in askers:
            asker.start()
        for asker in askers:
            asker.join(60)
        answers.append(served.get(f"/api/diagram/{identity}"))
    assert [answer.status_code for answer in answers] == [503] * 6
    assert len(runs.read_text().splitlines()) == 1  # one Graphviz run for all six
    error = answers[-1].json()["error"]
    assert error == ("the diagram could not be drawn (Graphviz dot failed: Error: trouble in init_rank); the list "
                     "shows every component")


def test_every_error_is_one_json_line(client, monkeypatch):
    """Malformed JSON read "1: JSON decode error" (its position, as if a key); unknown routes answered
    {"detail": ...} and a bug a text/plain 500, which the page cannot read (it showed a JSON parse error)."""
    from fastapi.testclient import TestClient

    from archplan.serve.session import PlanSession

    app, path = client("starter")
    bad = app.post("/api/evaluate", content=b'{"changes": [', headers={"Content-Type": "application/json"})
    assert bad.status_code == 400 and bad.json()["error"].startswith("the request body is not valid JSON")
    for response, status in [(app.get("/api/nope"), 404), (app.delete("/api/plan"), 405),
                             (app.get("/static/%2e%2e/app.py"), 404)]:
        assert response.status_code == status
        assert set(response.json()) == {"error"} and "\n" not in response.json()["error"]

    def broken(self, view):
        raise KeyError("a bug")

    monkeypatch.setattr(PlanSession, "baseline", broken)
    crashing = TestClient(app.app, raise_server_exceptions=False, base_url=app.base_url)
    response = crashing.get("/api/plan")
    assert response.status_code == 500 and response.headers["content-type"] == "application/json"
    assert response.json()["error"].startswith("archplan serve: internal error (KeyError")


def test_a_huge_name_is_not_echoed_and_curves_kept_are_bounded(client):
    """A 5 MB environment name came back whole in the error (the page's header showed megabytes of it);
    every distinct points= of /api/curve was kept for the life of the plan version."""
    from archplan.serve import curves

    app, _path = client("starter")
    response = app.post("/api/evaluate", json={"environment": "x" * 5_000_000})
    assert response.status_code == 400 and len(response.text) < 300
    response = app.get("/api/plan", params={"phase": "y" * 20_000})
    assert response.status_code == 400 and len(response.text) < 300
    for load in range(1, curves.MAX_CACHED + 6):
        assert app.get("/api/curve", params={"points": f"{load * 1000}"}).status_code == 200
    assert len(app.app.state.session.curves) == curves.MAX_CACHED


def test_a_plan_without_users_says_why_there_is_no_curve(client):
    """The page showed "...; give points=..." under the charts, something no one on the page can do."""
    app, _path = client("ecommerce-chatbot")
    response = app.get("/api/curve")
    assert response.status_code == 400
    assert response.json()["error"].startswith("no cost-per-user curve: the plan states no users to scale")


def test_a_plan_replaced_by_a_folder_is_its_error_not_an_internal_one(client):
    """The plan's path turned into a folder (or unreadable) while serving: every endpoint, the page's poll
    too, answered 500 'internal error (IsADirectoryError ...)' instead of the plan's own one-line error."""
    app, path = client("starter")
    good = path.read_text()
    path.unlink()
    path.mkdir()
    version = app.get("/api/version")
    assert version.status_code == 200 and version.json()["error"].endswith("cannot read the plan: Is a directory")
    assert app.get("/api/plan").json()["error"] == version.json()["error"]
    path.rmdir()
    path.write_text(good)
    assert app.get("/api/plan").json()["error"] is None


def test_a_foreign_host_or_origin_is_refused(client):
    """DNS rebinding: a page at http://evil.example:8787/ whose name came to resolve to 127.0.0.1 read
    /api/plan and POSTed /api/save (a .yaml beside the plan) under its own Host; any page could POST from its
    own Origin. Each is a 403 with one JSON line now, and nothing is written."""
    from archplan.serve.app import allowed_hosts

    app, path = client("starter")
    before = sorted(p.name for p in path.parent.iterdir())
    save = {"name": "evil.yaml", "changes": []}
    for headers in [{"Host": "evil.example:8787"}, {"Host": "127.0.0.1:9999"}, {"Host": "localhost"}]:
        for response in (app.get("/api/plan", headers=headers), app.post("/api/save", json=save, headers=headers)):
            assert response.status_code == 403, headers
            assert set(response.json()) == {"error"} and "is not the address" in response.json()["error"]
    for origin in ["http://evil.example:8787", "null", "http://127.0.0.1:8788", "https://127.0.0.1:8787"]:
        response = app.post("/api/save", json=save, headers={"Origin": origin})
        assert response.status_code == 403 and "is not this page's own" in response.json()["error"], origin
    assert sorted(p.name for p in path.parent.iterdir()) == before
    for host in ["localhost:8787", "127.0.0.1:8787", "[::1]:8787"]:
        headers = {"Host": host, "Origin": f"http://{host}"}
        assert app.get("/api/plan", headers={"Host": host}).status_code == 200
        assert app.post("/api/evaluate", json={}, headers=headers).status_code == 200, host
    assert app.post("/api/evaluate", json={}).status_code == 200  # no Origin: not a browser's cross-site form
    hosts, any_ip = allowed_hosts("0.0.0.0", 8000)
    assert "localhost:8000" in hosts and any_ip


def test_save_of_a_plan_with_a_byte_order_mark(client):
    """A plan starting with a BOM: /api/save answered 500. The served text kept the BOM while libyaml's marks
    do not count it, so every splice landed one character early (`max_instances: 10` became `max_instances:25`
    with the 0 left over). The BOM is off the served text now, and the saved file keeps it as the plan has it.
    A plan that is not UTF-8 is its one-line error, as `cost` says it (it was read with replacement marks)."""
    app, path = client("starter")
    original = path.read_text()
    path.write_bytes(b"\xef\xbb\xbf" + original.encode())
    changes = [{"path": ["components", "api", "max_instances"], "value": 25}]
    response = app.post("/api/save", json={"changes": changes, "name": "starter.what-if.yaml"})
    assert response.status_code == 200, response.text
    saved = (path.parent / "starter.what-if.yaml").read_bytes().decode()
    assert saved == "\ufeff" + original.replace("max_instances: 10", "max_instances: 25", 1)
    assert app.post("/api/evaluate", json={"changes": changes}).status_code == 200
    path.write_bytes(original.encode().replace(b"name: starter", b"name: st\xffarter", 1))
    error = app.get("/api/plan").json()["error"]
    assert "not UTF-8 text" in error and "\n" not in error


def test_a_value_shared_through_an_anchor_is_refused(client):
    """`max_instances: *mx`: the composed node of the alias is the anchor's, so a what-if saved on api's
    max_instances rewrote the anchored text on the other key (min_instances went from 1 to 25 too). A change
    that would reach a node an anchor shares (its alias, the anchor itself, a mapping shared whole) is one
    400 line now; a value of its own beside them is edited as before."""
    app, path = client("starter")
    original = path.read_text()
    path.write_text(original.replace("min_instances: 1", "min_instances: &mx 1", 1)
                    .replace("max_instances: 10", "max_instances: *mx", 1))
    for key in ["max_instances", "min_instances"]:
        changes = [{"path": ["components", "api", key], "value": 25}]
        for response in (app.post("/api/save", json={"changes": changes, "name": "what-if.yaml"}),
                         app.post("/api/evaluate", json={"changes": changes})):
            assert response.status_code == 400, (key, response.text)
            assert "shared with other keys through a YAML anchor" in response.json()["error"]
    assert not (path.parent / "what-if.yaml").exists()
    changes = [{"path": ["components", "api", "concurrency"], "value": 40}]
    assert app.post("/api/save", json={"changes": changes, "name": "what-if.yaml"}).status_code == 200
    assert "min_instances: &mx 1" in (path.parent / "what-if.yaml").read_text()
    path.write_text(original.replace("  api:\n", "  api: &api\n", 1).replace("  db:\n", "  api2: *api\n  db:\n", 1))
    changes = [{"path": ["components", "api", "cpu"], "value": 2}]
    response = app.post("/api/save", json={"changes": changes, "name": "what-if2.yaml"})
    assert response.status_code == 400 and "YAML anchor" in response.json()["error"], response.text
