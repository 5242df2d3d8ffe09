"""Cloud KMS: the plan's key ring and keys (protection level, algorithm, rotation), kept from being
destroyed; workloads that depend on the ring may use its keys (encrypt/decrypt, sign, or MAC)."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import Workload, ident, slug
from archplan.generate.hcl import Expr, Tpl, nested, resource
from archplan.generate.terraform._builder import Terraform

ALGORITHMS = {"aes_256": ("ENCRYPT_DECRYPT", "GOOGLE_SYMMETRIC_ENCRYPTION"),
              "hmac": ("MAC", "HMAC_SHA256"),
              "rsa_2048": ("ASYMMETRIC_SIGN", "RSA_SIGN_PSS_2048_SHA256"),
              "rsa_3072": ("ASYMMETRIC_SIGN", "RSA_SIGN_PSS_3072_SHA256"),
              "rsa_4096": ("ASYMMETRIC_SIGN", "RSA_SIGN_PSS_4096_SHA256"),
              "ec_p256": ("ASYMMETRIC_SIGN", "EC_SIGN_P256_SHA256"),
              "ec_p384": ("ASYMMETRIC_SIGN", "EC_SIGN_P384_SHA384")}
ROLES = {"ENCRYPT_DECRYPT": "roles/cloudkms.cryptoKeyEncrypterDecrypter",
         "ASYMMETRIC_SIGN": "roles/cloudkms.signerVerifier",
         "MAC": "roles/cloudkms.signerVerifier"}


def ring_ref(component: Component) -> str:
    return ident(component.name)


def key_ref(component: Component, key) -> str:
    return f"{ident(component.name)}_{ident(key.name)}"


def ring_id(component: Component) -> str:
    """What follows <prefix>- in the key ring's name."""
    return slug(component.spec.key_ring or component.name)


def created_names(ctx, component: Component) -> list[str]:
    return [f"{ctx.prefix}-{ring_id(component)}"]


def generate(tf: Terraform, component: Component) -> None:
    spec = component.spec
    tf.api("cloudkms.googleapis.com")
    ring = ring_ref(component)
    tf.add("kms.tf", tf.about(component), resource("google_kms_key_ring", ring, {
        "name": Tpl(f"${{var.prefix}}-{ring_id(component)}"),
        "location": tf.region(component),
    }))
    for key in spec.keys:
        purpose, algorithm = ALGORITHMS[key.algorithm]
        body: dict = {}
        if key.rotation_days is None:
            why = ("the plan sets no rotation_days for this key" if purpose == "ENCRYPT_DECRYPT"
                   else "Cloud KMS does not rotate asymmetric or MAC keys automatically")
            body[f"#checkov:skip=CKV_GCP_43:{why}"] = None
        elif key.rotation_days > 90:  # checkov's limit; the plan's own period is written as it states it
            body[f"#checkov:skip=CKV_GCP_43:the plan rotates this key every {key.rotation_days} days "
                 "(rotation_days)"] = None
        body.update({
            "name": slug(key.name),
            "key_ring": Expr(f"google_kms_key_ring.{ring}.id"),
            "purpose": purpose,
        })
        if key.rotation_days is not None:
            body["rotation_period"] = f"{key.rotation_days * 86400}s"
        if key.protection_level == "external":
            body["skip_initial_version_creation"] = True  # versions point at keys in the external manager
        body["labels"] = Expr("local.labels")
        body["version_template"] = nested({"algorithm": algorithm, "protection_level": key.protection_level.upper()})
        body["lifecycle"] = nested({"prevent_destroy": True})
        tf.add("kms.tf", resource("google_kms_crypto_key", key_ref(component, key), body))
        tf.output(f"{key_ref(component, key)}_id", Expr(f"google_kms_crypto_key.{key_ref(component, key)}.id"),
                  f"Resource id of Cloud KMS key {key.name}.")


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    """A workload that depends on the key ring may use each of its keys for what the key is for."""
    for key in component.spec.keys:
        purpose, _ = ALGORITHMS[key.algorithm]
        ref = key_ref(component, key)
        tf.add("iam.tf", resource("google_kms_crypto_key_iam_member", f"{ident(workload.key)}_uses_{ref}", {
            "crypto_key_id": Expr(f"google_kms_crypto_key.{ref}.id"),
            "role": ROLES[purpose],
            "member": tf.member(workload.key),
        }))
