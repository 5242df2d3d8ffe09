"""Parsing of size and CPU quantities written the Kubernetes way ("512Mi", "2Gi", "250m")."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

_MEMORY_UNITS = {
    "Ki": Decimal(1) / (1024 * 1024), "Mi": Decimal(1) / 1024, "Gi": Decimal(1), "Ti": Decimal(1024),
    "K": Decimal(1000) / 1024**3, "M": Decimal(1000**2) / 1024**3, "G": Decimal(1000**3) / 1024**3,
}
_MEMORY = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(Ki|Mi|Gi|Ti|K|M|G)\s*$")


def parse_memory_gib(value: Any) -> Decimal:
    """'512Mi' -> 0.5 (GiB). A bare number is not accepted: the unit must be explicit."""
    if isinstance(value, str):
        match = _MEMORY.match(value)
        if match:
            amount, unit = match.groups()
            gib = Decimal(amount) * _MEMORY_UNITS[unit]
            if gib <= 0:
                raise ValueError("memory must be more than 0")
            return gib
    raise ValueError(f"memory must be a size with a unit, like 512Mi or 2Gi (got {value!r})")


def parse_cpu(value: Any) -> Decimal:
    """'250m' -> 0.25; 1 -> 1; '0.5' -> 0.5 (vCPU)."""
    if isinstance(value, bool):
        raise ValueError(f"cpu must be a number of vCPU like 1 or 0.5, or millicores like 250m (got {value!r})")
    try:
        if isinstance(value, str) and value.strip().endswith("m"):
            cpu = Decimal(value.strip()[:-1]) / 1000
        else:
            cpu = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValueError(f"cpu must be a number of vCPU like 1 or 0.5, or millicores like 250m (got {value!r})") from None
    if not cpu.is_finite() or cpu <= 0:
        raise ValueError(f"cpu must be more than 0 (got {value!r})")
    return cpu


def _format_gib(value: Decimal) -> str:
    mib = value * 1024
    return f"{mib.normalize():f}Mi" if value < 1 else f"{value.normalize():f}Gi"


MemoryGiB = Annotated[
    Decimal,
    BeforeValidator(parse_memory_gib),
    PlainSerializer(_format_gib, return_type=str),
    WithJsonSchema({"type": "string", "pattern": _MEMORY.pattern, "examples": ["512Mi", "2Gi"]}),
]
Cpu = Annotated[
    Decimal,
    BeforeValidator(parse_cpu),
    PlainSerializer(lambda v: float(v), return_type=float),
    WithJsonSchema({"anyOf": [{"type": "number", "exclusiveMinimum": 0},
                              {"type": "string", "pattern": r"^[0-9]+m$"}]}),
]
