"""Reads of cases; every one starts from Arende.objects.visible_to(user)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Generic, NamedTuple, TypeVar

from django.db.models import Case, Prefetch, Q, QuerySet, Value, When

from uppfolj.accounts.models import Roll, User
from uppfolj.domain.engine import CANCELLED, OPEN, OVERDUE
from uppfolj.domain.rules import DEADLINE_RULES, LocalDefaults
from uppfolj.lib.kompilerad import kor

from .access import dolda_skyddade, synlighet, visible_q
from .models import Arende, Beslut, Bevakning, Handelse, Uppdrag, Varning
from .rader import anvandare, arendets_rader, senaste


def arenden_lista(
    *,
    user: Any,
    today: date,
    insats: str = "",
    distrikt_id: int | None = None,
    endast_forsenade: bool = False,
) -> QuerySet[Arende]:
    """Return the cases `user` may see, with their stored bevakningar, filtered."""
    cases = Arende.objects.visible_to(user).select_related(
        "person", "distrikt", "utforare", "handlaggare"
    )
    if insats:
        cases = cases.filter(insats=insats)
    if distrikt_id:
        cases = cases.filter(distrikt_id=distrikt_id)
    if endast_forsenade:
        cases = cases.filter(
            Q(bevakningar__status=OPEN, bevakningar__forfaller__lt=today)
            | Q(bevakningar__status=OVERDUE)
        ).distinct()
    # Overdue first, then open by due date, then what is already settled.
    urgency = Case(
        When(status=OPEN, forfaller__lt=today, then=Value(0)),
        When(status=OVERDUE, then=Value(0)),
        When(status=OPEN, then=Value(1)),
        default=Value(2),
    )
    return cases.prefetch_related(
        Prefetch(
            "bevakningar",
            queryset=Bevakning.objects.exclude(status=CANCELLED)
            .annotate(angelagenhet=urgency)
            .order_by("angelagenhet", "forfaller", "regel"),
        ),
        "varningar",
    ).order_by("arende_id")


@dataclass(frozen=True)
class NastaSteg:
    text: str
    steg: str | None = None


def nasta_steg(arende: Arende, handelser: list[Handelse]) -> list[NastaSteg]:
    """Return the authority's next step(s) on a case, from the events it has."""
    types = [h.typ for h in handelser]
    if "avslut" in types:
        return [NastaSteg("Ärendet är avslutat. Utföraren skriver en slutanteckning.")]
    last_beslut = max((i for i, t in enumerate(types) if t == "beslut"), default=-1)
    last_utredning = max((i for i, t in enumerate(types) if t == "utredning"), default=-1)
    # A case imported from another system may start at a later step, without an ansökan.
    started = last_beslut >= 0 or last_utredning >= 0
    if "ansokan" not in types and not started:
        if "anmalan" in types:
            return [
                NastaSteg(
                    "En utredning kan inledas först när den enskilde själv ansökt. "
                    "Kontakta den enskilde och registrera ansökan.",
                    "ansokan",
                )
            ]
        return [NastaSteg("Registrera ansökan eller anmälan om behov.", "ansokan")]
    communicated = any(
        t in ("kommunicerat", "kommunicering_avbojd") for t in types[last_utredning + 1 :]
    )
    if not started:
        return [NastaSteg("Utred behovet per livsområde.", "utredning")]
    if last_beslut < last_utredning:
        if not communicated:
            return [NastaSteg("Kommunicera underlaget med den enskilde.", "kommunicering")]
        return [NastaSteg("Fatta beslut.", "beslut")]
    beslut = handelser[last_beslut]
    if beslut.data.get("utfall") == "avslag":
        return [NastaSteg("Ansökan är avslagen. Avsluta ärendet eller utred på nytt.", "avslut")]
    if "uppdrag_skickat" not in types[last_beslut:] and "verkstallt" not in types:
        return [NastaSteg("Skicka uppdrag till utföraren.", "uppdrag")]
    if "verkstallt" not in types and arende.utforare_id is None:
        # The provider sent the uppdrag back: the case has no provider any more.
        return [NastaSteg("Uppdraget skickades tillbaka. Skicka ett nytt uppdrag.", "uppdrag")]
    if "verkstallt" not in types:
        return [
            NastaSteg(
                "Bevaka att utföraren tar kontakt och verkställer. Registrera verkställighet "
                "när utföraren meddelat det.",
                "verkstallighet",
            )
        ]
    paused = "paus" in types and (
        max(i for i, t in enumerate(types) if t == "paus")
        > max((i for i, t in enumerate(types) if t == "ateruppta"), default=-1)
    )
    if paused:
        return [
            NastaSteg(
                "Insatsen är pausad. Bedöm fortsatt paus, återuppta eller avsluta.", "ateruppta"
            )
        ]
    return [NastaSteg("Insatsen pågår. Följ upp enligt bevakningarna.")]


