import shutil
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SERVED = "http://127.0.0.1:8787"  # create_app's default address: the Host every request must name


@pytest.fixture
def plan_copy(tmp_path):
    """A copy of an example in a folder of its own, so saves and edits touch nothing in the repository."""
    def make(name: str = "starter") -> Path:
        target = tmp_path / f"{name}.yaml"
        shutil.copy(EXAMPLES / f"{name}.yaml", target)
        return target
    return make


@pytest.fixture
def client(plan_copy):
    from fastapi.testclient import TestClient

    from archplan.serve.app import create_app

    def make(name: str = "starter", environment: str | None = None):
        path = plan_copy(name)
        return TestClient(create_app(path, environment), base_url=SERVED), path
    return make
