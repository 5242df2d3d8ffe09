"""The output's README: every value the user supplies (sensitive variables, variables without a default)
with its command, the `cost` total, the apply order with real paths, and a rollback per workload."""
import re

import pytest

from archplan.analysis.cost import cost_report
from archplan.plan import resolve
from archplan.render.numbers import money
from archplan.spec.load import load_spec
from tests.conftest import EXAMPLES
from tests.generate.conftest import EXAMPLE_NAMES


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_readme_says_what_to_supply_run_and_pay(generated, example):
    readme = (generated / example / "README.md").read_text()
    variables = (generated / example / "terraform" / "variables.tf").read_text()
    for block in re.findall(r'variable "(\w+)" \{(.*?)\n\}', variables, re.S):
        name, body = block
        if "sensitive" in body:
            assert f"export TF_VAR_{name}=" in readme, f"{example}: {name} is not in the README"
        elif "default" not in body:
            assert f"`{name}`" in readme, f"{example}: {name} has no default and the README does not say so"
    report = cost_report(resolve(load_spec(EXAMPLES / f"{example}.yaml")))
    assert money(report.total_usd, report.currency, report.usd_inr) + " a month" in readme
    for folder in re.findall(r"kubectl apply -f (\S+)/", readme):
        assert (generated / example / folder).is_dir()
    for config in re.findall(r"--config=(\S+)", readme):
        assert (generated / example / config).is_file(), f"{example}: {config}"
    assert "terraform init -backend-config=bucket=" in readme and "## Rolling back a release" in readme
