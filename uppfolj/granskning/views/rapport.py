"""The inspectors' report as a web page (issue 6): GRANSKNING.md's figures computed live,
two server-side SVG charts, and a drill-down to the cases behind each figure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import groupby
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from uppfolj.accounts.models import Distrikt, Roll
from uppfolj.arenden.access import names_hidden
from uppfolj.arenden.models import Arende, Handelse, Kon, Verksamhetsomrade
from uppfolj.arenden.services import handelse_as_event, local_defaults
from uppfolj.audit.services import access_record
from uppfolj.domain.granskning import (
    AR_MED_INSATS_GRUPPER,
    AR_MED_INSATS_NAMN,
    BESLUTSTID_GRUPPER,
    BESLUTSTID_NAMN,
    KOLUMN_NAMN,
    KOLUMNER,
    TOTALT,
    Fall,
    Fallresultat,
    avrunda,
    fallresultat,
    timmar_per_manad,
)
from uppfolj.domain.timeline import BOENDESTOD, INSATS_NAMN, Event, Timeline

from ..diagram import diagram_beslutstid, diagram_timmar
from ..selectors import forsta_beviljande, granskning_berakna, urval_arenden
from ..tabeller import OMRADE_NAMN, tal

RAPPORT_ROLLER = frozenset({Roll.INSPEKTOR, Roll.ENHETSCHEF, Roll.FORSTE_SOCIALSEKRETERARE})
VY = "granskning"


# --- Formatting ---------------------------------------------------------------------------


def procent(andel: float | int | None) -> str:
    """Return a share (a fraction of 1) as a Swedish percentage: "60 %", "66,7 %"."""
    if andel is None:
        return "–"
    value = Decimal(str(andel)) * 100
    if value == value.to_integral_value():
        return f"{int(value)} %"
    return f"{value.normalize():f} %".replace(".", ",")


def timmar(minuter_per_vecka: int) -> str:
    """Return one case's granted hours per month, rounded to one decimal."""
    return tal(float(avrunda(timmar_per_manad(minuter_per_vecka))))


# --- Selection -------------------------------------------------------------------------


