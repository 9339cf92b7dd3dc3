"""Reads of the provider's uppdrag: the inkorg and the provider's case page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, Subquery

from uppfolj.arenden.models import Arende, Bevakning, Handelse, Uppdrag
from uppfolj.arenden.services import handelse_as_event
from uppfolj.domain.engine import CANCELLED, OPEN
from uppfolj.domain.ibic import LIVSOMRADEN
from uppfolj.domain.rules import is_executing

from .models import Kontaktpersonal, Slutanteckning
from .services.uppdrag import UTFORARSTEG, kontaktpersonal_for_fa

# The clocks the inkorg shows running on each uppdrag (RULES.md).
INKORG_REGLER = ("BS-KONTAKT-3VD", "BS-VERKST-1M", "BS-SLUTANT")

# Deadlines that only the authority acts on; the provider's page leaves them out.
MYNDIGHETENS_BEVAKNINGAR = frozenset(
    {
        "GEN-IVO-3M",
        "GEN-IVO-AVBROTT-3M",
        "GEN-BESLUT-UTGAR",
        "SBMS-UPPF-3M",
        "VOB-UPPF-12M",
        "GEN-TAT-UPPF-3M",
        "SBMS-LEXSARAH",
        "GEN-FRANVARO-1M",
    }
)

RETURNERADE_VISAS = 20


@dataclass
class InkorgRad:
    arende: Arende
    uppdrag: Uppdrag | None
    skickat: date | None
    bevakningar: list[Bevakning] = field(default_factory=list)
    kontaktpersonal: list[Kontaktpersonal] = field(default_factory=list)

    @property
    def for_fa_kontaktpersonal(self) -> bool:
        return kontaktpersonal_for_fa(len(self.kontaktpersonal))


@dataclass
class Inkorg:
    nya: list[InkorgRad]
    pagaende: list[InkorgRad]
    slutanteckning: list[InkorgRad]
    returnerade: list[Uppdrag]

    @property
    def arenden(self) -> list[Arende]:
        """Return the cases shown, for the access log."""
        return [rad.arende for rad in (*self.nya, *self.pagaende, *self.slutanteckning)]


def _closed(ref: str) -> Exists:
    return Exists(Handelse.objects.filter(arende=OuterRef(ref), typ="avslut"))


def _final_note(ref: str) -> Exists:
    return Exists(Slutanteckning.objects.filter(arende=OuterRef(ref)))


def inkorg(*, user: Any, today: date) -> Inkorg:
    """Return the provider's uppdrag: new, ongoing, awaiting a final note, and sent back."""
    visible = Arende.objects.visible_to(user)
    newer = Uppdrag.objects.filter(arende=OuterRef("arende")).filter(
        Q(datum__gt=OuterRef("datum")) | Q(datum=OuterRef("datum"), pk__gt=OuterRef("pk"))
    )
    current = (
        Uppdrag.objects.filter(arende__in=visible, utforare_id=user.utforare_id)
        .exclude(status=Uppdrag.Status.RETURNERAT)
        .exclude(Exists(newer))
        .annotate(avslutat=_closed("arende"), har_slutanteckning=_final_note("arende"))
        .select_related("arende__person")
        .order_by("datum", "arende__arende_id")
    )
    # Cases imported from another system carry their uppdrag as an event only.
    sent_event = Handelse.objects.filter(arende=OuterRef("pk"), typ="uppdrag_skickat").order_by(
        "-datum", "-id"
    )
    imported = (
        visible.exclude(Exists(Uppdrag.objects.filter(arende=OuterRef("pk"))))
        .annotate(
            skickat=Subquery(sent_event.values("datum")[:1]),
            avslutat=_closed("pk"),
            har_slutanteckning=_final_note("pk"),
        )
        .select_related("person")
        .order_by("arende_id")
    )
    rows: list[tuple[InkorgRad, bool, bool]] = [
        (InkorgRad(u.arende, u, u.datum), u.avslutat, u.har_slutanteckning)  # type: ignore[attr-defined]
        for u in current
    ]
    rows += [
        (InkorgRad(a, None, a.skickat), a.avslutat, a.har_slutanteckning)  # type: ignore[attr-defined]
        for a in imported
    ]
    ids = [rad.arende.pk for rad, _, _ in rows]
    clocks: dict[int, list[Bevakning]] = defaultdict(list)
    for bevakning in Bevakning.objects.filter(
        arende_id__in=ids, regel__in=INKORG_REGLER, status=OPEN
    ).order_by("forfaller", "regel"):
        clocks[bevakning.arende_id].append(bevakning)
    staff: dict[int, list[Kontaktpersonal]] = defaultdict(list)
    for kontakt in (
        Kontaktpersonal.objects.filter(arende_id__in=ids)
        .filter(Q(till__isnull=True) | Q(till__gte=today))
        .select_related("personal")
    ):
        staff[kontakt.arende_id].append(kontakt)

    nya: list[InkorgRad] = []
    pagaende: list[InkorgRad] = []
    slutanteckning: list[InkorgRad] = []
    for rad, avslutat, har_slutanteckning in rows:
        rad.bevakningar = clocks[rad.arende.pk]
        rad.kontaktpersonal = staff[rad.arende.pk]
        if rad.uppdrag is not None and rad.uppdrag.status == Uppdrag.Status.SKICKAT:
            if not avslutat:
                nya.append(rad)
        elif not avslutat:
            pagaende.append(rad)
        elif not har_slutanteckning:
            slutanteckning.append(rad)
    # The most pressing clock first; uppdrag without a running clock after them.
    pagaende.sort(key=lambda r: r.bevakningar[0].forfaller if r.bevakningar else date.max)
    returnerade = list(
        Uppdrag.objects.filter(utforare_id=user.utforare_id, status=Uppdrag.Status.RETURNERAT)
        .select_related("arende", "svar__besvarat_av")
        .order_by("-svar__besvarat", "-id")[:RETURNERADE_VISAS]
    )
    return Inkorg(nya, pagaende, slutanteckning, returnerade)