# The case page's events and bevakningar, kept on the case instance for the request so
# that the page's sections from other apps filter them instead of reading them again.
_SIDANS_RADER = "_uppfolj_sidans_rader"


def sidans_handelser(arende: Any) -> list[Handelse] | None:
    """Return all events of `arende`, oldest first, if the case page has already read them
    on this instance (arende_detalj), else None: the caller then queries."""
    rader = getattr(arende, _SIDANS_RADER, None)
    return rader[0] if rader else None


def sidans_bevakningar(arende: Any) -> list[Bevakning] | None:
    """Return the bevakningar of `arende` that are not cancelled, by due date, if the case
    page has already read them on this instance, else None."""
    rader = getattr(arende, _SIDANS_RADER, None)
    return rader[1] if rader else None


def sidans_varningar(arende: Any) -> list[Varning] | None:
    """Return the warnings stored on `arende` if the case page has already read them on
    this instance, else None."""
    rader = getattr(arende, _SIDANS_RADER, None)
    return rader[2] if rader else None


def _sista_beslut(arende: Arende) -> QuerySet[Beslut]:
    return senaste(Beslut.objects.filter(arende=arende).select_related("beslutsfattare"))


def _sista_uppdrag(arende: Arende) -> QuerySet[Uppdrag]:
    return senaste(
        Uppdrag.objects.filter(arende=arende).select_related("utforare", "svar__besvarat_av")
    )


def arende_detalj(arende: Arende, today: date) -> dict[str, Any]:
    """Return what the case page shows, in a fixed number of queries, each compiled once
    (`arendets_rader`)."""
    handelser = arendets_rader("handelser", lambda a: a.handelser.order_by("datum", "id"), arende)
    # Who registered each event, by key in a second query: a join makes PostgreSQL hash the
    # whole user table for a case's hundred events (its cost grows with the staff, not the
    # case), and gives every event its own copy of the same few users.
    registrerade = anvandare(h.registrerad_av_id for h in handelser)
    field = Handelse._meta.get_field("registrerad_av")
    for handelse in handelser:  # the cache only: each event's key is its user's
        field.set_cached_value(handelse, registrerade.get(handelse.registrerad_av_id))  # type: ignore[union-attr]
    bevakningar = arendets_rader(
        "bevakningar",
        lambda a: a.bevakningar.exclude(status=CANCELLED).order_by("forfaller", "regel"),
        arende,
    )
    stored = arendets_rader("varningar", lambda a: a.varningar.all(), arende)
    setattr(arende, _SIDANS_RADER, (handelser, bevakningar, stored))
    kvittenser = {
        (k.regel, k.datum): k
        for k in arendets_rader(
            "kvittenser", lambda a: a.kvittenser.select_related("aktor"), arende
        )
    }
    pairs = [(v, kvittenser.get((v.regel, v.datum))) for v in stored]
    # Warnings that need records beyond the timeline (GEN-KOMB-*, GEN-BARN,
    # GEN-EJ-KOMMUNICERAT-UPPDRAG) are not stored on the case; the reasons given for
    # them when the decision or uppdrag was saved are shown all the same.
    shown = {(v.regel, v.datum) for v in stored}
    pairs += [
        (Varning(arende=arende, regel=k.regel, datum=k.datum), k)
        for key, k in kvittenser.items()
        if key not in shown
    ]
    pairs.sort(key=lambda pair: (pair[0].datum, pair[0].regel))
    varningar = [{"varning": v, "kvittens": k} for v, k in pairs]
    return {
        "handelser": list(reversed(handelser)),
        "bevakningar": bevakningar,
        "varningar": varningar,
        # Imported cases carry their decisions and uppdrag as events only.
        "beslut_handelse": next((h for h in reversed(handelser) if h.typ == "beslut"), None),
        "uppdrag_handelse": next(
            (h for h in reversed(handelser) if h.typ == "uppdrag_skickat"), None
        ),
        "beslut": next(iter(arendets_rader("beslut", _sista_beslut, arende)), None),
        # With the provider's answer (utforare/_uppdrag_svar.html), in the same query.
        "uppdrag": next(iter(arendets_rader("uppdrag", _sista_uppdrag, arende)), None),
        "nasta": nasta_steg(arende, handelser),
        "avslutat": any(h.typ == "avslut" for h in handelser),
        "today": today,
    }


