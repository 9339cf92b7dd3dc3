"""Authentication: the login lockout, and refusing demo accounts when the demo is off."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import QuerySet
from django.http import HttpRequest

from uppfolj.accounts.models import User
from uppfolj.accounts.sessions import anvandar_id, sessionens_lasta_anvandare
from uppfolj.lib.kompilerad import objekt


class LockoutBackend(AxesStandaloneBackend):
    """Refuse a username+address that django-axes has locked out after repeated failures.

    The login page, the admin login and the OIDC callback always pass the request.
    Only code without an HTTP request (Django's test client, a shell) authenticates
    without one; there is no client address to lock out then, so the check is skipped
    instead of failing the way AxesStandaloneBackend does.
    """

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def _anvandaren(pk: int) -> QuerySet[User]:
    return User.objects.filter(pk=pk)


def sessionens_anvandare(user_id: Any) -> User | None:
    """Return the user a session names (its `_auth_user_id`), or None: the one read
    with the session (`sessions.SessionStore`), or by a query compiled once."""
    pk = anvandar_id(user_id)
    if pk is None:
        return None
    user = sessionens_lasta_anvandare(pk)
    if user is not None:
        return user
    rows = objekt(("sessionens_anvandare",), _anvandaren, {"pk": pk})
    return rows[0] if rows else None


def far_logga_in(user: Any) -> bool:
    """Whether `user` may sign in, and stay signed in: an active account, and a demo
    account only where the demo is on."""
    if getattr(user, "is_demo", False) and not settings.UPPFOLJ_ALLOW_DEMO_LOGIN:
        return False
    return bool(getattr(user, "is_active", True))


def sessionens_inloggade(user_id: Any) -> User | None:
    """Return the user a session names if they may still be signed in, else None (a
    deactivated account's sessions end with their next request)."""
    user = sessionens_anvandare(user_id)
    return user if user is not None and far_logga_in(user) else None


class UppfoljBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        return far_logga_in(user)

    def get_user(self, user_id: Any) -> User | None:  # type: ignore[override]
        return sessionens_inloggade(user_id)


def klientadress(request: HttpRequest) -> str | None:
    """Return the client's address: behind N proxies, the N:th from the end of X-Forwarded-For."""
    proxies = settings.UPPFOLJ_PROXY_ANTAL
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")
