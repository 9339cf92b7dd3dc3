"""The change log and the access log (ACC-LOGG)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from uppfolj.accounts.models import Roll


class AuditLog(models.Model):
    """One change: who, when, which service, on what, before and after."""

    tidpunkt = models.DateTimeField("tidpunkt", auto_now_add=True, db_index=True)
    aktor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utförd av",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    atgard = models.CharField("åtgärd", max_length=100)
    objekttyp = models.CharField("objekttyp", max_length=100)
    objekt_id = models.CharField("objekt-id", max_length=100)
    # SET_NULL: the log outlives a case deleted by gallring (arende_gallra), which
    # keeps the case's id in arende_ref; nothing else may delete a case.
    arende = models.ForeignKey(
        "arenden.Arende",
        verbose_name="ärende",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    arende_ref = models.CharField("gallrat ärendes id", max_length=50, blank=True, db_index=True)
    fore = models.JSONField("före", null=True, blank=True)
    efter = models.JSONField("efter", null=True, blank=True)

    class Meta:
        ordering = ["-tidpunkt", "-id"]
        verbose_name = "ändringslogg"
        verbose_name_plural = "ändringslogg"

    def __str__(self) -> str:
        return f"{self.tidpunkt:%Y-%m-%d %H:%M} {self.atgard} {self.objekttyp} {self.objekt_id}"


class AccessLog(models.Model):
    """One read of a case: who, when, what was shown."""

    tidpunkt = models.DateTimeField("tidpunkt", auto_now_add=True)
    aktor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="läst av",
        on_delete=models.PROTECT,
        related_name="+",
    )
    # As AuditLog.arende: the log outlives a case deleted by gallring.
    arende = models.ForeignKey(
        "arenden.Arende",
        verbose_name="ärende",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    arende_ref = models.CharField("gallrat ärendes id", max_length=50, blank=True, db_index=True)
    # The reader's role when reading: a user's role may change later.
    roll = models.CharField("roll", max_length=40, choices=Roll.choices, blank=True)
    vy = models.CharField("vy", max_length=100)
    skal = models.CharField("skäl", max_length=500, blank=True)
    # A refused read (403/404 for a case that exists) is logged too, once, and marked.
    nekad = models.BooleanField("nekad", default=False)

    class Meta:
        ordering = ["-tidpunkt", "-id"]
        indexes = [models.Index(fields=["arende", "-tidpunkt"])]
        verbose_name = "läslogg"
        verbose_name_plural = "läslogg"

    def __str__(self) -> str:
        nekad = " (nekad)" if self.nekad else ""
        return f"{self.tidpunkt:%Y-%m-%d %H:%M} {self.vy} ärende {self.arende_id}{nekad}"
