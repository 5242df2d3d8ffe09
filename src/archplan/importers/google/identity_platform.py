"""google_identity_platform_config (and the provider configs beside it) -> identity_platform: the sign-in
methods enabled and MFA. Monthly active users are usage."""
from __future__ import annotations

from archplan.importers.google._base import GENERIC_LABELS, MapContext, Mapped, owned, placeholders
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_identity_platform_config",)
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {"monthly_active_users": (0, "users signing in a month"),
         "enterprise_monthly_active_users": (None, "users signing in with SAML or OIDC a month")}
SUPPORTING = ("google_identity_platform_default_supported_idp_config", "google_identity_platform_inbound_saml_config",
              "google_identity_platform_oauth_idp_config", "google_identity_platform_tenant")
SOCIAL = {"google.com": "google", "facebook.com": "facebook", "apple.com": "apple", "github.com": "github",
          "microsoft.com": "microsoft", "twitter.com": "twitter"}


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    found = []
    for config in resources[:1]:  # one configuration per project
        providers = [name for key, name in (("email", "email"), ("phone_number", "phone"), ("anonymous", "anonymous"))
                     if config.get("sign_in", key, "enabled") is True]
        social = ctx.of_type("google_identity_platform_default_supported_idp_config")
        for idp in social:
            name = SOCIAL.get(str(idp.get("idp_id")))
            if name and idp.get("enabled") is not False and name not in providers:
                providers.append(name)
        saml = ctx.of_type("google_identity_platform_inbound_saml_config")
        oidc = ctx.of_type("google_identity_platform_oauth_idp_config")
        providers += ["saml"] * bool(saml) + ["oidc"] * bool(oidc)
        fields: dict = {"providers": providers or ["email"]}
        if config.get("mfa", "state") == "ENABLED":
            fields["mfa"] = True
        fields["monthly_active_users"] = USAGE["monthly_active_users"][0]
        name = config.name if config.name not in GENERIC_LABELS else "identity"
        found.append(Mapped(name, "identity_platform", fields, owned(config, *social, *saml, *oidc),
                            config, placeholders(USAGE)))
    return found
