import pytest

from tests.conftest import ROOT


@pytest.fixture(autouse=True)
def _from_repository_root(monkeypatch):
    """Plans are named as a user types them (examples/x.yaml), so documents read the same everywhere."""
    monkeypatch.chdir(ROOT)
