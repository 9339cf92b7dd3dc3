"""The authority side's records: the person, the case, its events and stored bevakningar."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from uppfolj.accounts.models import Distrikt, Utforare
from uppfolj.domain.engine import OPEN, OVERDUE, STATUS_NAMN
from uppfolj.domain.rules import DEADLINE_RULES_BY_ID, WARNING_RULES_BY_ID
from uppfolj.domain.sortering import SVENSK_SORTERING
from uppfolj.domain.stodnivaer import NIVA_VAL
from uppfolj.domain.timeline import BOENDEFORM_NAMN, EVENT_TYPES, INSATS_NAMN

from .access import ArendeQuerySet

# Bistånd under the Socialtjänstlag (2025:400) in force since 1 July 2025; seed 003:
# "Boendestöd är ett bistånd enligt 11 kapitlet 1 § socialtjänstlagen".
LAGRUM_BISTAND = "SoL 11 kap. 1 §"


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
    fornamn = models.CharField("förnamn", max_length=100, db_collation=SVENSK_SORTERING)
    efternamn = models.CharField("efternamn", max_length=100, db_collation=SVENSK_SORTERING)
    kon = models.CharField("kön", max_length=10, choices=Kon.choices)
    fodd = models.DateField("född")
    minderariga_barn = models.PositiveSmallIntegerField("minderåriga barn i hushållet", default=0)
    skyddad_identitet = models.BooleanField("skyddade personuppgifter", default=False)
    adress = models.CharField("adress", max_length=200, blank=True)
    postnummer = models.CharField("postnummer", max_length=10, blank=True)
    ort = models.CharField("ort", max_length=100, blank=True)
    telefon = models.CharField("telefon", max_length=40, blank=True)
    tolkbehov = models.CharField(
        "tolkbehov (språk)", max_length=100, blank=True, help_text="Lämna tomt om tolk inte behövs."
    )
    akk_behov = models.CharField(
        "behov av alternativ och kompletterande kommunikation (AKK)", max_length=200, blank=True
    )

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
        # Served by the index on (handlaggare, distrikt) below.
        db_index=False,
    )
    tatare_uppfoljning = models.BooleanField("tätare uppföljning", default=False)
    skapad = models.DateTimeField("skapad", auto_now_add=True)

    objects = ArendeQuerySet.as_manager()

    class Meta:
        ordering = ["arende_id"]
        verbose_name = "ärende"
        verbose_name_plural = "ärenden"
        indexes = [
            # A social worker's own cases within what they may see (Mina bevakningar:
            # the handläggare, and the worker's own district, `visible_q`). With an
            # index per column PostgreSQL read the whole district's entries and
            # intersected them with the worker's; this one also serves the worker alone.
            models.Index(fields=["handlaggare", "distrikt"], name="arende_handlaggare_distrikt"),
        ]

    def __str__(self) -> str:
        return self.arende_id

    @property
    def boendeform_namn(self) -> str:
        return BOENDEFORM_NAMN.get(self.boendeform, self.boendeform)

    def forsta_avslut(self) -> Handelse | None:
        """Return the case's first avslut event (the day the case closed), or None."""
        return self.handelser.filter(typ="avslut").order_by("datum", "id").first()

    def ar_avslutat(self) -> bool:
        """Return whether the case has been closed (an avslut event is recorded)."""
        return self.handelser.filter(typ="avslut").exists()


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
            # Mina bevakningar: the open rows of one handläggare's cases.
            models.Index(
                fields=["arende", "status", "forfaller"], name="bevakning_arende_status_idx"
            ),
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


