"""Deterministic YAML: keys in the order written, block style, multi-line strings as literal blocks,
sequences indented under their key (as kubectl and Cloud Build examples are written)."""
from __future__ import annotations

import yaml


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data):
        return True  # repeat shared values in full: no &anchors in generated files


def _string(dumper: yaml.SafeDumper, value: str):
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _string)


def dump(document) -> str:
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, default_flow_style=False, width=110,
                     allow_unicode=True)


def dump_all(documents: list) -> str:
    """Several documents separated by `---`."""
    return "---\n".join(dump(document) for document in documents)
