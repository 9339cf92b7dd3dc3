"""The provider side: contact staff, genomförandeplan, consents, daily notes, summaries, visits."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from uppfolj.accounts.models import Utforare
from uppfolj.arenden.models import Arende, Handelse, Person
from uppfolj.domain.ibic import LIVSOMRADEN

USER = settings.AUTH_USER_MODEL


class Kontaktpersonal(models.Model):
    """A staff member assigned to an individual by the stödpedagog (at least two, 003)."""

    arende = models.ForeignKey(Arende, on_delete=models.PROTECT, related_name="kontaktpersonal")
    personal = models.ForeignKey(
        USER, verbose_name="kontaktpersonal", on_delete=models.PROTECT, related_name="+"
    )
    fran = models.DateField("från")
    till = models.DateField("till", null=True, blank=True)
    tilldelad_av = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["fran", "id"]
        verbose_name = "kontaktpersonal"
        verbose_name_plural = "kontaktpersonal"

    def __str__(self) -> str:
        return f"{self.personal} för {self.arende}"


class Genomforandeplan(models.Model):
    """One version of the genomförandeplan; a revision is a new version, never an edit."""

    ANDRA_PLANER = [
        ("sip", "Samordnad individuell plan (SIP)"),
        ("ips", "Individual placement support (IPS)"),
        ("samlarteam", "Samlarteam"),
        ("daglig_verksamhet", "Daglig verksamhet"),
    ]

    arende = models.ForeignKey(Arende, on_delete=models.PROTECT, related_name="planer")
    version = models.PositiveIntegerField("version")
    handelse = models.OneToOneField(
        Handelse, on_delete=models.PROTECT, related_name="genomforandeplan"
    )
    datum = models.DateField("upprättad")
    arbetssatt = models.TextField(
        "arbetsmetod", help_text="Hur boendestödet stöttar den enskilde i genomförandet."
    )
    bemotande = models.TextField("bemötande", help_text="Hur den enskilde vill bli bemött.")
    krisplan = models.TextField(
        "krisplan", help_text="Vad som görs vid försämring i hälsotillstånd eller välbefinnande."
    )
    krisplan_kontakter = models.TextField(
        "vem som ska kontaktas",
        blank=True,
        help_text="Namn och telefon till dem den enskilde samtyckt till att vi kontaktar.",
    )
    krisplan_samtycke = models.BooleanField(
        "den enskilde samtycker till att de angivna kontaktas", default=False
    )
    delaktighet = models.BooleanField("den enskilde har deltagit i att upprätta planen")
    delaktighet_beskrivning = models.TextField(
        "hur delaktigheten eftersträvats",
        blank=True,
        help_text="Krävs om den enskilde inte deltagit: hur delaktighet eftersträvats och "
        "varför det inte gick.",
    )
    andra_planer = models.JSONField("andra planer som samordnas", default=list, blank=True)
    andra_planer_beskrivning = models.TextField("samordning med andra planer", blank=True)
    kopia_overlamnad = models.DateField("kopia överlämnad till den enskilde", null=True, blank=True)
    skapad_av = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    skapad = models.DateTimeField("registrerad", auto_now_add=True)

    class Meta:
        ordering = ["arende", "version"]
        constraints = [
            models.UniqueConstraint(fields=["arende", "version"], name="en_planversion_per_nummer")
        ]
        verbose_name = "genomförandeplan"
        verbose_name_plural = "genomförandeplaner"

    def __str__(self) -> str:
        return f"Genomförandeplan {self.arende} version {self.version}"


class Delmal(models.Model):
    """A SMART sub-goal, tied to one IBIC life area."""

    plan = models.ForeignKey(Genomforandeplan, on_delete=models.CASCADE, related_name="delmal")
    ordning = models.PositiveSmallIntegerField("ordning", default=0)
    livsomrade = models.CharField("livsområde", max_length=40, choices=list(LIVSOMRADEN.items()))
    mal = models.TextField("delmål", help_text="Vad ska uppnås? Specifikt och angeläget.")
    aktiviteter = models.TextField("aktiviteter", help_text="Hur stödet ska ges.")
    matbart = models.TextField("hur vi ser att målet är nått", help_text="Mätbart.")
    klart_senast = models.DateField("klart senast", help_text="Tidsbegränsat.")

    class Meta:
        ordering = ["plan", "ordning", "id"]
        verbose_name = "delmål"
        verbose_name_plural = "delmål"

    def __str__(self) -> str:
        return self.mal[:60]


class Samtycke(models.Model):
    """A consent given by the individual: counterpart, scope, period (ACC-SAMTYCKE)."""

    class GivetHur(models.TextChoices):
        MUNTLIGT = "muntligt", "Muntligt"
        SKRIFTLIGT = "skriftligt", "Skriftligt"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="samtycken")
    motpart = models.CharField("motpart", max_length=200, help_text="Vem uppgifter får delas med.")
    utforare = models.ForeignKey(
        Utforare, verbose_name="gäller utföraren", null=True, blank=True, on_delete=models.PROTECT
    )
    omfattning = models.TextField(
        "omfattning", help_text="Vilka uppgifter, till exempel genomförandeplanen."
    )
    fran = models.DateField("gäller från")
    till = models.DateField("gäller till", null=True, blank=True)
    givet_hur = models.CharField("givet", max_length=20, choices=GivetHur.choices)
    omfattar_genomforandeplan = models.BooleanField(
        "socialsekreteraren får ta del av genomförandeplanen", default=False
    )
    registrerat_av = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    registrerat = models.DateTimeField("registrerat", auto_now_add=True)
    aterkallat = models.DateField("återkallat", null=True, blank=True)
    aterkallat_av = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-fran", "-id"]
        verbose_name = "samtycke"
        verbose_name_plural = "samtycken"

    def __str__(self) -> str:
        return f"Samtycke {self.person} – {self.motpart}"


class Sammanstallning(models.Model):
    """A summary of a period's daily notes, transferred to the journal (003, 89 days)."""

    class Status(models.TextChoices):
        UTKAST = "utkast", "Utkast"
        OVERFORD = "overford", "Överförd till journalen"

    arende = models.ForeignKey(Arende, on_delete=models.PROTECT, related_name="sammanstallningar")
    period_fran = models.DateField("period från")
    period_till = models.DateField("period till")
    tidsanvandning = models.TextField(
        "hur tiden använts", help_text="Avbokningar, outnyttjad tid, behov av mer tid."
    )
    malarbete_individ = models.TextField("hur den enskilde upplever målarbetet")
    malarbete_utforare = models.TextField("hur utföraren upplever målarbetet")
    klagomal = models.TextField("klagomål och vad som gjorts", blank=True)
    antal_anteckningar = models.PositiveIntegerField("antal daganteckningar", default=0)
    antal_avbokningar = models.PositiveIntegerField("antal avbokningar", default=0)
    antal_uteblivna = models.PositiveIntegerField("antal uteblivna besök", default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UTKAST)
    overford = models.DateField("överförd", null=True, blank=True)
    handelse = models.OneToOneField(
        Handelse, null=True, blank=True, on_delete=models.PROTECT, related_name="sammanstallning"
    )
    skriven_av = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    skapad = models.DateTimeField("skapad", auto_now_add=True)
    # Optimistic locking of the shared draft: each save counts up, and a save from a form
    # opened at an older version is refused (SammanstallningKonflikt).
    version = models.PositiveIntegerField("version", default=1, db_default=1)
    andrad_av = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    andrad = models.DateTimeField("senast ändrad", null=True, blank=True)

    class Meta:
        ordering = ["-period_till", "-id"]
        verbose_name = "sammanställning"
        verbose_name_plural = "sammanställningar"

    def __str__(self) -> str:
        return f"Sammanställning {self.period_fran}–{self.period_till}"


