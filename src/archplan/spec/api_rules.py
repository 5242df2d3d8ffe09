"""The API value rules of api_rules.yaml, read by the plan's load (a Cloud SQL flag value the API refuses is
refused there, for every command) and by generate: Cloud SQL flags turned into the integers the API takes (in
the parameter's own unit), sized for a smaller replica; the names and labels the APIs accept."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from archplan.catalog.compiled import load_yaml

BYTE_SUFFIXES = {"": 1, "b": 1, "kb": 1024, "mb": 1024 ** 2, "gb": 1024 ** 3, "tb": 1024 ** 4}
TIME_SUFFIXES = {"": 1, "ms": 1, "s": 1000, "min": 60_000, "h": 3_600_000, "d": 86_400_000}
BOOLEANS = {"on": "on", "off": "off", "true": "on", "false": "off", "1": "on", "0": "off", "yes": "on", "no": "off"}
_QUANTITY = re.compile(r"^\s*(-?[0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*$")


@cache
def rules() -> dict:
    return load_yaml(Path(__file__).with_name("api_rules.yaml"))


def flag_rule(engine: str, flag: str) -> dict | None:
    return rules()["cloud_sql_flags"][engine].get(flag)


def flag_value(engine: str, flag: str, value, scale: Decimal = Decimal(1)) -> str:
    """The flag's value as the Cloud SQL API takes it. `scale` resizes memory-sized flags (a replica with
    half the memory gets half the shared_buffers). Raises ValueError with the reason."""
    rule = flag_rule(engine, flag)
    text = str(value).strip()
    if rule is None:
        return text
    kind = rule["type"]
    if kind == "boolean":
        if text.lower() not in BOOLEANS:
            raise ValueError(f"{flag} is on or off, not {text!r}")
        return BOOLEANS[text.lower()]
    if kind == "enum":
        if text.lower() not in rule["values"]:
            raise ValueError(f"{flag} is one of {', '.join(rule['values'])}, not {text!r}")
        return text.lower()
    match = _QUANTITY.match(text)
    if not match:
        raise ValueError(f"{flag} takes a number, not {text!r}")
    number, suffix = Decimal(match.group(1)), match.group(2).lower()
    if kind == "float":
        if suffix:
            raise ValueError(f"{flag} takes a plain number, not {text!r}")
        result = number
    elif "unit_bytes" in rule:
        if suffix not in BYTE_SUFFIXES:
            raise ValueError(f"{flag}: unknown unit {match.group(2)!r} (use kB, MB, GB or TB)")
        # A bare number is already in the parameter's unit, as PostgreSQL reads it.
        amount = number if not suffix else number * BYTE_SUFFIXES[suffix] / rule["unit_bytes"]
        result = amount if number < 0 else amount * (scale if rule.get("scales_with_memory") else 1)
    elif "unit_ms" in rule:
        if suffix not in TIME_SUFFIXES:
            raise ValueError(f"{flag}: unknown unit {match.group(2)!r} (use ms, s, min, h or d)")
        result = number * TIME_SUFFIXES[suffix]
    else:
        if suffix:
            raise ValueError(f"{flag} takes a plain integer, not {text!r}")
        result = number
    if kind == "integer":
        try:
            result = Decimal(int(result))  # rounded down, as the engine rounds a value to its unit
        except (InvalidOperation, OverflowError):
            raise ValueError(f"{flag}: {text!r} is out of range") from None
    if "min" in rule and result < rule["min"] and not (result == -1 and rule["min"] == -1):
        raise ValueError(f"{flag} must be at least {rule['min']} (got {format(result, 'f')})")
    if "max" in rule and result > rule["max"]:
        raise ValueError(f"{flag} must be at most {rule['max']} (got {format(result, 'f')})")
    return format(result.normalize(), "f") if kind == "float" else str(int(result))
