"""Login and logout; the OpenID Connect endpoints only when single sign-on is configured."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path

from uppfolj.accounts.views import LoginView


def oidc_urlpatterns() -> list[URLPattern | URLResolver]:
    """Return mozilla-django-oidc's URLs when OIDC is switched on, else none."""
    if not settings.UPPFOLJ_OIDC:
        return []
    return [path("oidc/", include("mozilla_django_oidc.urls"))]


urlpatterns = [
    path("logga-in/", LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    *oidc_urlpatterns(),
]
