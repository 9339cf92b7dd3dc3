"""The authority side's records: the person, the case, its events and stored bevakningar."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from uppfolj.accounts.models import Distrikt, Utforare
from uppfolj.domain.engine import OPEN, OVERDUE, STATUS_NAMN
from uppfolj.domain.rules import DEADLINE_RULES_BY_ID, WARNING_RULES_BY_ID
from uppfolj.domain.timeline import BOENDEFORM_NAMN, EVENT_TYPES, INSATS_NAMN

from .access import ArendeQuerySet


class Kon(models.TextChoices):
    KVINNA = "kvinna", "Kvinna"
    MAN = "man", "Man"


class Verksamhetsomrade(models.TextChoices):
    SOCIALPSYKIATRI = "socialpsykiatri", "Socialpsykiatri"
    FUNKTIONSNEDSATTNING = "funktionsnedsattning", "Funktionsnedsättning"
    ALDREOMSORG = "aldreomsorg", "Äldreomsorg"


class Person(models.Model):
    """The individual at the centre of one or more cases."""

    personnummer = models.CharField("personnummer", max_length=13, unique=True)
    fornamn = models.CharField("förnamn", max_length=100)
    efternamn = models.CharField("efternamn", max_length=100)
    kon = models.CharField("kön", max_length=10, choices=Kon.choices)
    fodd = models.DateField("född")
    minderariga_barn = models.PositiveSmallIntegerField("minderåriga barn i hushållet", default=0)
    skyddad_identitet = models.BooleanField("skyddade personuppgifter", default=False)

    class Meta:
        ordering = ["efternamn", "fornamn"]
        verbose_name = "person"
        verbose_name_plural = "personer"

    def __str__(self) -> str:
        return f"{self.fornamn} {self.efternamn}"


class Arende(models.Model):
    """A case: one individual's handling of one insats over time."""

    INSATS_CHOICES = list(INSATS_NAMN.items())

    arende_id = models.CharField("ärende-id", max_length=50, unique=True)
    person = models.ForeignKey(
        Person, verbose_name="person", on_delete=models.PROTECT, related_name="arenden"
    )
    insats = models.CharField("insats", max_length=40, choices=INSATS_CHOICES)
    boendeform = models.CharField("boendeform", max_length=40, blank=True)
    verksamhetsomrade = models.CharField(
        "verksamhetsområde", max_length=40, choices=Verksamhetsomrade.choices, blank=True
    )
    distrikt = models.ForeignKey(
        Distrikt, verbose_name="distrikt", null=True, blank=True, on_delete=models.PROTECT
    )
    utforare = models.ForeignKey(
        Utforare, verbose_name="utförare", null=True, blank=True, on_delete=models.PROTECT
    )
    handlaggare = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ansvarig handläggare",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="arenden",
    )
    tatare_uppfoljning = models.BooleanField("tätare uppföljning", default=False)
    skapad = models.DateTimeField("skapad", auto_now_add=True)

    objects = ArendeQuerySet.as_manager()

    class Meta:
        ordering = ["arende_id"]
        verbose_name = "ärende"
        verbose_name_plural = "ärenden"

    def __str__(self) -> str:
        return self.arende_id

    @property
    def boendeform_namn(self) -> str:
        return BOENDEFORM_NAMN.get(self.boendeform, self.boendeform)


class Handelse(models.Model):
    """A typed, dated event on a case; the engine's timeline is these rows in order."""

    arende = models.ForeignKey(
        Arende, verbose_name="ärende", on_delete=models.PROTECT, related_name="handelser"
    )
    typ = models.CharField("typ", max_length=40, choices=list(EVENT_TYPES.items()))
    datum = models.DateField("datum")
    # The type's extra fields as TIMELINE.md names them (utfall, from, to, …).
    data = models.JSONField("uppgifter", default=dict, blank=True)
    registrerad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="registrerad av",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registrerad = models.DateTimeField("registrerad", auto_now_add=True)

    class Meta:
        ordering = ["datum", "id"]
        indexes = [models.Index(fields=["arende", "datum", "id"])]
        verbose_name = "händelse"
        verbose_name_plural = "händelser"

    def __str__(self) -> str:
        return f"{self.datum} {self.get_typ_display()}"


class Bevakning(models.Model):
    """A stored deadline instance, recomputed whenever the case's events change.

    An unmet instance of a running case is stored as open; whether it is
    overdue depends on the day it is looked at (see `effektiv_status`).
    """

    STATUS_CHOICES = list(STATUS_NAMN.items())

    arende = models.ForeignKey(
        Arende, verbose_name="ärende", on_delete=models.CASCADE, related_name="bevakningar"
    )
    regel = models.CharField("regel", max_length=40)
    start = models.DateField("start")
    forfaller = models.DateField("förfaller")
    status = models.CharField("status", max_length=20, choices=STATUS_CHOICES)
    uppfylld = models.DateField("uppfylld", null=True, blank=True)

    class Meta:
        ordering = ["forfaller", "regel", "start"]
        indexes = [
            models.Index(fields=["status", "forfaller"]),
            models.Index(fields=["arende", "forfaller"]),
        ]
        verbose_name = "bevakning"
        verbose_name_plural = "bevakningar"

    def __str__(self) -> str:
        return f"{self.regel} förfaller {self.forfaller}"

    def effektiv_status(self, today: date) -> str:
        if self.status == OPEN and self.forfaller < today:
            return OVERDUE
        return self.status

    @property
    def rule(self):  # type: ignore[no-untyped-def]
        return DEADLINE_RULES_BY_ID[self.regel]


class Varning(models.Model):
    """A stored warning; an overridable one may carry the user's written reason."""

    arende = models.ForeignKey(
        Arende, verbose_name="ärende", on_delete=models.CASCADE, related_name="varningar"
    )
    regel = models.CharField("regel", max_length=40)
    datum = models.DateField("datum")
    meddelande = models.TextField("meddelande")

    class Meta:
        ordering = ["datum", "regel"]
        verbose_name = "varning"
        verbose_name_plural = "varningar"

    def __str__(self) -> str:
        return f"{self.regel} {self.datum}"

    @property
    def rule(self):  # type: ignore[no-untyped-def]
        return WARNING_RULES_BY_ID[self.regel]