# --- The provider's case page ---------------------------------------------------------------


def timmar_minuter_per_vecka(minuter: int | None) -> str:
    """Return 180 as "3 tim 0 min per vecka"."""
    if not minuter:
        return ""
    hours, rest = divmod(int(minuter), 60)
    return f"{hours} tim {rest} min per vecka"


def utforare_nasta_steg(
    *,
    accepterat: bool,
    avslutat: bool,
    har_slutanteckning: bool,
    antal_kontaktpersonal: int,
    registrerade: set[str],
) -> list[str]:
    """Return the provider's next steps on a case (003 Genomföra insats)."""
    if avslutat:
        if har_slutanteckning:
            return ["Ärendet är avslutat och slutanteckningen är skriven."]
        return ["Ärendet är avslutat. Skriv slutanteckningen skyndsamt (BS-SLUTANT)."]
    if not accepterat:
        return ["Läs uppdraget. Acceptera det, eller skicka tillbaka det med ett skäl."]
    steps = []
    if kontaktpersonal_for_fa(antal_kontaktpersonal):
        steps.append("Fördela uppdraget: minst två kontaktpersonal bör kopplas till den enskilde.")
    if not registrerade & set(UTFORARSTEG):
        steps.append("Ta kontakt med den enskilde inom tre vardagar (BS-KONTAKT-3VD).")
    if "uppstartsmote" not in registrerade and "verkstallt" not in registrerade:
        steps.append("Planera in ett uppstartsmöte med den enskilde.")
    if "verkstallt" not in registrerade:
        steps.append(
            "Registrera verkställighet när den enskilde börjar få stödet, senast en månad "
            "efter att uppdraget kom in (BS-VERKST-1M)."
        )
    return steps or ["Insatsen pågår. Arbeta enligt genomförandeplanen."]


def utforare_arende_detalj(arende: Arende, today: date) -> dict[str, Any]:
    """Return what the provider's case page shows, in a fixed number of queries."""
    handelser = list(arende.handelser.order_by("datum", "id"))
    beslut = next((h for h in reversed(handelser) if h.typ == "beslut"), None)
    uppdrag = (
        Uppdrag.objects.filter(arende=arende)
        .select_related("skapad_av", "svar__besvarat_av")
        .order_by("-datum", "-id")
        .first()
    )
    kontaktpersonal = list(arende.kontaktpersonal.select_related("personal", "tilldelad_av"))
    aktiva = [k for k in kontaktpersonal if k.till is None or k.till >= today]
    avslut = next((h for h in reversed(handelser) if h.typ == "avslut"), None)
    # A new uppdrag before the insats is first verkställd starts the steps over, as it
    # starts BS-KONTAKT-3VD and BS-VERKST-1M; one sent later continues the insats.
    events = [handelse_as_event(h) for h in handelser]
    sent = max(
        (
            i
            for i, h in enumerate(handelser)
            if h.typ == "uppdrag_skickat" and not is_executing(events, i)
        ),
        default=0,
    )
    steg = {
        typ: next((h for h in reversed(handelser[sent:]) if h.typ == typ), None)
        for typ in UTFORARSTEG
    }
    accepterat = uppdrag is None or uppdrag.status == Uppdrag.Status.ACCEPTERAT
    slutanteckning = (
        Slutanteckning.objects.filter(arende=arende).select_related("skriven_av").first()
    )
    return {
        "nasta": utforare_nasta_steg(
            accepterat=accepterat,
            avslutat=avslut is not None,
            har_slutanteckning=slutanteckning is not None,
            antal_kontaktpersonal=len(aktiva),
            registrerade={typ for typ, h in steg.items() if h is not None},
        ),
        "uppdrag": uppdrag,
        "uppdrag_svar": getattr(uppdrag, "svar", None) if uppdrag else None,
        "uppdrag_handelse": next(
            (h for h in reversed(handelser) if h.typ == "uppdrag_skickat"), None
        ),
        "livsomraden": [LIVSOMRADEN.get(code, code) for code in (uppdrag.livsomraden or [])]
        if uppdrag
        else [],
        "beslut_handelse": beslut,
        "beviljad_tid": timmar_minuter_per_vecka(beslut.data.get("minuter_per_vecka"))
        if beslut
        else "",
        "bevakningar": list(
            arende.bevakningar.exclude(regel__in=MYNDIGHETENS_BEVAKNINGAR)
            .exclude(status=CANCELLED)
            .order_by("forfaller", "regel")
        ),
        "kontaktpersonal": aktiva,
        "for_fa_kontaktpersonal": kontaktpersonal_for_fa(len(aktiva)),
        "steg": steg,
        "kan_registrera_steg": accepterat and avslut is None,
        "avslut": avslut,
        "slutanteckning": slutanteckning,
        "today": today,
    }
