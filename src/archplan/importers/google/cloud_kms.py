"""google_kms_key_ring and its google_kms_crypto_key -> one cloud_kms component per ring: each key's
protection level, algorithm and rotation. Versions kept enabled and operations are usage."""
from __future__ import annotations

import re

from archplan.importers.google._base import MapContext, Mapped, duration, label_name, owned
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_kms_key_ring", "google_kms_crypto_key")
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {"keys[].active_versions": (None, "versions kept enabled (each rotation adds one)"),
         "keys[].operations_per_month": (None, "cryptographic operations")}
SUPPORTING = ("google_kms_crypto_key_version", "google_kms_key_ring_iam_member", "google_kms_key_ring_iam_binding",
              "google_kms_crypto_key_iam_binding")
_ALGORITHMS = ((r"GOOGLE_SYMMETRIC_ENCRYPTION", "aes_256"), (r"HMAC_SHA\d+", "hmac"),
               (r"RSA_(?:SIGN|DECRYPT)_[A-Z0-9_]*?_(2048|3072|4096)_[A-Z0-9_]+", "rsa_{0}"),
               (r"EC_SIGN_P(256|384)_SHA\d+", "ec_p{0}"))
LEVELS = {"SOFTWARE": "software", "HSM": "hsm", "EXTERNAL": "external"}


def algorithm(value) -> str | None:
    """The provider's algorithm enum as archplan's (priced alike within each): None if it has no price here."""
    for pattern, name in _ALGORITHMS:
        match = re.fullmatch(pattern, str(value))
        if match:
            return name.format(*match.groups())
    return None


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    rings = [r for r in resources if r.type == "google_kms_key_ring"]
    keys = [r for r in resources if r.type == "google_kms_crypto_key"]
    found = []
    for ring in rings:
        mine = [k for k in keys if ring.base_address in k.refs("key_ring")]
        listed = []
        for key in mine:
            name = algorithm(key.get("version_template", "algorithm", default="GOOGLE_SYMMETRIC_ENCRYPTION"))
            level = LEVELS.get(str(key.get("version_template", "protection_level", default="SOFTWARE")))
            if name is None or level is None or (level == "external" and name != "aes_256"):
                ctx.notes.append(f"{key.address}: algorithm or protection level archplan does not price: left out")
                continue
            entry: dict = {"name": str(key.get("name") or key.name)}
            if level != "software":
                entry["protection_level"] = level
            if name != "aes_256":
                entry["algorithm"] = name
            # KMS rotates a key at most once a day: 86400s is the shortest rotation_period it takes.
            period = duration(key, ctx, "rotation_period", minimum=86400, assumed="read as no rotation")
            if name == "aes_256" and period and period >= 86400:
                entry["rotation_days"] = period // 86400
            listed.append(entry)
        if not listed:
            ctx.notes.append(f"{ring.address}: no key archplan prices in the ring: left out")
            continue
        fields: dict = {}
        label = label_name(ring)
        ring_name = ctx.own_name(str(ring.get("name") or ""))
        if ring_name and ring_name.replace("-", "_") != label.replace("-", "_"):
            fields["key_ring"] = ring_name
        fields["keys"] = listed
        found.append(Mapped(label, "cloud_kms", fields, owned(ring, *mine), ring))
    loose = [k for k in keys if not any(r.base_address in k.refs("key_ring") for r in rings)]
    if loose:
        ctx.notes.append("keys in a ring this configuration does not create, left out: "
                         + ", ".join(k.address for k in loose))
    return found
