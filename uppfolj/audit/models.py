"""The change log and the access log (ACC-LOGG)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


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
    arende = models.ForeignKey(
        "arenden.Arende",
        verbose_name="ärende",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
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
    arende = models.ForeignKey(
        "arenden.Arende", verbose_name="ärende", on_delete=models.PROTECT, related_name="+"
    )
    vy = models.CharField("vy", max_length=100)
    skal = models.CharField("skäl", max_length=500, blank=True)

    class Meta:
        ordering = ["-tidpunkt", "-id"]
        indexes = [models.Index(fields=["arende", "-tidpunkt"])]
        verbose_name = "läslogg"
        verbose_name_plural = "läslogg"

    def __str__(self) -> str:
        return f"{self.tidpunkt:%Y-%m-%d %H:%M} {self.vy} ärende {self.arende_id}"
