"""Identity Platform: the project's configuration with the sign-in methods the plan enables. Social,
SAML and OIDC providers need client ids and secrets, configured outside Terraform."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import ident
from archplan.generate.hcl import Expr, nested, resource
from archplan.generate.terraform._builder import Terraform


def generate(tf: Terraform, component: Component) -> None:
    spec = component.spec
    tf.api("identitytoolkit.googleapis.com")
    sign_in: dict = {"allow_duplicate_emails": False}
    if "email" in spec.providers:
        sign_in["email"] = nested({"enabled": True, "password_required": True})
    if "phone" in spec.providers:
        sign_in["phone_number"] = nested({"enabled": True})
    if "anonymous" in spec.providers:
        sign_in["anonymous"] = nested({"enabled": True})
    body: dict = {"project": Expr("var.project_id"), "sign_in": nested(sign_in)}
    if spec.mfa:
        body["mfa"] = nested({"state": "ENABLED", "enabled_providers": ["PHONE_SMS"]})
    others = [p for p in spec.providers if p not in ("email", "phone", "anonymous")]
    about = tf.about(component)
    if others:
        about += f". Configure {', '.join(others)} with their client ids in the console or with separate resources."
        # the plan holds no client id or secret: a step the README lists, not only this comment
        tf.warnings.append(f"{component.name}: sign-in with {', '.join(others)} needs each provider's client id and "
                           "secret, which the plan does not hold: add them in the console (Identity Platform > "
                           "Providers) or as google_identity_platform_default_supported_idp_config (social), "
                           "_oauth_idp_config (OIDC) or _inbound_saml_config (SAML) resources")
    tf.add("identity.tf", about, resource("google_identity_platform_config", ident(component.name), body))
