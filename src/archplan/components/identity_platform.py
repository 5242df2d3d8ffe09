"""Identity Platform: monthly active users, by provider tier (email, phone, anonymous and social sign-in
are Tier 1; SAML and OIDC are Tier 2)."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from archplan.components.base import ComponentSpec, Usage, UsageContext

EXAMPLE = {"kind": "identity_platform", "monthly_active_users": 120_000}

TIER1_PROVIDERS = ("email", "phone", "anonymous", "google", "facebook", "apple", "github", "microsoft", "twitter")
TIER2_PROVIDERS = ("saml", "oidc")


class Spec(ComponentSpec):
    category: ClassVar[str] = "operations"
    kind: Literal["identity_platform"]
    regional: ClassVar[bool] = False
    providers: list[Literal[TIER1_PROVIDERS + TIER2_PROVIDERS]] = Field(
        default_factory=lambda: ["email"], description="sign-in methods enabled")
    monthly_active_users: Decimal | None = Field(default=None, ge=0,
                                                 description="users signing in with Tier 1 providers in a month")
    enterprise_monthly_active_users: Decimal = Field(default=Decimal(0), ge=0,
                                                     description="users signing in with SAML or OIDC in a month")
    mfa: bool = Field(default=False, description="multi-factor authentication (SMS) enabled")

    @model_validator(mode="after")
    def _tiers_match_providers(self) -> "Spec":
        if self.enterprise_monthly_active_users and not set(self.providers) & set(TIER2_PROVIDERS):
            raise ValueError("enterprise_monthly_active_users needs a saml or oidc provider")
        return self


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    result = Usage()
    if spec.monthly_active_users is not None:
        mau = spec.monthly_active_users
    elif ctx.traffic.monthly_active_users is not None:
        mau = ctx.traffic.monthly_active_users
        result.assumptions.append(f"{ctx.name}: monthly active users from traffic.monthly_active_users ({mau:,.0f})")
    else:
        raise ctx.error("monthly_active_users", "monthly_active_users is needed (or traffic.monthly_active_users); "
                                                "daily active users do not give the month's distinct users")
    result.quantities.update(tier1_mau=mau, tier2_mau=spec.enterprise_monthly_active_users)
    sms = [why for why, on in (("phone sign-in", "phone" in spec.providers), ("SMS multi-factor", spec.mfa)) if on]
    if sms:
        result.assumptions.append(
            f"{ctx.name}: {' and '.join(sms)} send SMS messages, which Identity Platform bills per message by the "
            "destination country, apart from monthly active users: not priced here (archplan's catalog has no "
            "SMS rates); add them as an external component with your messages a month and rate")
    return result
