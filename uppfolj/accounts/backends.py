"""Authentication: the login lockout, and refusing demo accounts when the demo is off."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest


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


class UppfoljBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        if getattr(user, "is_demo", False) and not settings.UPPFOLJ_ALLOW_DEMO_LOGIN:
            return False
        return super().user_can_authenticate(user)


def klientadress(request: HttpRequest) -> str | None:
    """Return the client's address: behind N proxies, the N:th from the end of X-Forwarded-For."""
    proxies = settings.UPPFOLJ_PROXY_ANTAL
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")