class UrvalForm(forms.Form):
    distrikt = forms.ModelChoiceField(
        label="Distrikt",
        required=False,
        queryset=Distrikt.objects.all(),
        empty_label="Alla distrikt",
        to_field_name="namn",
    )
    insats = forms.ChoiceField(label="Insats", choices=list(INSATS_NAMN.items()), required=False)
    verksamhetsomrade = forms.ChoiceField(
        label="Verksamhetsområde",
        required=False,
        choices=[("", "Alla verksamhetsområden"), *Verksamhetsomrade.choices],
    )
    kon = forms.ChoiceField(label="Kön", required=False, choices=[("", "Alla"), *Kon.choices])
    as_of = forms.DateField(
        label="Utvärderingsdag",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        distrikt = self.fields["distrikt"]
        assert isinstance(distrikt, forms.ModelChoiceField)
        if getattr(user, "roll", "") != Roll.INSPEKTOR:
            distrikt.queryset = Distrikt.objects.filter(pk=user.distrikt_id)
            distrikt.empty_label = "Mitt distrikt"


@dataclass(frozen=True)
class Urval:
    cases: QuerySet[Arende]
    as_of: date
    urval: dict[str, Any]
    query: str


def _urval(request: HttpRequest) -> tuple[UrvalForm, Urval]:
    user = request.user
    if getattr(user, "roll", "") not in RAPPORT_ROLLER:
        raise PermissionDenied(
            "Granskningen är till för inspektörer, enhetschefer och förste socialsekreterare."
        )
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("insats", BOENDESTOD)
    data.setdefault("as_of", today.isoformat())
    form = UrvalForm(data, user=user)
    clean = form.cleaned_data if form.is_valid() else {}
    distrikt = clean["distrikt"].namn if clean.get("distrikt") else None
    insats = clean.get("insats") or BOENDESTOD
    omrade = clean.get("verksamhetsomrade") or None
    kon = clean.get("kon") or None
    as_of = clean.get("as_of") or today
    cases = urval_arenden(
        user_or_none=user,
        insats=insats,
        distrikt=distrikt,
        verksamhetsomrade=omrade,
        kon=kon,
        as_of=as_of,
    )
    urval = {
        key: value
        for key, value in (
            ("distrikt", distrikt),
            ("insats", insats),
            ("verksamhetsomrade", omrade),
            ("kon", kon),
        )
        if value is not None
    }
    params = {**urval, "as_of": as_of.isoformat()}
    return form, Urval(cases=cases, as_of=as_of, urval=urval, query=urlencode(params))


# --- The report -------------------------------------------------------------------------


def _andel(figur: dict[str, Any]) -> dict[str, Any]:
    return {**figur, "procent": procent(figur["andel"])}


def _tabeller(result: dict[str, Any]) -> dict[str, Any]:
    tid = result["beviljad_tid_per_manad"]
    antal = result["antal_arenden"]
    beslutstid = result["beslutstid"]
    return {
        "kolumner": [(k, KOLUMN_NAMN[k]) for k in KOLUMNER],
        "antal": [
            (omrade, OMRADE_NAMN.get(omrade, omrade), [(k, rad[k]) for k in KOLUMNER])
            for omrade, rad in antal.items()
        ],
        "tid": [
            (omrade, OMRADE_NAMN.get(omrade, omrade), [(k, tal(rad[k])) for k in KOLUMNER])
            for omrade, rad in tid.items()
        ],
        "ar": [
            (g, AR_MED_INSATS_NAMN[g], result["ar_med_insats"][g]) for g in AR_MED_INSATS_GRUPPER
        ],
        "beslutstid_omraden": [(o, OMRADE_NAMN.get(o, o)) for o in beslutstid],
        "beslutstid": [
            (g, BESLUTSTID_NAMN[g], [beslutstid[o][g] for o in beslutstid])
            for g in BESLUTSTID_GRUPPER
        ],
        "plan": _andel(result["aktuell_genomforandeplan"]),
        "delaktighet": _andel(result["delaktighet_i_plan"]),
        "uppfoljd": _andel(result["uppfoljd_i_tid"]),
        "strukturerat": _andel(result["strukturerat_uppdrag"]),
        "glapp": {
            **result["langsta_glapp_daganteckningar"],
            "median_text": tal(result["langsta_glapp_daganteckningar"]["median"]),
        },
        "barn": result["barn_med_barnperspektiv"],
        "ej_verkstallda": result["ej_verkstallda"],
        "regler": [
            (regel, {**rad, "procent": procent(rad["andel"])})
            for regel, rad in result["bevakningar_i_tid"].items()
        ],
        "diagram_timmar": diagram_timmar(tid),
        "diagram_beslutstid": diagram_beslutstid(beslutstid),
    }


@login_required
def rapport(request: HttpRequest) -> HttpResponse:
    """The audit's figures for a selection (GRANSKNING.md), as tables and charts."""
    form, urval = _urval(request)
    result = granskning_berakna(cases_queryset=urval.cases, as_of=urval.as_of, urval=urval.urval)
    context = {
        "form": form,
        "result": result,
        "as_of": urval.as_of,
        "query": urval.query,
        "antal_totalt": result["antal_arenden"][TOTALT][TOTALT],
        "insats_namn": INSATS_NAMN.get(urval.urval["insats"], urval.urval["insats"]),
        **_tabeller(result),
    }
    template = (
        "granskning/_resultat.html"
        if request.headers.get("HX-Request")
        else "granskning/rapport.html"
    )
    return render(request, template, context)


# --- Drill-down -------------------------------------------------------------------------


def fall_med_resultat(
    cases_queryset: QuerySet[Arende], as_of: date
) -> list[tuple[Arende, Fallresultat]]:
    """Return each case of the selection with its part in the figures, in three queries
    (the same loading as `granskning_berakna`)."""
    cases = list(cases_queryset.select_related("person").order_by("arende_id"))
    rows = (
        Handelse.objects.filter(arende__in=cases_queryset.values("pk"), datum__lte=as_of)
        .order_by("arende_id", "datum", "id")
        .only("arende", "typ", "datum", "data")
    )
    events: dict[int, list[Event]] = {
        arende_id: [handelse_as_event(h) for h in handelser]
        for arende_id, handelser in groupby(rows, key=lambda h: h.arende_id)
    }
    forsta = forsta_beviljande(cases_queryset, as_of)
    defaults = local_defaults()
    out = []
    for arende in cases:
        fall = Fall(
            timeline=Timeline(
                case_id=arende.arende_id,
                insats=arende.insats,
                events=tuple(events.get(arende.pk, ())),
                boendeform=arende.boendeform or None,
                tatare_uppfoljning=arende.tatare_uppfoljning,
            ),
            verksamhetsomrade=arende.verksamhetsomrade,
            kon=arende.person.kon,
            minderariga_barn=arende.person.minderariga_barn,
            forsta_beviljande=forsta.get((arende.person_id, arende.insats)),
        )
        result = fallresultat(fall, as_of, defaults)
        if result is not None:
            out.append((arende, result))
    return out


def _ja_nej(value: bool | None) -> str:
    return "Ja" if value else "Nej"


STATUS_NAMN = {
    "met": "i tid",
    "met_late": "för sent",
    "overdue": "försenad",
    "reported": "rapporterad till IVO",
}


@dataclass(frozen=True)
class Figur:
    namn: str
    # Whether a case belongs to the figure (given the optional group).
    med: Callable[[Fallresultat, str], bool]
    # The case's value in the figure, as text.
    varde: Callable[[Fallresultat, str], str]


def _regel_varde(r: Fallresultat, regel: str) -> str:
    statusar = [STATUS_NAMN.get(s, s) for rule, s in r.bevakningar if rule == regel]
    return ", ".join(statusar)


FIGURER: dict[str, Figur] = {
    "antal_arenden": Figur("Ärenden i urvalet", lambda r, g: True, lambda r, g: "I urvalet"),
    "beviljad_tid_per_manad": Figur(
        "Beviljad tid per månad",
        lambda r, g: r.minuter_per_vecka is not None,
        lambda r, g: f"{timmar(r.minuter_per_vecka or 0)} timmar",
    ),
    "ar_med_insats": Figur(
        "År med insatsen",
        lambda r, g: not g or r.ar_med_insats == g,
        lambda r, g: AR_MED_INSATS_NAMN[r.ar_med_insats],
    ),
    "beslutstid": Figur(
        "Beslutstid senaste beslut",
        lambda r, g: not g or r.beslutstid == g,
        lambda r, g: BESLUTSTID_NAMN[r.beslutstid],
    ),
    "aktuell_genomforandeplan": Figur(
        "Aktuell genomförandeplan", lambda r, g: True, lambda r, g: _ja_nej(r.aktuell_plan)
    ),
    "delaktighet_i_plan": Figur(
        "Den enskildes delaktighet i planen",
        lambda r, g: r.aktuell_plan,
        lambda r, g: _ja_nej(r.delaktighet),
    ),
    "uppfoljd_i_tid": Figur(
        "Uppföljd inom intervallet", lambda r, g: True, lambda r, g: _ja_nej(r.uppfoljd_i_tid)
    ),
    "strukturerat_uppdrag": Figur(
        "Strukturerat uppdrag",
        lambda r, g: r.strukturerat is not None,
        lambda r, g: _ja_nej(r.strukturerat),
    ),
    "langsta_glapp_daganteckningar": Figur(
        "Längsta glapp i daganteckningar",
        lambda r, g: r.langsta_glapp is not None,
        lambda r, g: f"{r.langsta_glapp} dagar",
    ),
    "barn_med_barnperspektiv": Figur(
        "Barnperspektiv i utredningen",
        lambda r, g: r.med_barn,
        lambda r, g: _ja_nej(r.barnperspektiv),
    ),
    "ej_verkstallda": Figur(
        "Ej verkställda inom tre månader",
        lambda r, g: bool(r.ej_verkstallda),
        lambda r, g: ", ".join(STATUS_NAMN.get(s, s) for s in r.ej_verkstallda),
    ),
    "bevakningar_i_tid": Figur(
        "Bevakningar i tid",
        lambda r, g: any(not g or rule == g for rule, _ in r.bevakningar),
        lambda r, g: _regel_varde(r, g) if g else f"{len(r.bevakningar)} förfallna",
    ),
}


@login_required
def fall(request: HttpRequest) -> HttpResponse:
    """The cases behind one figure of the selection; every case listed is logged."""
    form, urval = _urval(request)
    figur_key = request.GET.get("figur", "")
    figur = FIGURER.get(figur_key)
    grupp = request.GET.get("grupp", "")
    omrade = request.GET.get("omrade", "")
    kolumn = request.GET.get("kolumn", "")
    rader = []
    if figur is not None:
        for arende, r in fall_med_resultat(urval.cases, urval.as_of):
            if omrade and omrade != TOTALT and r.omrade != omrade:
                continue
            if kolumn and kolumn != TOTALT and r.kolumn != kolumn:
                continue
            if not figur.med(r, grupp):
                continue
            rader.append(
                {
                    "arende": arende,
                    "insats": INSATS_NAMN.get(arende.insats, arende.insats),
                    "omrade": OMRADE_NAMN.get(r.omrade, r.omrade),
                    "kon": KOLUMN_NAMN.get(r.kolumn or "", "–"),
                    "varde": figur.varde(r, grupp),
                }
            )
        access_record(actor=request.user, arenden=[rad["arende"] for rad in rader], view=VY)
    context = {
        "form": form,
        "figur": figur,
        "figur_key": figur_key,
        "grupp": grupp,
        "omrade_namn": OMRADE_NAMN.get(omrade, omrade) if omrade else "",
        "kolumn_namn": KOLUMN_NAMN.get(kolumn, kolumn) if kolumn else "",
        "rader": rader,
        "as_of": urval.as_of,
        "query": urval.query,
        "visa_namn": not names_hidden(request.user),
        "figurer": [(key, f.namn) for key, f in FIGURER.items()],
    }
    return render(request, "granskning/fall.html", context, status=200 if figur else 400)
