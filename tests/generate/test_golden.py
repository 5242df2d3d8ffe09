"""The examples' generated files, byte for byte. UPDATE_GOLDEN=1 rewrites tests/golden/generate/."""
import os
import shutil

import pytest

from tests.generate.conftest import EXAMPLE_NAMES, GOLDEN, files_under


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_example_output_matches_golden(generated, name):
    actual = files_under(generated / name)
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(golden, ignore_errors=True)
        shutil.copytree(generated / name, golden)
    expected = files_under(golden)
    assert sorted(actual) == sorted(expected), "files differ: run with UPDATE_GOLDEN=1 and review the diff"
    for path, content in expected.items():
        assert actual[path] == content, f"{name}/{path} differs from its golden file"
