"""The settings the calculator offers, read from the spec models themselves: every scalar field of the traffic
model and of each component's kind, with the bounds and choices the model (and so the catalog validator)
enforces. Nothing here is a figure; the page shows the inputs and the API computes the outputs."""
from __future__ import annotations

import types
import typing
from decimal import Decimal

from pydantic import BaseModel

# Component settings offered even when the plan leaves them at the default: the ones that move cost and
# availability (the "min/max instances, tier, HA, replicas, commitment").
_WORTH_OFFERING = ("min_instances", "max_instances", "concurrency", "tier", "machine_type", "high_availability",
                   "ha", "read_replicas", "replicas", "commitment", "min_nodes", "max_nodes", "node_count",
                   "memory_gb", "storage_gb", "cpu", "memory")
_NEVER = {"kind", "description", "depends_on", "availability_percent"}


def _scalar_type(annotation):
    """('number'|'integer'|'boolean'|'choice'|'text', choices) for a scalar annotation, else None."""
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        values = typing.get_args(annotation)
        if all(isinstance(v, str) for v in values):
            return "choice", list(values)
        return None
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        kinds = [_scalar_type(a) for a in inner]
        kinds = [k for k in kinds if k is not None]
        if len(kinds) == 1:
            return kinds[0]
        if kinds and all(k[0] in ("number", "integer", "text") for k in kinds):
            return "text", None  # e.g. cpu: 1 or "250m"
        return None
    if origin is typing.Annotated:
        return _scalar_type(typing.get_args(annotation)[0])
    if annotation is bool:
        return "boolean", None
    if annotation is int:
        return "integer", None
    if annotation in (Decimal, float):
        return "number", None
    if annotation is str:
        return "text", None
    return None


def _bounds(field) -> dict:
    found = {}
    for item in field.metadata:
        for name in ("ge", "gt", "le", "lt"):
            value = getattr(item, name, None)
            if value is not None:
                found[name] = float(value)
    return found


def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, BaseModel):
        return None
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)


def _nested_model(annotation):
    """The settings model inside X or Optional[X] (e.g. an LLM's per_chat tokens), else None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(inner) == 1 and isinstance(inner[0], type) and issubclass(inner[0], BaseModel):
            return inner[0]
    return None


def model_knobs(model: type[BaseModel], instance: BaseModel | None, offered_when_default=None,
                prefix: str = "") -> list[dict]:
    knobs = []
    set_fields = instance.model_fields_set if instance is not None else set()
    for name, field in model.model_fields.items():
        if name in _NEVER:
            continue
        nested = _nested_model(field.annotation)
        if nested is not None and not prefix and name in set_fields:
            # One level down, for settings the plan states (an LLM's tokens per chat, a pool's sizes).
            knobs += [dict(knob, key=f"{name}.{knob['key']}")
                      for knob in model_knobs(nested, getattr(instance, name), None, prefix=name)]
            continue
        shape = _scalar_type(field.annotation)
        if shape is None:
            continue
        if offered_when_default is not None and name not in set_fields and name not in offered_when_default:
            continue
        kind, choices = shape
        value = getattr(instance, name, None) if instance is not None else None
        knob = {"key": name, "type": kind, "value": _plain(value), "set": name in set_fields,
                "description": field.description or ""}
        if choices:
            knob["choices"] = choices
        knob.update(_bounds(field))
        knobs.append(knob)
    knobs.sort(key=lambda k: (not k["set"], k["key"]))
    return knobs


def traffic_knobs(spec) -> list[dict]:
    from archplan.spec.model import Traffic

    return model_knobs(Traffic, spec.traffic or Traffic())


def component_knobs(component_spec) -> list[dict]:
    return model_knobs(type(component_spec), component_spec, _WORTH_OFFERING)
