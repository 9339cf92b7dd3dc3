"""Reads of support levels, fee checks and lex Sarah reports, and the administration's list."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from uppfolj.accounts.models import MYNDIGHET_ROLLER, Roll
from uppfolj.arenden.access import names_hidden
from uppfolj.arenden.models import Arende, Bevakning, Handelse, Varning
from uppfolj.arenden.rader import arendets_rader
from uppfolj.arenden.selectors import sidans_handelser, sidans_varningar
from uppfolj.arenden.services import local_defaults
from uppfolj.domain.calendar import add_months
from uppfolj.domain.engine import OPEN
from uppfolj.domain.stodnivaer import niva_namn
from uppfolj.domain.tid import MANADSNAMN
from uppfolj.domain.timeline import SOCIALT_BOENDE_MED_STOD

from .models import Avgiftskontroll, LexSarahRapport, PersonalensStodbehov, StodnivaAndring

LAGENHETSBOENDE = "lagenhetsboende"
# The events that set a level (TIMELINE.md: stodniva_bedomd.niva, uppdrag_skickat.stodniva).
NIVA_HANDELSER = ("stodniva_bedomd", "uppdrag_skickat")
# Who reads the administration's list: the unit's managers, and the inspectors.
ADMINISTRATIONSLISTA_LASARE = frozenset(
    {Roll.ENHETSCHEF, Roll.FORSTE_SOCIALSEKRETERARE, Roll.INSPEKTOR}
)
SKYDDADE = "Skyddade personuppgifter"


def manad_text(manad: date) -> str:
    """Return a month as Swedish text: "mars 2026"."""
    return f"{MANADSNAMN[manad.month - 1]} {manad.year}"


def har_stodnivaer(arende: Arende) -> bool:
    """Return whether the case has support levels: socialt boende med stöd, lägenhetsboende."""
    return arende.insats == SOCIALT_BOENDE_MED_STOD and arende.boendeform == LAGENHETSBOENDE


# --- Support levels ---------------------------------------------------------------------


@dataclass(frozen=True)
class NivaPost:
    """One level set on a case: by a change here, an assessment, or an uppdrag."""

    handelse: Handelse
    niva: str
    tidigare: str | None
    andring: StodnivaAndring | None

    @property
    def datum(self) -> date:
        return self.handelse.datum

    @property
    def galler_fran(self) -> date:
        return self.andring.galler_fran if self.andring else self.handelse.datum

    @property
    def niva_namn(self) -> str:
        return niva_namn(self.niva)

    @property
    def tidigare_namn(self) -> str:
        return niva_namn(self.tidigare) if self.tidigare else ""

    @property
    def andrad(self) -> bool:
        """Return whether this entry changed the level (the first level counts as a change)."""
        return self.niva != self.tidigare

    @property
    def kalla(self) -> str:
        if self.andring:
            return "Ändring av stödnivå" if self.tidigare else "Stödnivå bedömd"
        if self.handelse.typ == "uppdrag_skickat":
            return "Uppdrag till utförare"
        return "Stödnivå bedömd"

    @property
    def sarskilt_behov(self) -> str:
        return str(self.handelse.data.get("sarskilt_behov") or "")


def _niva(handelse: Handelse) -> str | None:
    key = "niva" if handelse.typ == "stodniva_bedomd" else "stodniva"
    value = handelse.data.get(key)
    return str(value) if value else None


def _poster(handelser: Iterable[Handelse]) -> list[NivaPost]:
    """Return the levels of one case's level events, given in date order, oldest first."""
    poster: list[NivaPost] = []
    for handelse in handelser:
        niva = _niva(handelse)
        if niva is None:
            continue
        tidigare = poster[-1].niva if poster else None
        andring = getattr(handelse, "stodniva", None)
        poster.append(NivaPost(handelse, niva, tidigare, andring))
    return poster


def _niva_handelser() -> QuerySet[Handelse]:
    return Handelse.objects.filter(typ__in=NIVA_HANDELSER).select_related(
        "stodniva__registrerad_av", "registrerad_av"
    )