# --- Bevakningar: the social worker's worklist, the unit's overdue list, the daily digest ---

# "Due soon" on Mina bevakningar, and in the daily digest.
SNART_DAGAR = 14
PAMINNELSE_DAGAR = 7


def mina_bevakningar(
    *, user: Any, regel: str = "", insats: str = "", distrikt_id: int | None = None
) -> QuerySet[Bevakning]:
    """Return the unmet bevakningar of the cases `user` is responsible for, by due date."""
    # The visible cases' condition on the rows' cases (one join, not a subquery).
    rows = Bevakning.objects.filter(
        visible_q(user, via="arende__"), arende__handlaggare_id=user.pk, status=OPEN
    )
    if insats:
        rows = rows.filter(arende__insats=insats)
    if distrikt_id:
        rows = rows.filter(arende__distrikt_id=distrikt_id)
    if regel:
        rows = rows.filter(regel=regel)
    return rows.select_related("arende__person", "arende__distrikt").order_by(
        "forfaller", "arende__arende_id", "regel"
    )


class Bevakningsrad(NamedTuple):
    """One row of a worklist: a bevakning with the columns of its case and person that the
    list shows, read as a tuple (`bevakningsrader`), not as three model instances."""

    regel: str
    start: date
    forfaller: date
    status: str
    arende_pk: int
    arende_id: str
    insats: str
    person: str
    personnummer: str
    handlaggare: str = ""

    def effektiv_status(self, today: date) -> str:
        """`Bevakning.effektiv_status`: an open bevakning past its due date is overdue."""
        if self.status == OPEN and self.forfaller < today:
            return OVERDUE
        return self.status


_RAD_KOLUMNER = (
    "regel",
    "start",
    "forfaller",
    "status",
    "arende_id",
    "arende__arende_id",
    "arende__insats",
    "arende__person__fornamn",
    "arende__person__efternamn",
    "arende__person__personnummer",
)
_HANDLAGGARE_KOLUMNER = (
    "arende__handlaggare__first_name",
    "arende__handlaggare__last_name",
    "arende__handlaggare__username",
)


def mina_bevakningsrader(
    *, user: Any, regel: str = "", insats: str = "", distrikt_id: int | None = None
) -> list[Bevakningsrad]:
    """Return `mina_bevakningar` as worklist rows, its SQL compiled once per shape (the
    user's `Synlighet.form` and which filters are set) instead of on every page."""
    synlig = synlighet(user)

    def bygg(
        anvandare: int,
        distrikt: int,
        utforare: int,
        f_regel: str,
        f_insats: str,
        f_distrikt: int,
    ) -> QuerySet[Any]:
        return mina_bevakningar(
            user=synlig.med_ids(anvandare, distrikt, utforare),
            regel=f_regel if regel else "",
            insats=f_insats if insats else "",
            distrikt_id=f_distrikt if distrikt_id else None,
        ).values_list(*_RAD_KOLUMNER)

    rows = kor(
        ("mina_bevakningar", synlig.form, bool(regel), bool(insats), bool(distrikt_id)),
        bygg,
        {**synlig.ids, "f_regel": regel, "f_insats": insats, "f_distrikt": distrikt_id or 0},
    )
    return [_bevakningsrad(row, handlaggare=False) for row in rows]


