"""The fast YAML writer must give PyYAML's text byte for byte, or hand the document to PyYAML."""
from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archplan.generate import yamldump
from tests.fuzz.fuzzer import HOSTILE_STRINGS

STRINGS = st.one_of(
    st.sampled_from(HOSTILE_STRINGS + ["a b " * 40, "x" * 120 + " y", "line\n", "a\nb", "a\n\nb\n", " lead\nx",
                                       "\nfirst", "trail \nx", "a\n\n", "\n", "- x", "x: y", "yes", "on", "0o7",
                                       "1.5", "12:30", "2024-01-01", "'q'", "it's", "=", "<<", "-", "? x"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
    st.text(alphabet=" ab:-#'\"\n", max_size=150),
)
TAME = st.text(alphabet="abz09 -_.:/'\n=@", max_size=40)  # mostly the fast path, with quoting and blocks
SCALARS = st.one_of(STRINGS, TAME, st.integers(), st.floats(allow_nan=True), st.booleans(), st.none())
DOCUMENTS = st.recursive(
    SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(STRINGS, children, max_size=4)),
    max_leaves=30)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.dictionaries(st.one_of(STRINGS, TAME), DOCUMENTS, max_size=5), st.lists(DOCUMENTS, max_size=5)))
def test_fast_writer_is_pyyaml_byte_for_byte(document):
    assert yamldump.dump(document) == yamldump._pyyaml(document)


def test_common_shapes_take_the_fast_path():
    """The shapes generate writes never fall back (else the speed-up is gone), and round-trip."""
    document = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "labels": {}},
                "spec": {"replicas": 2, "ratio": 0.5, "on": True, "none": None, "items": [],
                         "containers": [{"name": "app", "args": ["--port", "8080"], "env": [{"name": "A",
                                                                                         "value": "1"}]}],
                         "script": "set -e\necho 'hi'\n", "nested": [[1, 2], [{"a": "b"}]]}}
    text = yamldump._fast(document)
    assert text == yamldump._pyyaml(document)
    assert yaml.safe_load(text) == document


def test_unsure_documents_fall_back_to_pyyaml():
    for document in ({"a": "tab\there"}, {"a": "x " * 80}, {1: "int key"}, {"a": "ends\n\n"}, {"k" * 130: 1}):
        try:
            yamldump._fast(document)
        except yamldump._Unsure:
            pass
        else:
            raise AssertionError(f"{document!r} should not be written by the fast path")
        assert yamldump.dump(document) == yamldump._pyyaml(document)


TAME_KEYS = st.text(alphabet="abz09 -_.:/'=@", min_size=1, max_size=20)
TAME_DOCUMENTS = st.recursive(
    st.one_of(TAME, st.integers(), st.floats(allow_nan=False), st.booleans(), st.none()),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(TAME_KEYS, children, max_size=4)),
    max_leaves=30)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(TAME_KEYS, TAME_DOCUMENTS, max_size=5))
def test_fast_writer_on_plain_shapes_is_pyyaml_byte_for_byte(document):
    """Documents like generate's (mostly written by the fast path, some quoted, some blocks)."""
    assert yamldump.dump(document) == yamldump._pyyaml(document)
