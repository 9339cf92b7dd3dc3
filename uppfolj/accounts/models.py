"""Users, their roles, and the organisation they work in."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _

from uppfolj.domain.sortering import SVENSK_SORTERING


class Roll(models.TextChoices):
    SOCIALSEKRETERARE = "socialsekreterare", "Socialsekreterare"
    FORSTE_SOCIALSEKRETERARE = "forste_socialsekreterare", "Förste socialsekreterare"
    ENHETSCHEF = "enhetschef", "Enhetschef (myndighet)"
    BOENDESTODJARE = "boendestodjare", "Boendestödjare"
    STODPEDAGOG = "stodpedagog", "Stödpedagog"
    UTFORARCHEF = "utforarchef", "Enhetschef (utförare)"
    INSPEKTOR = "inspektor", "Inspektör"
    ADMINISTRATOR = "administrator", "Administratör"


MYNDIGHET_ROLLER = frozenset(
    {Roll.SOCIALSEKRETERARE, Roll.FORSTE_SOCIALSEKRETERARE, Roll.ENHETSCHEF}
)
UTFORAR_ROLLER = frozenset({Roll.BOENDESTODJARE, Roll.STODPEDAGOG, Roll.UTFORARCHEF})


class Distrikt(models.Model):
    """A district (stadsdel / stadsområde)."""

    namn = models.CharField("namn", max_length=100, unique=True, db_collation=SVENSK_SORTERING)

    class Meta:
        ordering = ["namn"]
        verbose_name = "distrikt"
        verbose_name_plural = "distrikt"

    def __str__(self) -> str:
        return self.namn


class Utforare(models.Model):
    """A provider: a municipal unit, a contracted or a private company."""

    class Driftform(models.TextChoices):
        KOMMUNAL = "kommunal", "Kommunal"
        UPPHANDLAD = "upphandlad", "Upphandlad"
        PRIVAT = "privat", "Privat (LOV/ramavtal)"

    namn = models.CharField("namn", max_length=200, unique=True, db_collation=SVENSK_SORTERING)
    driftform = models.CharField(
        "driftform", max_length=20, choices=Driftform.choices, default=Driftform.KOMMUNAL
    )

    class Meta:
        ordering = ["namn"]
        verbose_name = "utförare"
        verbose_name_plural = "utförare"

    def __str__(self) -> str:
        return self.namn


class User(AbstractUser):
    """A user of Uppfölj with one role, on the authority or the provider side."""

    # AbstractUser's names, sorted in Swedish alphabetical order.
    first_name = models.CharField(
        _("first name"), max_length=150, blank=True, db_collation=SVENSK_SORTERING
    )
    last_name = models.CharField(
        _("last name"), max_length=150, blank=True, db_collation=SVENSK_SORTERING
    )
    roll = models.CharField("roll", max_length=40, choices=Roll.choices)
    distrikt = models.ForeignKey(
        Distrikt, verbose_name="distrikt", null=True, blank=True, on_delete=models.PROTECT
    )
    utforare = models.ForeignKey(
        Utforare, verbose_name="utförare", null=True, blank=True, on_delete=models.PROTECT
    )
    # Demo accounts share a known password; production refuses them.
    is_demo = models.BooleanField("demokonto", default=False)

    class Meta:
        verbose_name = "användare"
        verbose_name_plural = "användare"

    @property
    def is_myndighet(self) -> bool:
        return self.roll in MYNDIGHET_ROLLER

    @property
    def is_utforare(self) -> bool:
        return self.roll in UTFORAR_ROLLER

    @property
    def visningsnamn(self) -> str:
        return self.get_full_name() or self.username


class Inloggning(AbstractBaseSession):
    """A session (Django's database session) with the user signed in to it, if any, so
    that a request reads its session and its user in one query."""

    anvandare = models.ForeignKey(
        User,
        verbose_name="användare",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta(AbstractBaseSession.Meta):
        verbose_name = "inloggning"
        verbose_name_plural = "inloggningar"

    @classmethod
    def get_session_store_class(cls) -> type[SessionBase]:
        from .sessions import SessionStore

        return SessionStore
