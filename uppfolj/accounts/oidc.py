"""Single sign-on through the municipality's OpenID Connect identity provider.

The IdP (SITHS card or e-legitimation, through the municipality's own identity
provider) vouches for who the person is; Uppfölj decides what they may do. A login
is accepted only for an existing, active local user matched by one claim
(UPPFOLJ_OIDC_ID_CLAIM against the field UPPFOLJ_OIDC_ID_FALT: an HSA-id against
the username, or an e-mail address against the e-mail), and, when
UPPFOLJ_OIDC_ROLL_CLAIM is set, only when that claim carries the user's local role.
No user is ever created from claims, so nobody gets a role by signing in.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from uppfolj.accounts.backends import sessionens_inloggade
from uppfolj.accounts.models import User

log = logging.getLogger(__name__)


def _roller_i_claim(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, list | tuple | set):
        return {str(v) for v in value}
    return set()


def anvandare_for_claims(claims: dict[str, Any]) -> User | None:
    """Return the one active local user the IdP's claims name, or None."""
    identity = claims.get(settings.UPPFOLJ_OIDC_ID_CLAIM)
    if not isinstance(identity, str) or not identity.strip():
        return None
    field = settings.UPPFOLJ_OIDC_ID_FALT
    users: QuerySet[User] = User.objects.filter(
        **{f"{field}__iexact": identity.strip()}, is_active=True
    )
    if not settings.UPPFOLJ_ALLOW_DEMO_LOGIN:
        users = users.filter(is_demo=False)
    matches = list(users[:2])
    if len(matches) != 1:
        log.warning("OIDC-inloggning nekad: %d användare matchar claimet", len(matches))
        return None
    user = matches[0]
    if settings.UPPFOLJ_OIDC_ROLL_CLAIM:
        roller = _roller_i_claim(claims.get(settings.UPPFOLJ_OIDC_ROLL_CLAIM))
        if user.roll not in roller:
            log.warning("OIDC-inloggning nekad för %s: rollen saknas i claimet", user.pk)
            return None
    return user


class UppfoljOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's code flow, mapped onto existing local users only."""

    def get_user(self, user_id: Any) -> User | None:
        # mozilla-django-oidc returns the user whether or not the account is still active.
        return sessionens_inloggade(user_id)

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return anvandare_for_claims(claims) is not None

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        user = anvandare_for_claims(claims)
        return User.objects.filter(pk=user.pk) if user else User.objects.none()

    def describe_user_by_claims(self, claims: dict[str, Any]) -> str:
        return f"claimet {settings.UPPFOLJ_OIDC_ID_CLAIM}"

    def create_user(self, claims: dict[str, Any]) -> User:
        raise SuspiciousOperation("Uppfölj skapar aldrig användare från OIDC-claims")