class Granskningsfakta(models.Model):
    """A case's part in the audit's figures, stored so the city-wide report need not
    walk every case's events (`uppfolj.arenden.fakta`).

    Computed from the events up to `berakna_per` and the same on every later day before
    `giltig_till` (NULL: every later day) unless the events change, when the services
    recompute it; the report falls back to the events for a row that is missing or not
    valid on its day. The texts are '|'-separated: the event's date and id, then values.
    """

    arende = models.OneToOneField(
        Arende, verbose_name="ärende", on_delete=models.PROTECT, primary_key=True
    )
    berakna_per = models.DateField("beräknad per")
    giltig_till = models.DateField("giltig till", null=True, blank=True)
    # The texts are NULL for "none", as `_genomlopning` gives them, and so that MIN over
    # `forsta` in SQL skips the cases without one (an empty text would sort first).
    # The granting decision in force: date|id|from|to|minutes per week.
    beslut = models.TextField("beslut i kraft", null=True, blank=True)  # noqa: DJ001
    verkstallt = models.DateField("första verkställighet", null=True, blank=True)
    # The longest gap in days between two daily notes since the first execution.
    glapp = models.IntegerField("längsta glapp", null=True, blank=True)
    sista = models.DateField("sista daganteckning", null=True, blank=True)
    # The latest current plan and the latest uppdrag, each with its flag last.
    plan = models.TextField("aktuell plan", null=True, blank=True)  # noqa: DJ001
    uppdrag = models.TextField("senaste uppdrag", null=True, blank=True)  # noqa: DJ001
    barnperspektiv = models.IntegerField("barnperspektiv", default=0)
    byten = models.IntegerField("ändrade stödnivåer", default=0)
    skickade = models.IntegerField("skickade uppdrag", default=0)
    # The case's first granting decision: date|id|from.
    forsta = models.TextField("första beviljande", null=True, blank=True)  # noqa: DJ001

    class Meta:
        verbose_name = "granskningsfakta"
        verbose_name_plural = "granskningsfakta"

    def __str__(self) -> str:
        return f"{self.arende_id} per {self.berakna_per}"


class OvrigInsats(models.Model):
    """Another insats the person has (from another system), for the combination warnings."""

    class Typ(models.TextChoices):
        HEMTJANST = "hemtjanst", "Hemtjänst"
        BOENDESTOD = "boendestod", "Boendestöd"
        SOCIALT_BOENDE_MED_STOD = "socialt_boende_med_stod", "Socialt boende med stöd"
        ANNAN = "annan", "Annan insats"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="ovriga_insatser")
    typ = models.CharField("insats", max_length=40, choices=Typ.choices)
    fran = models.DateField("från")
    till = models.DateField("till", null=True, blank=True)

    class Meta:
        verbose_name = "övrig insats"
        verbose_name_plural = "övriga insatser"

    def __str__(self) -> str:
        return f"{self.get_typ_display()} {self.fran}–{self.till or ''}"


