"""The one place that decides which cases a user may see (ACC-SEKRETESSGRANS, ACC-SKYDDAD)."""

from __future__ import annotations

from typing import Any

from django.db import models

from uppfolj.accounts.models import MYNDIGHET_ROLLER, UTFORAR_ROLLER, Roll


class ArendeQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ArendeQuerySet:
        """Return the cases `user` may see."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.roll in UTFORAR_ROLLER:
            # ACC-SEKRETESSGRANS: a provider sees only the cases it has an uppdrag for.
            if user.utforare_id is None:
                return self.none()
            visible = self.filter(utforare_id=user.utforare_id)
        elif user.roll in MYNDIGHET_ROLLER or user.roll in (Roll.INSPEKTOR, Roll.ADMINISTRATOR):
            visible = self.all()
        else:
            return self.none()
        # ACC-SKYDDAD: protected cases only for users explicitly authorised.
        return visible.filter(person__skyddad_identitet=False)
