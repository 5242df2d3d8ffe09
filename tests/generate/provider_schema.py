"""The google provider's schema, read from the prebuilt CDKTF bindings (`cdktf-cdktf-provider-google` on
PyPI), and a checker for the generated Terraform against it.

The bindings are generated from `terraform providers schema -json` of one provider release; their jsii
assembly (`_jsii/provider-google@<version>.jsii.tgz`, file `package/.jsii`) keeps, per resource and data
source, a Config struct: each argument with its Terraform name (the anchor of its registry link), whether it
is optional, and its type; each nested block as a struct (one block) or a list of structs (repeated block).
Computed-only attributes are not in the Config, so they are rejected as arguments, as Terraform does.
Argument docs carry the provider's `Possible values: [...]` lists, which are checked for literal strings.
"""
from __future__ import annotations

import json
import re
import tarfile
from functools import cache
from importlib import metadata

DISTRIBUTION = "cdktf-cdktf-provider-google"
META_ARGUMENTS = {"count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection"}
LINK = re.compile(r"registry\.terraform\.io/providers/hashicorp/google/([0-9.]+)/docs/(resources|data-sources)/"
                  r"([a-z0-9_]+)#([a-z0-9_]+)")
POSSIBLE = re.compile(r'Possible values: \[([^\]]*)\]')


def provider_version() -> str:
    """The google provider release the installed bindings were generated from."""
    return schema()["provider_version"]


def _assembly() -> dict:
    dist = metadata.distribution(DISTRIBUTION)
    folder = dist.locate_file("cdktf_cdktf_provider_google/_jsii")
    archive = next(p for p in folder.iterdir() if p.name.endswith(".jsii.tgz"))
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile("package/.jsii"))


def _struct(types: dict, fqn: str, seen: tuple = ()) -> dict:
    attrs, blocks = {}, {}
    for prop in types[fqn].get("properties", []):
        docs = prop.get("docs", {})
        # jsii moves `@tag` lines of a doc comment into docs.custom; the registry link can end up there.
        text = "\n".join([docs.get("summary", ""), docs.get("remarks", ""), *docs.get("custom", {}).values()])
        link = LINK.search(text)
        if not link:
            continue
        name = link.group(4)
        required = not prop.get("optional", False)
        kind = prop["type"]
        options = kind.get("union", {}).get("types", [kind]) if "union" in kind else [kind]
        struct_fqn, is_list = None, False
        for option in options:
            if "fqn" in option and types.get(option["fqn"], {}).get("datatype"):
                struct_fqn = option["fqn"]
            element = option.get("collection", {})
            if element.get("kind") == "array" and "fqn" in element.get("elementtype", {}) \
                    and types.get(element["elementtype"]["fqn"], {}).get("datatype"):
                struct_fqn, is_list = element["elementtype"]["fqn"], True
        if struct_fqn is not None and struct_fqn not in seen:
            blocks[name] = {"required": required, "list": is_list,
                            "struct": _struct(types, struct_fqn, seen + (struct_fqn,))}
        else:
            values = POSSIBLE.search(text)
            attrs[name] = {"required": required,
                           "values": re.findall(r'"([^"]*)"', values.group(1)) if values else None}
    return {"attrs": attrs, "blocks": blocks}


@cache
def schema() -> dict:
    """{"provider_version", "resource": {type: struct}, "data": {type: struct}}, struct = {attrs, blocks}."""
    types = _assembly()["types"]
    found = {"resource": {}, "data": {}, "provider_version": None}
    for fqn, entry in types.items():
        if entry.get("kind") != "class" or "initializer" not in entry:
            continue
        params = entry["initializer"].get("parameters", [])
        config = next((p["type"].get("fqn") for p in params if p["name"] == "config"), None)
        if not config or config not in types:
            continue
        text = json.dumps(types[config].get("properties", [])[:3])
        link = LINK.search(text)
        if not link:
            continue
        found["provider_version"] = link.group(1)
        section = "resource" if link.group(2) == "resources" else "data"
        found[section][f"google_{link.group(3)}"] = _struct(types, config)
    return found


def violations(section: str, type_name: str, body: dict, where: str) -> list[str]:
    """What the provider would reject in one `resource`/`data` block parsed by python-hcl2."""
    known = schema()[section]
    if not type_name.startswith("google_"):
        return []
    if type_name not in known:
        return [f"{where}: {section} type {type_name} is not in google provider {provider_version()}"]
    return _check(known[type_name], body, where, top=True)


def _literal(value) -> str | None:
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"' and "${" not in value:
        return value[1:-1]
    return None


def _check(struct: dict, body: dict, where: str, top: bool = False) -> list[str]:
    problems = []
    for key, value in body.items():
        if key in ("__is_block__", "__comments__") or (top and key in META_ARGUMENTS):
            continue
        if key == "dynamic":
            for item in value:
                for label, dynamic in item.items():
                    name = label.strip('"')
                    if name not in struct["blocks"]:
                        problems.append(f"{where}: dynamic {name}: no such block")
                    else:
                        for content in dynamic.get("content", []):
                            problems += _check(struct["blocks"][name]["struct"], content, f"{where}.{name}")
            continue
        is_block = isinstance(value, list) and value and all(isinstance(v, dict) and v.get("__is_block__")
                                                             for v in value)
        if key in struct["attrs"]:
            if is_block:
                problems.append(f"{where}: {key} is an argument, written as a block")
                continue
            allowed = struct["attrs"][key]["values"]
            literal = _literal(value)
            # An optional enum also takes "": Magic Modules validates it with the values and "" (the provider's
            # own PSC endpoint example sets a forwarding rule's load_balancing_scheme = "" to drop its default)
            optional_empty = literal == "" and not struct["attrs"][key]["required"]
            if allowed and literal is not None and literal not in allowed and not optional_empty:
                problems.append(f"{where}: {key} = {literal!r} is not one of {allowed}")
        elif key in struct["blocks"]:
            block = struct["blocks"][key]
            if not is_block:
                problems.append(f"{where}: {key} is a block, written as an argument")
                continue
            if len(value) > 1 and not block["list"]:
                problems.append(f"{where}: {key} may appear once, appears {len(value)} times")
            for index, item in enumerate(value):
                problems += _check(block["struct"], item, f"{where}.{key}[{index}]")
        else:
            problems.append(f"{where}: unknown argument or block {key}")
    dynamic_names = {label.strip('"') for item in body.get("dynamic", []) for label in item}
    for name, attr in struct["attrs"].items():
        if attr["required"] and name not in body and name != "id":
            problems.append(f"{where}: required argument {name} missing")
    for name, block in struct["blocks"].items():
        if block["required"] and name not in body and name not in dynamic_names:
            problems.append(f"{where}: required block {name} missing")
    return problems
