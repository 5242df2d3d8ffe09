"""The compiled copies of catalog YAML files: the same data as parsing the file, never stale, and optional."""
from __future__ import annotations

import shutil
import sys

import pytest

from archplan import catalog
from archplan.catalog import compiled


@pytest.fixture
def writing(monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", False)


@pytest.mark.parametrize("path", sorted(catalog.DATA.glob("*.yaml")), ids=lambda p: p.name)
def test_every_catalog_file_reads_the_same_from_its_copy_as_parsed(path, tmp_path, writing):
    local = tmp_path / path.name
    shutil.copyfile(path, local)
    parsed = compiled.parse_yaml(local.read_bytes())
    assert compiled.load_yaml(local) == parsed  # parsed, and the copy written
    assert compiled.copy_path(local).exists()
    assert compiled.load_yaml(local) == parsed  # read back from the copy
    assert catalog._read(path) == parsed  # what the catalog itself reads


def test_an_edited_file_is_parsed_again_not_read_from_its_old_copy(tmp_path, writing):
    path = tmp_path / "svc.yaml"
    path.write_text("prices:\n  a: {usd: {global: 1}}\n")
    assert compiled.load_yaml(path)["prices"]["a"]["usd"]["global"] == 1
    path.write_text("prices:\n  a: {usd: {global: 2}}\n")
    assert compiled.load_yaml(path)["prices"]["a"]["usd"]["global"] == 2
    assert compiled.load_yaml(path)["prices"]["a"]["usd"]["global"] == 2


def test_a_damaged_copy_is_replaced(tmp_path, writing):
    path = tmp_path / "svc.yaml"
    path.write_text("facts: {x: {value: 3}}\n")
    compiled.load_yaml(path)
    copy = compiled.copy_path(path)
    copy.write_bytes(b"garbage")
    assert compiled.load_yaml(path) == {"facts": {"x": {"value": 3}}}
    assert copy.read_bytes().startswith(compiled.digest(path.read_bytes()) + b"\n")


def test_no_copy_is_written_when_bytecode_is_not_written_or_the_folder_is_read_only(tmp_path, monkeypatch):
    path = tmp_path / "svc.yaml"
    path.write_text("facts: {x: {value: 3}}\n")
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert compiled.load_yaml(path) == {"facts": {"x": {"value": 3}}}
    assert not compiled.copy_path(path).parent.exists()
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    (tmp_path / compiled.FOLDER).write_text("a file where the folder would be")
    assert compiled.load_yaml(path) == {"facts": {"x": {"value": 3}}}
    assert sorted(p.name for p in tmp_path.iterdir()) == [compiled.FOLDER, "svc.yaml"]  # no temporary left
