"""Every example generated once per test session into one parent folder (as checkov scans it)."""
from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from archplan.cli import main
from tests.conftest import EXAMPLES

EXAMPLE_NAMES = ("anwesha", "cotton-erp", "drivopay", "ecommerce-chatbot", "event-platform", "starter")
GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "generate"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# The examples, plus plans that exercise what none of them has (several regions, VMs, Pub/Sub export
# subscriptions), checked by the same tests.
PLAN_FILES = {**{name: EXAMPLES / f"{name}.yaml" for name in EXAMPLE_NAMES},
              "multiregion": FIXTURES / "multiregion" / "events.yaml",
              "vms": FIXTURES / "vms" / "shop.yaml",
              "pubsub-export": FIXTURES / "pubsub-export" / "telemetry.yaml"}
PLAN_NAMES = tuple(PLAN_FILES)


def generate(plan: Path | str, output: Path, *extra: str) -> tuple[int, str, str]:
    """Run `archplan generate` in-process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["generate", str(plan), "-o", str(output), *extra])
    return code, out.getvalue(), err.getvalue()


def generate_text(tmp_path: Path, text: str) -> Path:
    """Write a plan into tmp_path and generate it (which must succeed): the output folder."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(text)
    code, _, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    return tmp_path / "out"


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Path:
    """The parent folder: <plan>/ for each example and fixture plan, all targets."""
    root = tmp_path_factory.mktemp("generated")
    for name, plan in PLAN_FILES.items():
        code, _, err = generate(plan, root / name)
        assert code == 0, err
    return root


def unquote(node):
    """python-hcl2 keeps the quotes of strings and labels: drop them to compare values."""
    if isinstance(node, dict):
        return {unquote(k): unquote(v) for k, v in node.items() if k != "__is_block__"}
    if isinstance(node, list):
        return [unquote(v) for v in node]
    if isinstance(node, str) and len(node) >= 2 and node[0] == node[-1] == '"':
        return node[1:-1]
    if isinstance(node, str) and node.startswith("${") and node.endswith("}"):
        return node[2:-1]
    return node


def load_hcl(path):
    import hcl2

    with open(path) as handle:
        return unquote(hcl2.load(handle))
