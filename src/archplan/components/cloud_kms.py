"""Cloud KMS: key rings and keys, priced by active key versions (by protection level and algorithm) and
cryptographic operations."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from archplan.components.base import ComponentSpec, Strict, Usage, UsageContext

# Algorithms Cloud KMS prices alike: symmetric AES-256/HMAC and RSA 2048 versus RSA 3072/4096 and EC.
ALGORITHMS = ("aes_256", "hmac", "rsa_2048", "rsa_3072", "rsa_4096", "ec_p256", "ec_p384")
LARGE_ALGORITHMS = ("rsa_3072", "rsa_4096", "ec_p256", "ec_p384")

EXAMPLE = {"kind": "cloud_kms", "keys": [{"name": "data", "rotation_days": 90, "operations_per_month": 1_000_000}]}


class Key(Strict):
    name: str = Field(description="key name in the key ring")
    protection_level: Literal["software", "hsm", "external"] = Field(
        default="software", description="where the key material lives (GCP default SOFTWARE)")
    algorithm: Literal[ALGORITHMS] = Field(default="aes_256", description="aes_256 (symmetric), hmac, rsa_*, ec_*")
    rotation_days: int | None = Field(default=None, ge=1, le=36500,
                                      description="automatic rotation period, aes_256 keys only (GCP default: none)")
    active_versions: int = Field(default=1, ge=1, description="versions kept enabled (rotation adds one each period)")
    operations_per_month: Decimal = Field(default=Decimal(0), ge=0, description="encrypt/decrypt/sign calls")

    @model_validator(mode="after")
    def _rotation_for_symmetric_only(self) -> "Key":
        if self.algorithm != "aes_256" and self.rotation_days is not None:
            raise ValueError("rotation_days: Cloud KMS rotates only symmetric (aes_256) keys automatically")
        if self.protection_level == "external" and self.algorithm != "aes_256":
            raise ValueError("archplan models EXTERNAL keys as symmetric aes_256 keys only")
        return self


class Spec(ComponentSpec):
    category: ClassVar[str] = "operations"
    kind: Literal["cloud_kms"]
    key_ring: str | None = Field(default=None, description="key ring name (default: the component name)")
    keys: list[Key] = Field(min_length=1, description="the keys in the ring")


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    return Usage({"key_versions": Decimal(sum(k.active_versions for k in spec.keys)),
                  "operations": sum((k.operations_per_month for k in spec.keys), Decimal(0))})