def stodniva_historik(arende: Arende) -> list[NivaPost]:
    """Return every level set on the case, newest first, changes here and imported alike."""
    sidans = sidans_handelser(arende)  # already read by the case page, oldest first
    if sidans is None:
        rows = arendets_rader(
            "stodniva_historik",
            lambda a: _niva_handelser().filter(arende=a).order_by("datum", "id"),
            arende,
        )
        return list(reversed(_poster(rows)))
    # The page's events, each with the change made here that set it, if any (as
    # select_related would have joined it: a reverse one-to-one without one raises
    # RelatedObjectDoesNotExist).
    andringar = {
        andring.handelse_id: andring
        for andring in arendets_rader(
            "stodnivaandringar",
            lambda a: StodnivaAndring.objects.filter(arende=a).select_related("registrerad_av"),
            arende,
        )
    }
    rows = [h for h in sidans if h.typ in NIVA_HANDELSER]
    for handelse in rows:
        andring = andringar.get(handelse.pk)
        _ANDRING.set_cached_value(handelse, andring)
        if andring is not None:
            _HANDELSE.set_cached_value(andring, handelse)
    return list(reversed(_poster(rows)))


# StodnivaAndring.handelse, and its reverse side (`handelse.stodniva`).
_HANDELSE = StodnivaAndring._meta.get_field("handelse")
_ANDRING = _HANDELSE.remote_field


def personalens_bedomningar(arende: Arende) -> list[PersonalensStodbehov]:
    """Return the provider's answers to the three questions, newest first."""
    return list(arende.personalens_stodbehov.select_related("skriven_av"))


# --- Fees ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AvgiftManad:
    """One checked month: paid or not, by a check here or an imported event."""

    manad: date
    betald: bool
    kontroll: Avgiftskontroll | None

    @property
    def text(self) -> str:
        return manad_text(self.manad)


def avgift_manader(arende: Arende) -> list[AvgiftManad]:
    """Return the checked months, newest first; imported unpaid months count too."""
    kontroller = arendets_rader(
        "avgiftskontroller", lambda a: a.avgiftskontroller.select_related("kontrollerad_av"), arende
    )
    linked = {k.handelse_id for k in kontroller if k.handelse_id}
    months = {k.manad: AvgiftManad(k.manad, k.betald, k) for k in kontroller}
    sidans = sidans_handelser(arende)  # already read by the case page, oldest first
    obetalda = (
        arende.handelser.filter(typ="egenavgift_obetald")
        if sidans is None
        else [h for h in sidans if h.typ == "egenavgift_obetald"]
    )
    for handelse in obetalda:
        manad = handelse.datum.replace(day=1)
        if handelse.pk not in linked and manad not in months:
            months[manad] = AvgiftManad(manad, False, None)
    return sorted(months.values(), key=lambda m: m.manad, reverse=True)


def upprepad_obetald(arende: Arende, today: date) -> Varning | None:
    """Return the SBMS-EGENAVG-UPPREPAD warning of the last months, if the engine raised one."""
    fran = add_months(today, -local_defaults().egenavgift_fonster_manader)
    sidans = sidans_varningar(arende)  # already read by the case page
    if sidans is not None:
        senaste = [v for v in sidans if v.regel == "SBMS-EGENAVG-UPPREPAD" and v.datum > fran]
        return max(senaste, key=lambda v: v.datum, default=None)
    rows = arendets_rader(
        ("upprepad_obetald", fran),
        lambda a: a.varningar.filter(regel="SBMS-EGENAVG-UPPREPAD", datum__gt=fran).order_by(
            "-datum"
        )[:1],
        arende,
    )
    return rows[0] if rows else None


def hyra_fran(arende: Arende) -> tuple[date, date] | None:
    """Return (the date rent is paid from, the uppdrag's date) from the latest uppdrag saying so."""
    for handelse in arende.handelser.filter(typ="uppdrag_skickat").order_by("-datum", "-id"):
        value = handelse.data.get("hyra_fran")
        if value:
            return date.fromisoformat(value), handelse.datum
    return None


