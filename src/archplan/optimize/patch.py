"""The optimizer's changes as a YAML patch: the plan file with the new values written in place (ruamel.yaml
round trip, so comments and key order survive), a unified diff of that file, and the merge patch alone."""
from __future__ import annotations

import difflib
import io
from pathlib import Path

from archplan.optimize import paths


def apply_to_data(data: dict, changes: dict) -> None:
    """Set the changes on merged plan data (environment already applied), in place."""
    for name, settings in changes.items():
        component = data["components"][name]
        for setting, value in settings.items():
            paths.put(component, setting, value, create=True)


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML()  # round-trip mode: comments, order and quoting are kept
    yaml.preserve_quotes = True
    yaml.width = 4096
    return yaml


def patched_text(path: str, changes: dict, environment: str | None) -> str:
    """The plan file with the changes written where they belong: under the environment when one is priced
    (so the default plan stays as it was), else in the components themselves."""
    from archplan.spec import indent

    yaml = _yaml()
    text = Path(path).read_text(encoding="utf-8")
    document = yaml.load(text)
    mapping, sequence, offset = indent.guess(text)  # so the lists the changes do not touch stay as written
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    for name, settings in changes.items():
        if environment is not None:
            environments = document["project"]["environments"]
            body = environments[environment]
            if body is None:
                from ruamel.yaml.comments import CommentedMap

                body = environments[environment] = CommentedMap()
            if "components" not in body or body["components"] is None:
                from ruamel.yaml.comments import CommentedMap

                body["components"] = CommentedMap()
            target = body["components"]
            if name not in target or target[name] is None:
                from ruamel.yaml.comments import CommentedMap

                target[name] = CommentedMap()
            target = target[name]
        else:
            target = document["components"][name]
        from ruamel.yaml.comments import CommentedMap

        for setting, value in settings.items():
            paths.put(target, setting, value, create=True, new_map=CommentedMap)
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    return buffer.getvalue()


def unified_diff(path: str, patched: str) -> str:
    original = Path(path).read_text(encoding="utf-8")
    return "".join(difflib.unified_diff(original.splitlines(keepends=True), patched.splitlines(keepends=True),
                                        fromfile=f"a/{path}", tofile=f"b/{path}"))


def merge_patch(changes: dict, environment: str | None) -> str:
    """Just the changed keys, as YAML (a merge patch over the plan)."""
    yaml = _yaml()
    body = {"components": {}}
    for name, settings in changes.items():
        component = body["components"].setdefault(name, {})
        for setting, value in settings.items():
            paths.put(component, setting, value, create=True)
    if environment is not None:
        body = {"project": {"environments": {environment: body}}}
    buffer = io.StringIO()
    yaml.dump(body, buffer)
    return buffer.getvalue()