class Dokument(models.Model):
    """Common fields of a case document; each document is tied to the event it records."""

    arende = models.ForeignKey(Arende, verbose_name="ärende", on_delete=models.PROTECT)
    handelse = models.OneToOneField(
        Handelse, verbose_name="händelse", on_delete=models.PROTECT, related_name="%(class)s"
    )
    datum = models.DateField("datum")
    skapad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="registrerad av",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    skapad = models.DateTimeField("registrerad", auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["datum", "id"]


class Anmalan(Dokument):
    """Someone else reports that a person needs support; never shown back to the reporter."""

    anmalare_namn = models.CharField("anmälarens namn", max_length=200)
    anmalare_relation = models.CharField(
        "anmälarens relation", max_length=200, help_text="Till exempel anhörig, vården, hyresvärd."
    )
    anmalare_kontakt = models.CharField(
        "hur anmälaren nås", max_length=200, help_text="Telefon, e-post eller adress."
    )
    beskrivning = models.TextField("vad anmälan gäller")

    class Meta(Dokument.Meta):
        verbose_name = "anmälan om behov"
        verbose_name_plural = "anmälningar om behov"

    def __str__(self) -> str:
        return f"Anmälan {self.datum}"


class Ansokan(Dokument):
    """The individual's own application (003 Hantera ansökan)."""

    class Form(models.TextChoices):
        MUNTLIG = "muntlig", "Muntlig"
        SKRIFTLIG = "skriftlig", "Skriftlig"

    sokande = models.CharField(
        "vem ansöker", max_length=200, help_text="Den enskilde, eller namn på ställföreträdare."
    )
    form = models.CharField("ansökan inkom", max_length=20, choices=Form.choices)
    begard_minuter_per_vecka = models.PositiveIntegerField(
        "begärd omfattning (minuter per vecka)", null=True, blank=True
    )
    begard_period = models.CharField("begärd period", max_length=200, blank=True)
    beskrivning = models.TextField("vad ansökan gäller", blank=True)

    class Meta(Dokument.Meta):
        verbose_name = "ansökan"
        verbose_name_plural = "ansökningar"

    def __str__(self) -> str:
        return f"Ansökan {self.datum}"


class Utredning(Dokument):
    """Investigation of needs per IBIC life area, with analysis and assessment."""

    behov = models.JSONField(
        "behov per livsområde",
        default=dict,
        blank=True,
        help_text="Livsområdets kod enligt IBIC mot en beskrivning av behovet.",
    )
    analys = models.TextField("analys och bedömning")
    barnperspektiv = models.TextField(
        "barnperspektiv",
        blank=True,
        help_text="Hur barnens situation och bästa har beaktats (om det finns barn i hushållet).",
    )
    stodniva = models.CharField(
        "bedömd stödnivå",
        max_length=10,
        blank=True,
        choices=NIVA_VAL,
    )
    personalens_syn = models.TextField("boendepersonalens syn på stödbehovet", blank=True)

    class Meta(Dokument.Meta):
        verbose_name = "utredning"
        verbose_name_plural = "utredningar"

    def __str__(self) -> str:
        return f"Utredning {self.datum}"


class Beslut(Dokument):
    """A decision on an insats (003 Besluta)."""

    class Utfall(models.TextChoices):
        BIFALL = "bifall", "Bifall"
        DELVIS = "delvis", "Delvis bifall"
        AVSLAG = "avslag", "Avslag"

    insats = models.CharField("insats", max_length=40, choices=list(INSATS_NAMN.items()))
    lagrum = models.CharField("lagrum", max_length=100, default=LAGRUM_BISTAND)
    utfall = models.CharField("utfall", max_length=10, choices=Utfall.choices)
    minuter_per_vecka = models.PositiveIntegerField(
        "omfattning (minuter per vecka)", null=True, blank=True
    )
    fran = models.DateField("gäller från")
    till = models.DateField("gäller till", null=True, blank=True)
    aterkallelseforbehall = models.BooleanField("återkallelseförbehåll", default=False)
    motivering = models.TextField("motivering")
    beslutsfattare = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="beslutsfattare (enligt delegation)",
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta(Dokument.Meta):
        verbose_name = "beslut"
        verbose_name_plural = "beslut"

    def __str__(self) -> str:
        return f"Beslut {self.datum} ({self.get_utfall_display()})"

    @property
    def omfattning_text(self) -> str:
        if self.minuter_per_vecka is None:
            return ""
        hours, minutes = divmod(self.minuter_per_vecka, 60)
        return f"{hours} tim {minutes} min per vecka"


class Uppdrag(Dokument):
    """The assignment sent from the authority to a provider (002, 003)."""

    class Status(models.TextChoices):
        SKICKAT = "skickat", "Skickat"
        ACCEPTERAT = "accepterat", "Accepterat"
        RETURNERAT = "returnerat", "Returnerat"

    utforare = models.ForeignKey(Utforare, verbose_name="utförare", on_delete=models.PROTECT)
    mal = models.TextField("mål med insatsen")
    personligt_mal = models.TextField("den enskildes egna mål", blank=True)
    livsomraden = models.JSONField("livsområden", default=list, blank=True)
    aktiviteter = models.TextField("aktiviteter", blank=True)
    delmal = models.TextField("delmål", blank=True)
    underlag_ej_kommunicerat = models.BooleanField(
        "utföraren informeras om att den enskilde inte tagit del av beslutsunderlaget",
        default=False,
    )
    stodniva = models.CharField(
        "stödnivå",
        max_length=10,
        blank=True,
        choices=NIVA_VAL,
    )
    hyra_fran = models.DateField("betalar hyra från", null=True, blank=True)
    ovrig_information = models.TextField(
        "övrig information",
        blank=True,
        help_text="Till exempel att den enskilde inte tagit del av beslutsunderlaget, "
        "eller skyddade personuppgifter.",
    )
    tatare_uppfoljning = models.BooleanField("tätare uppföljning", default=False)
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.SKICKAT
    )

    class Meta(Dokument.Meta):
        verbose_name = "uppdrag"
        verbose_name_plural = "uppdrag"

    def __str__(self) -> str:
        return f"Uppdrag {self.datum} till {self.utforare}"

    @property
    def strukturerat(self) -> bool:
        """Goal, personal goal, life area, activity and sub-goal all given (004)."""
        return all([self.mal, self.personligt_mal, self.livsomraden, self.aktiviteter, self.delmal])


class Avslut(Dokument):
    """Closing of the case, with reasons (003 Avsluta och utvärdera ärendet)."""

    skal = models.TextField("skäl för avslut")
    atgarder = models.TextField("åtgärder som vidtagits för att anpassa insatsen", blank=True)

    class Meta(Dokument.Meta):
        verbose_name = "avslut"
        verbose_name_plural = "avslut"

    def __str__(self) -> str:
        return f"Avslut {self.datum}"


