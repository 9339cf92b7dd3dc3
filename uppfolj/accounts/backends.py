"""Authentication that refuses demo accounts when the demo login is switched off."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class UppfoljBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        if getattr(user, "is_demo", False) and not settings.UPPFOLJ_ALLOW_DEMO_LOGIN:
            return False
        return super().user_can_authenticate(user)