class Daganteckning(models.Model):
    """A daily note: working material, append-only, deleted once summarised and transferred."""

    class Typ(models.TextChoices):
        ANTECKNING = "anteckning", "Anteckning"
        AVBOKNING = "avbokning", "Avbokning"
        UTEBLIVEN = "utebliven", "Utebliven kontakt (inte hemma, inte avbokat)"
        SJUKHUS = "sjukhus", "Sjukhusinläggning"
        HJALPMEDEL = "hjalpmedel", "Nytt hjälpmedel eller välfärdsteknik"
        KLAGOMAL = "klagomal", "Klagomål"

    arende = models.ForeignKey(Arende, on_delete=models.PROTECT, related_name="daganteckningar")
    handelse = models.OneToOneField(
        Handelse, null=True, blank=True, on_delete=models.SET_NULL, related_name="daganteckning"
    )
    datum = models.DateField("datum")
    typ = models.CharField("typ", max_length=20, choices=Typ.choices, default=Typ.ANTECKNING)
    delmal = models.ForeignKey(
        Delmal, verbose_name="delmål", null=True, blank=True, on_delete=models.SET_NULL
    )
    text = models.TextField("anteckning")
    skriven_av = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    skriven = models.DateTimeField("registrerad", auto_now_add=True)
    felaktig_skal = models.TextField("skäl till felmarkering", blank=True)
    felmarkerad = models.DateTimeField("felmarkerad", null=True, blank=True)
    felmarkerad_av = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rattar = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="rattelse"
    )
    sammanstallning = models.ForeignKey(
        Sammanstallning,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="daganteckningar",
    )

    class Meta:
        ordering = ["datum", "skriven", "id"]
        indexes = [models.Index(fields=["arende", "datum"])]
        verbose_name = "daganteckning"
        verbose_name_plural = "daganteckningar"

    def __str__(self) -> str:
        return f"{self.datum} {self.get_typ_display()}"