class VarningKvittens(models.Model):
    """A user's written reason for going ahead despite a warning."""

    arende = models.ForeignKey(Arende, on_delete=models.PROTECT, related_name="kvittenser")
    regel = models.CharField("regel", max_length=40)
    datum = models.DateField("varningens datum")
    skal = models.TextField("skäl")
    aktor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="kvitterad av",
        on_delete=models.PROTECT,
        related_name="+",
    )
    tidpunkt = models.DateTimeField("tidpunkt", auto_now_add=True)

    class Meta:
        ordering = ["tidpunkt"]
        verbose_name = "kvitterad varning"
        verbose_name_plural = "kvitterade varningar"

    def __str__(self) -> str:
        return f"{self.regel} {self.datum}"


class Journalanteckning(models.Model):
    """A permanent journal entry: never edited or deleted, only marked wrong and corrected."""

    arende = models.ForeignKey(Arende, on_delete=models.PROTECT, related_name="journal")
    datum = models.DateField("händelsedatum")
    rubrik = models.CharField("rubrik", max_length=200)
    text = models.TextField("anteckning")
    skriven_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="skriven av",
        on_delete=models.PROTECT,
        related_name="+",
    )
    skriven = models.DateTimeField("registrerad", auto_now_add=True)
    felaktig_skal = models.TextField("skäl till felmarkering", blank=True)
    felmarkerad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="felmarkerad av",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    felmarkerad = models.DateTimeField("felmarkerad", null=True, blank=True)
    rattar = models.OneToOneField(
        "self",
        verbose_name="rättar anteckning",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rattelse",
    )

    class Meta:
        ordering = ["datum", "skriven", "id"]
        verbose_name = "journalanteckning"
        verbose_name_plural = "journalanteckningar"

    def __str__(self) -> str:
        return f"{self.datum} {self.rubrik}"

    @property
    def ar_felaktig(self) -> bool:
        return self.felmarkerad is not None


class Behorighet(models.Model):
    """An explicit grant to a protected-identity case (ACC-SKYDDAD)."""

    arende = models.ForeignKey(Arende, on_delete=models.PROTECT, related_name="behorigheter")
    anvandare = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="användare",
        on_delete=models.PROTECT,
        related_name="behorigheter",
    )
    beviljad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="beviljad av",
        on_delete=models.PROTECT,
        related_name="+",
    )
    beviljad = models.DateTimeField("beviljad", auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["arende", "anvandare"], name="en_behorighet_per_person")
        ]
        verbose_name = "behörighet"
        verbose_name_plural = "behörigheter"

    def __str__(self) -> str:
        return f"{self.anvandare} → {self.arende}"


class IvoRapport(models.Model):
    """A quarter's report to IVO of decisions not executed and interruptions not resumed."""

    kvartal = models.CharField("kvartal", max_length=7, help_text="ÅÅÅÅ-Kn")
    # Each district (stadsdelsnämnd) reports its own cases to IVO.
    distrikt = models.ForeignKey(
        Distrikt, verbose_name="distrikt", null=True, blank=True, on_delete=models.PROTECT
    )
    skickad = models.DateField("skickad")
    skickad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="skickad av",
        on_delete=models.PROTECT,
        related_name="+",
    )
    antal = models.PositiveIntegerField("antal rapporterade")

    class Meta:
        ordering = ["-kvartal"]
        constraints = [
            models.UniqueConstraint(
                fields=["kvartal", "distrikt"], name="en_ivo_rapport_per_kvartal_och_distrikt"
            )
        ]
        verbose_name = "rapport till IVO"
        verbose_name_plural = "rapporter till IVO"

    def __str__(self) -> str:
        return f"IVO {self.kvartal}"


class Utkast(models.Model):
    """A long form's draft, kept as the user types so a dropped session loses nothing."""

    anvandare = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="utkast"
    )
    formular = models.CharField("formulär", max_length=100)
    arende = models.ForeignKey(Arende, null=True, blank=True, on_delete=models.CASCADE)
    data = models.JSONField("innehåll", default=dict)
    sparat = models.DateTimeField("sparat", auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["anvandare", "formular", "arende"], name="ett_utkast_per_formular"
            )
        ]
        verbose_name = "utkast"
        verbose_name_plural = "utkast"

    def __str__(self) -> str:
        return f"Utkast {self.formular}"
