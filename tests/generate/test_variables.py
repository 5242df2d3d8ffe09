"""Names follow `--prefix` and `--project-id` in every generated file, and two environments of one plan
generated into one project share no resource name."""
import re

import pytest

from tests.conftest import EXAMPLES
from tests.generate.conftest import PLAN_FILES, PLAN_NAMES, generate
from tests.generate.test_api_rules import NAME_RULES, defaults, resolve
from tests.generate.test_apply_order import configuration


def default_names(example: str):
    import yaml

    project = yaml.safe_load((PLAN_FILES[example]).read_text())["project"]
    return project["name"], project.get("gcp_project_id") or project["name"]


def code_lines(path):
    """A file's lines without comments (the header and the plan descriptions name the plan itself)."""
    for line in path.read_text().splitlines():
        if line.lstrip().startswith(("#", "//")):
            continue
        yield line


@pytest.mark.parametrize("example", PLAN_NAMES)
def test_prefix_and_project_reach_every_file(tmp_path, example):
    code, _, err = generate(PLAN_FILES[example], tmp_path / "out", "--prefix", "qa-blue",
                            "--project-id", "acme-shared-42")
    assert code == 0, err
    prefix, project = default_names(example)
    stale = re.compile(rf"(?<![a-z0-9.-]){re.escape(prefix)}-|projects/{re.escape(project)}/|"
                       rf"@{re.escape(project)}\.|/{re.escape(project)}/|{re.escape(project)}:[a-z]+-[a-z]+[0-9]:|"
                       rf"{re.escape(project)}\.svc\.id\.goog|default\s*=\s*\"{re.escape(project)}\"")
    for path in (tmp_path / "out").rglob("*"):
        if not path.is_file() or path.name.startswith(".archplan"):
            continue
        for number, line in enumerate(code_lines(path), 1):
            if "://" in line and ".com" in line:
                continue  # a domain the plan names (api.example.com) is not a resource name
            assert not stale.search(line), f"{example}: {path.relative_to(tmp_path)}: {line.strip()}"


def resource_names(folder):
    blocks, _, _ = configuration(folder / "terraform")
    values = defaults(folder / "terraform")
    names = set()
    for address, body in blocks.items():
        type_name = address.split(".")[0]
        if type_name in NAME_RULES:
            names.add((type_name, resolve(body[NAME_RULES[type_name][0]], values)))
    for path in (folder / "kubernetes").rglob("*.yaml") if (folder / "kubernetes").exists() else []:
        names.update(("k8s namespace", n) for n in re.findall(r"^\s+namespace: (\S+)", path.read_text(), re.M))
    return names


@pytest.mark.parametrize("example", PLAN_NAMES)
def test_two_environments_in_one_project_collide_nowhere(tmp_path, example):
    for env in ("blue", "green"):
        code, _, err = generate(PLAN_FILES[example], tmp_path / env, "--prefix", f"{example[:10]}-{env}",
                                "--project-id", "acme-shared-42")
        assert code == 0, err
    blue, green = resource_names(tmp_path / "blue"), resource_names(tmp_path / "green")
    assert blue and not (blue & green), sorted(blue & green)


def test_a_bad_prefix_is_a_usage_error(tmp_path):
    code, _, err = generate(EXAMPLES / "starter.yaml", tmp_path / "out", "--prefix", "Bad_Prefix")
    assert code == 2 and "--prefix" in err
