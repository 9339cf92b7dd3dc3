"""The login page, with the lockout message and the single sign-on button."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

LOGIN_TEMPLATE = "registration/login.html"


def _sparrtid_minuter() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


class LoginView(auth_views.LoginView):
    template_name = LOGIN_TEMPLATE

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc_aktiverad"] = settings.UPPFOLJ_OIDC
        return context


def utelast(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """Return the login page saying the username is locked out (django-axes' lockout response)."""
    return render(
        request,
        LOGIN_TEMPLATE,
        {
            "form": AuthenticationForm(request),
            "utelast": True,
            "sparrtid_minuter": _sparrtid_minuter(),
            "oidc_aktiverad": settings.UPPFOLJ_OIDC,
            "next": request.POST.get("next", ""),
        },
        status=429,
    )