# --- Lex Sarah ----------------------------------------------------------------------------

MOTER_LEX_SARAH = ("handlaggare_kontaktad", "uppfoljning")


@dataclass(frozen=True)
class LexSarahPost:
    """One lex Sarah report: the event, its report (none if imported) and what met it."""

    handelse: Handelse
    rapport: LexSarahRapport | None
    mott_av: Handelse | None
    bevakning: Bevakning | None

    @property
    def oppen(self) -> bool:
        return self.mott_av is None

    def status(self, today: date) -> str:
        if self.bevakning is not None:
            return self.bevakning.effektiv_status(today)
        return OPEN if self.oppen else "met"


def lex_sarah_poster(arende: Arende) -> list[LexSarahPost]:
    """Return the case's lex Sarah reports, newest first, each with what met it."""
    typer = ("lex_sarah", *MOTER_LEX_SARAH)
    sidans = sidans_handelser(arende)  # already read by the case page, oldest first
    if sidans is not None and not any(h.typ == "lex_sarah" for h in sidans):
        return []  # no report: nothing to read about one
    if sidans is None:
        handelser = list(
            arende.handelser.filter(typ__in=typer)
            .select_related("registrerad_av")
            .order_by("datum", "id")
        )
    else:
        handelser = [h for h in sidans if h.typ in typer]
    rapporter = {
        r.handelse_id: r
        for r in arendets_rader(
            "lex_sarah_rapporter",
            lambda a: LexSarahRapport.objects.filter(arende=a).select_related(
                "rapporterad_av", "handlaggare_kontaktad"
            ),
            arende,
        )
    }
    bevakningar = {
        b.start: b
        for b in arendets_rader(
            "lex_sarah_bevakningar",
            lambda a: a.bevakningar.filter(regel="SBMS-LEXSARAH").order_by("start"),
            arende,
        )
    }
    poster = []
    for index, handelse in enumerate(handelser):
        if handelse.typ != "lex_sarah":
            continue
        rapport = rapporter.get(handelse.pk)
        # As the engine reads the timeline: the first contact or follow-up after the report.
        mott_av = (rapport.handlaggare_kontaktad if rapport else None) or next(
            (h for h in handelser[index + 1 :] if h.typ in MOTER_LEX_SARAH), None
        )
        poster.append(LexSarahPost(handelse, rapport, mott_av, bevakningar.get(handelse.datum)))
    return list(reversed(poster))


def uppfoljning_url(arende: Arende) -> str | None:
    """Return the new follow-up page of the case, if the follow-up part is installed."""
    try:
        return reverse("uppfoljning:ny", args=[arende.arende_id])
    except NoReverseMatch:
        pass
    path = f"/uppfoljning/arenden/{arende.arende_id}/ny/"
    try:
        resolve(path)
    except Resolver404:
        return None
    return path


# --- The case page's summary ---------------------------------------------------------------


def myndighet_oversikt(arende: Arende, today: date) -> dict[str, Any]:
    """Return level, fees and lex Sarah reports for the authority's case page."""
    historik = stodniva_historik(arende) if har_stodnivaer(arende) else []
    lex_sarah = lex_sarah_poster(arende)
    return {
        "har_stodnivaer": har_stodnivaer(arende),
        "aktuell": historik[0] if historik else None,
        "senaste_andring": next((p for p in historik if p.andring), None),
        "avgifter": avgift_manader(arende)[:6],
        "upprepad_obetald": upprepad_obetald(arende, today),
        "lex_sarah_oppna": [p for p in lex_sarah if p.oppen],
        "lex_sarah_antal": len(lex_sarah),
        "today": today,
    }


# --- The administration's list ------------------------------------------------------------


