"""Fixtures of the accounts tests: single sign-on turned on."""

from __future__ import annotations

import importlib

import pytest
from django.urls import clear_url_caches

import uppfolj.accounts.urls
import uppfolj.urls

IDP = "https://idp.kommunen.example/oidc"
OIDC_SETTINGS = {
    "UPPFOLJ_OIDC": True,
    "OIDC_RP_CLIENT_ID": "uppfolj",
    "OIDC_RP_CLIENT_SECRET": "hemligt",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{IDP}/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": f"{IDP}/token",
    "OIDC_OP_USER_ENDPOINT": f"{IDP}/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": f"{IDP}/jwks",
    "OIDC_RP_SIGN_ALGO": "RS256",
    "OIDC_RP_SCOPES": "openid email",
    "OIDC_USE_PKCE": True,
    "OIDC_CREATE_USER": False,
}


def _reload_urls() -> None:
    importlib.reload(uppfolj.accounts.urls)
    importlib.reload(uppfolj.urls)
    clear_url_caches()


@pytest.fixture
def oidc_on(settings):
    for name, value in OIDC_SETTINGS.items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "uppfolj.accounts.oidc.UppfoljOIDCBackend",
    ]
    _reload_urls()
    yield settings
    settings.UPPFOLJ_OIDC = False
    _reload_urls()