class Besok(models.Model):
    """A visit in the time register: when, where, by whom (the inspectors' time tool, 004)."""

    class Plats(models.TextChoices):
        HEMMA = "hemma", "I hemmet"
        UTE = "ute", "Utanför hemmet"
        DIGITALT = "digitalt", "Digitalt"

    arende = models.ForeignKey(Arende, on_delete=models.PROTECT, related_name="besok")
    personal = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    start = models.DateTimeField("start")
    slut = models.DateTimeField("slut")
    plats = models.CharField("plats", max_length=20, choices=Plats.choices)
    registrerad_av = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    registrerad = models.DateTimeField("registrerad", auto_now_add=True)

    class Meta:
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["arende", "start"])]
        verbose_name = "besök"
        verbose_name_plural = "besök"

    def __str__(self) -> str:
        return f"Besök {self.start:%Y-%m-%d %H:%M}"

    @property
    def minuter(self) -> int:
        return int((self.slut - self.start).total_seconds() // 60)


class SamlarteamChecklista(models.Model):
    """The five questions asked with the individual before a referral to the samlarteam."""

    FRAGOR = (
        "Jag har svårt att använda ett eller flera rum i mitt hem på grund av den mängd "
        "saker som ligger i vägen",
        "Jag mår dåligt, får ångest eller känner mig ledsen när jag behöver göra mig av med "
        "saker även gällande sådant som jag har stora mängder av",
        "Jag har svårt att motstå att köpa saker eller plocka hem från exempelvis soprum",
        "Mängden av saker i mitt hem orsakar problem med exempelvis min hälsa, ekonomi och "
        "nära relationer",
        "Jag har svårigheter i att fatta beslut om vad jag ska slänga och behålla",
    )

    arende = models.ForeignKey(Arende, on_delete=models.PROTECT, related_name="samlarchecklistor")
    datum = models.DateField("datum")
    svar = models.JSONField("svar", help_text="Fem svar ja/nej i checklistans ordning.")
    registrerad_av = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-datum", "-id"]
        verbose_name = "samlarteamets checklista"
        verbose_name_plural = "samlarteamets checklistor"

    def __str__(self) -> str:
        return f"Checklista {self.datum}"

    @property
    def antal_ja(self) -> int:
        return sum(1 for answer in self.svar if answer)


class Slutanteckning(models.Model):
    """The provider's final note after the case is closed (BS-SLUTANT)."""

    arende = models.OneToOneField(Arende, on_delete=models.PROTECT, related_name="slutanteckning")
    handelse = models.OneToOneField(Handelse, on_delete=models.PROTECT, related_name="+")
    datum = models.DateField("datum")
    text = models.TextField("slutanteckning")
    skriven_av = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    skriven = models.DateTimeField("registrerad", auto_now_add=True)

    class Meta:
        verbose_name = "slutanteckning"
        verbose_name_plural = "slutanteckningar"

    def __str__(self) -> str:
        return f"Slutanteckning {self.arende}"


class UppdragSvar(models.Model):
    """The provider's answer to an uppdrag: accepted, or sent back with a reason."""

    uppdrag = models.OneToOneField("arenden.Uppdrag", on_delete=models.PROTECT, related_name="svar")
    accepterat = models.BooleanField("accepterat")
    skal = models.TextField("skäl", blank=True)
    besvarat_av = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    besvarat = models.DateTimeField("besvarat", auto_now_add=True)

    class Meta:
        verbose_name = "svar på uppdrag"
        verbose_name_plural = "svar på uppdrag"

    def __str__(self) -> str:
        return f"{'Accepterat' if self.accepterat else 'Returnerat'}: {self.uppdrag}"