@dataclass(frozen=True)
class AdminRad:
    """One row of the administration's list; name and number masked where they must be."""

    arende: Arende
    namn: str
    personnummer: str
    skyddad: bool
    utforare: str
    handlaggare: str
    niva: str
    galler_fran: date | None
    tidigare: str = ""
    bedomd: date | None = None
    bedomd_av: str = ""


@dataclass(frozen=True)
class Administrationslista:
    aktuella: list[AdminRad]
    andringar: list[AdminRad]

    @property
    def arenden(self) -> list[Arende]:
        """Return each case shown once, for the access log."""
        rows = [*self.aktuella, *self.andringar]
        return list({r.arende.pk: r.arende for r in rows}.values())


def _lagenhetsboenden(user: Any) -> QuerySet[Arende]:
    cases = Arende.objects.filter(insats=SOCIALT_BOENDE_MED_STOD, boendeform=LAGENHETSBOENDE)
    if user.roll in MYNDIGHET_ROLLER:
        return cases.filter(distrikt_id=user.distrikt_id)
    if user.roll == Roll.INSPEKTOR:
        return cases
    return cases.none()


def administrationslista(*, user: Any, fran: date, till: date) -> Administrationslista:
    """Return every open lägenhetsboende with its current level, and the changes from
    `fran` to `till` by the date they apply from.

    The administration invoices everyone in lägenhetsboende, so the list covers the
    district's protected-identity cases too: those the user is not granted are shown by
    case id only (ACC-SKYDDAD), never by name or personnummer.
    """
    scope = _lagenhetsboenden(user)
    cases = list(scope.select_related("person", "utforare", "handlaggare").order_by("arende_id"))
    visible = set(
        Arende.objects.visible_to(user)
        .filter(pk__in=scope.values("pk"))
        .values_list("pk", flat=True)
    )
    events: dict[int, list[Handelse]] = defaultdict(list)
    closed: set[int] = set()
    rows = (
        Handelse.objects.filter(
            arende__in=scope.values("pk"), typ__in=(*NIVA_HANDELSER, "verkstallt", "avslut")
        )
        .select_related("stodniva__registrerad_av", "registrerad_av")
        .order_by("arende_id", "datum", "id")
    )
    for handelse in rows:
        if handelse.typ == "avslut":
            closed.add(handelse.arende_id)
        events[handelse.arende_id].append(handelse)
    hide_names = names_hidden(user)
    aktuella: list[AdminRad] = []
    andringar: list[AdminRad] = []
    for arende in cases:
        case_events = events[arende.pk]
        poster = _poster(h for h in case_events if h.typ in NIVA_HANDELSER)
        masked = arende.person.skyddad_identitet and arende.pk not in visible

        def rad(post: NivaPost | None, arende: Arende = arende, masked: bool = masked) -> AdminRad:
            person = arende.person
            return AdminRad(
                arende=arende,
                namn=SKYDDADE if masked else "" if hide_names else str(person),
                personnummer="" if masked or hide_names else person.personnummer,
                skyddad=masked,
                utforare=str(arende.utforare or ""),
                handlaggare=arende.handlaggare.visningsnamn if arende.handlaggare else "",
                niva=post.niva_namn if post else "",
                galler_fran=post.galler_fran if post else None,
                tidigare=post.tidigare_namn if post else "",
                bedomd=post.datum if post else None,
                bedomd_av=_bedomd_av(post) if post else "",
            )

        executed = any(h.typ == "verkstallt" for h in case_events)
        if arende.pk not in closed and (poster or executed):
            aktuella.append(rad(poster[-1] if poster else None))
        andringar.extend(
            rad(post) for post in poster if post.andrad and fran <= post.galler_fran <= till
        )
    andringar.sort(key=lambda r: (r.galler_fran or fran, r.arende.arende_id))
    return Administrationslista(aktuella, andringar)


def _bedomd_av(post: NivaPost) -> str:
    user = post.andring.registrerad_av if post.andring else post.handelse.registrerad_av
    return user.visningsnamn if user else ""
