"""Follow-up meetings and documents, support levels, fee checks and lex Sarah reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from uppfolj.arenden.models import Arende, Handelse
from uppfolj.domain.stodnivaer import NIVA_VAL

USER = settings.AUTH_USER_MODEL


class Uppfoljningsmote(models.Model):
    """A booked follow-up meeting with the individual, the social worker and contact staff."""

    class Form(models.TextChoices):
        FYSISKT = "fysiskt", "Fysiskt möte"
        DIGITALT = "digitalt", "Digitalt möte"

    class Status(models.TextChoices):
        BOKAT = "bokat", "Bokat"
        GENOMFORT = "genomfort", "Genomfört"
        INSTALLT = "installt", "Inställt"

    arende = models.ForeignKey(Arende, on_delete=models.PROTECT, related_name="uppfoljningsmoten")
    tid = models.DateTimeField("tid")
    form = models.CharField("form", max_length=20, choices=Form.choices)
    plats = models.CharField("plats eller länk", max_length=300, blank=True)
    kallade = models.TextField("kallade", help_text="Den enskilde, handläggare, kontaktpersonal …")
    bokat_av = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BOKAT)

    class Meta:
        ordering = ["tid"]
        verbose_name = "uppföljningsmöte"
        verbose_name_plural = "uppföljningsmöten"

    def __str__(self) -> str:
        return f"Uppföljningsmöte {timezone.localtime(self.tid):%Y-%m-%d %H:%M}"


class Uppfoljning(models.Model):
    """A follow-up document: the checklist's answers and the decision on continuation."""

    class Atgard(models.TextChoices):
        FORTSATT = "fortsatt", "Fortsätt som tidigare"
        JUSTERA_NIVA = "justera_niva", "Justera stödnivån"
        REVIDERA_UPPDRAG = "revidera_uppdrag", "Revidera uppdraget"
        BYT_UTFORARE = "byt_utforare", "Byt utförare inom pågående beslut"
        OMPROVNING = "omprovning", "Ompröva pågående beslut"
        NY_ANSOKAN = "ny_ansokan", "Ny ansökan och ny utredning"

    arende = models.ForeignKey(Arende, on_delete=models.PROTECT, related_name="uppfoljningar")
    handelse = models.OneToOneField(Handelse, on_delete=models.PROTECT, related_name="uppfoljning")
    mote = models.ForeignKey(
        Uppfoljningsmote, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    datum = models.DateField("datum")
    checklista = models.CharField("checklista", max_length=40)
    svar = models.JSONField("svar", default=dict)
    den_enskilde_deltog = models.BooleanField("den enskilde deltog")
    orsak_ej_deltagit = models.TextField("orsak till att den enskilde inte deltog", blank=True)
    samma_utforare = models.BooleanField("fortsatt hos samma utförare", null=True, blank=True)
    atgard = models.CharField("ställningstagande", max_length=30, choices=Atgard.choices)
    nasta_mote = models.DateField("nästa uppföljningsmöte", null=True, blank=True)
    skriven_av = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    skapad = models.DateTimeField("registrerad", auto_now_add=True)

    class Meta:
        ordering = ["-datum", "-id"]
        verbose_name = "uppföljning"
        verbose_name_plural = "uppföljningar"

    def __str__(self) -> str:
        return f"Uppföljning {self.datum}"


class StodnivaAndring(models.Model):
    """A support level set or changed, with its reasons and the date it applies from (002)."""

    arende = models.ForeignKey(Arende, on_delete=models.PROTECT, related_name="stodnivaer")
    handelse = models.OneToOneField(Handelse, on_delete=models.PROTECT, related_name="stodniva")
    niva = models.CharField("stödnivå", max_length=10, choices=NIVA_VAL)
    galler_fran = models.DateField("gäller från")
    hur_behovet_andrats = models.TextField(
        "på vilket sätt har behovet av stöd ökat eller minskat", blank=True
    )
    anledning = models.TextField("anledning till det förändrade behovet", blank=True)
    varaktighet = models.TextField("varaktighet över tid", blank=True)
    sarskilt_behov = models.TextField(
        "särskilt behov av att ändra nivån tidigare än en månad", blank=True
    )
    bedomt_behov_minuter = models.PositiveIntegerField(
        "bedömt behov av individuellt stöd (minuter per vecka)", null=True, blank=True
    )
    personalens_bedomning = models.TextField("boendepersonalens bedömning", blank=True)
    registrerad_av = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    registrerad = models.DateTimeField("registrerad", auto_now_add=True)

    class Meta:
        ordering = ["-galler_fran", "-id"]
        verbose_name = "stödnivå"
        verbose_name_plural = "stödnivåer"

    def __str__(self) -> str:
        return f"{self.get_niva_display()} från {self.galler_fran}"


class PersonalensStodbehov(models.Model):
    """The provider's input before a follow-up: the three questions of seed 002."""

    arende = models.ForeignKey(
        Arende, on_delete=models.PROTECT, related_name="personalens_stodbehov"
    )
    datum = models.DateField("datum")
    behov_justeras = models.BooleanField("stödnivån behöver justeras")
    hur_behovet_andrats = models.TextField(
        "på vilket sätt har den enskildes behov av stöd ökat respektive minskat?", blank=True
    )
    anledning = models.TextField("vad är anledningen till det förändrade behovet?", blank=True)
    varaktighet = models.TextField("varaktighet över tid?", blank=True)
    skriven_av = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    skapad = models.DateTimeField("registrerad", auto_now_add=True)

    class Meta:
        ordering = ["-datum", "-id"]
        verbose_name = "personalens bedömning av stödbehov"
        verbose_name_plural = "personalens bedömningar av stödbehov"

    def __str__(self) -> str:
        return f"Personalens bedömning {self.datum}"


class Avgiftskontroll(models.Model):
    """The monthly check that the previous month's egenavgift was paid (000)."""

    arende = models.ForeignKey(Arende, on_delete=models.PROTECT, related_name="avgiftskontroller")
    manad = models.DateField("månad", help_text="Månadens första dag.")
    betald = models.BooleanField("betald")
    handelse = models.OneToOneField(
        Handelse, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kontrollerad_av = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    kontrollerad = models.DateTimeField("kontrollerad", auto_now_add=True)

    class Meta:
        ordering = ["-manad"]
        constraints = [
            models.UniqueConstraint(fields=["arende", "manad"], name="en_avgiftskontroll_per_manad")
        ]
        verbose_name = "kontroll av egenavgift"
        verbose_name_plural = "kontroller av egenavgift"

    def __str__(self) -> str:
        return f"Egenavgift {self.manad:%Y-%m}: {'betald' if self.betald else 'obetald'}"


class LexSarahRapport(models.Model):
    """A lex Sarah report on a case; the responsible social worker follows it up."""

    arende = models.ForeignKey(Arende, on_delete=models.PROTECT, related_name="lex_sarah")
    handelse = models.OneToOneField(Handelse, on_delete=models.PROTECT, related_name="+")
    datum = models.DateField("datum")
    beskrivning = models.TextField("vad rapporten gäller")
    rapporterad_av = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    handlaggare_kontaktad = models.OneToOneField(
        Handelse, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-datum", "-id"]
        verbose_name = "lex Sarah-rapport"
        verbose_name_plural = "lex Sarah-rapporter"

    def __str__(self) -> str:
        return f"Lex Sarah {self.datum}"
