"""CPU and memory quantities written back the way GCP and Kubernetes read them."""
from __future__ import annotations

from decimal import Decimal


def cpu(vcpu: Decimal) -> str:
    """1 -> "1", 0.25 -> "250m"."""
    if vcpu == vcpu.to_integral_value():
        return str(int(vcpu))
    return f"{int(vcpu * 1000)}m"


def memory(gib: Decimal) -> str:
    """0.5 -> "512Mi", 4 -> "4Gi"."""
    if gib == gib.to_integral_value():
        return f"{int(gib)}Gi"
    return f"{int(gib * 1024)}Mi"


def memory_mib(gib: Decimal) -> int:
    return int(gib * 1024)