def bevakningsrader(
    bevakningar: QuerySet[Bevakning], *, handlaggare: bool = False
) -> list[Bevakningsrad]:
    """Return the rows of `bevakningar` (in its order) as worklist rows, with the
    responsible social worker's name (`User.visningsnamn`) if `handlaggare`."""
    columns = _RAD_KOLUMNER + (_HANDLAGGARE_KOLUMNER if handlaggare else ())
    return [_bevakningsrad(row, handlaggare) for row in bevakningar.values_list(*columns)]


def _bevakningsrad(row: Any, handlaggare: bool) -> Bevakningsrad:
    """Return one row of `_RAD_KOLUMNER` (and `_HANDLAGGARE_KOLUMNER`) as a worklist row."""
    namn = ""
    if handlaggare and row[12] is not None:
        namn = f"{row[10]} {row[11]}".strip() or row[12]
    # regel, start, forfaller, status, arende_pk, arende_id, insats, person (as
    # str(Person)), personnummer, handlaggare: by position, for the hundred rows of a page.
    return Bevakningsrad(
        row[0], row[1], row[2], row[3], row[4], row[5], row[6], f"{row[7]} {row[8]}", row[9], namn
    )


# A worklist row: a stored bevakning (the reminder e-mail) or a row read as a tuple.
T = TypeVar("T", Bevakning, Bevakningsrad)


@dataclass(frozen=True)
class BevakningGrupper(Generic[T]):
    forsenade: list[T]
    snart: list[T]
    senare: list[T]

    @property
    def arende_pks(self) -> list[int]:
        """Return the primary key of each case shown, once, for the access log."""
        pks: dict[int, None] = {}
        for row in [*self.forsenade, *self.snart, *self.senare]:
            pks[int(row.arende_pk if isinstance(row, Bevakningsrad) else row.arende_id)] = None
        return list(pks)


def bevakningar_gruppera(
    bevakningar: Iterable[T], today: date, snart_dagar: int = SNART_DAGAR
) -> BevakningGrupper[T]:
    """Return unmet bevakningar split into overdue, due within `snart_dagar`, and later."""
    groups: tuple[list[T], list[T], list[T]] = ([], [], [])
    for bevakning in bevakningar:
        days = (bevakning.forfaller - today).days
        groups[0 if days < 0 else 1 if days <= snart_dagar else 2].append(bevakning)
    return BevakningGrupper(*groups)


def enhetens_forsenade_bevakningar(*, user: Any, today: date) -> QuerySet[Bevakning]:
    """Return the overdue bevakningar of the visible cases in `user`'s district, oldest first."""
    cases = Arende.objects.visible_to(user).filter(distrikt_id=user.distrikt_id)
    return (
        Bevakning.objects.filter(arende__in=cases, status=OPEN, forfaller__lt=today)
        .select_related("arende__person", "arende__handlaggare")
        .order_by("forfaller", "arende__arende_id", "regel")
    )


def skyddade_forsenade_dolda(*, user: Any, today: date) -> int:
    """Return how many protected cases of `user`'s district have overdue bevakningar but
    are hidden from `user` for want of a grant (ACC-SKYDDAD): the unit's list says that
    they exist, never which they are, so that no overdue case is out of the unit's
    sight."""
    return (
        dolda_skyddade(user)
        # One filter: the same bevakning open and past due.
        .filter(bevakningar__status=OPEN, bevakningar__forfaller__lt=today)
        .values("pk")
        .distinct()
        .count()
    )


def paminnelse_mottagare() -> QuerySet[User]:
    """Return the social workers who get the daily digest: active, with an e-mail address."""
    return (
        User.objects.filter(
            is_active=True, roll__in=[Roll.SOCIALSEKRETERARE, Roll.FORSTE_SOCIALSEKRETERARE]
        )
        .exclude(email="")
        .order_by("username")
    )


def paminnelser(*, user: Any, today: date, defaults: LocalDefaults) -> QuerySet[Bevakning]:
    """Return `user`'s bevakningar that are overdue, due within a week or in their reminder time."""
    window = Q(forfaller__lte=today + timedelta(days=PAMINNELSE_DAGAR))
    for rule in DEADLINE_RULES:
        if rule.remind_days_before_setting:
            days = getattr(defaults, rule.remind_days_before_setting)
            window |= Q(regel=rule.id, forfaller__lte=today + timedelta(days=days))
    return mina_bevakningar(user=user).filter(window)
