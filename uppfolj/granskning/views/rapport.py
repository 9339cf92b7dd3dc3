"""The inspectors' report as a web page (issue 6): GRANSKNING.md's figures computed live,
two server-side SVG charts, and a drill-down to the cases behind each figure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
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
from uppfolj.arenden.models import Arende, Kon, Verksamhetsomrade
from uppfolj.arenden.services import local_defaults
from uppfolj.audit.services import access_record
from uppfolj.domain.granskning import (
    AR_MED_INSATS_GRUPPER,
    AR_MED_INSATS_NAMN,
    BESLUTSTID_GRUPPER,
    BESLUTSTID_NAMN,
    KOLUMN_NAMN,
    KOLUMNER,
    TOTALT,
    Fallresultat,
    avrunda,
    fallresultat,
    timmar_per_manad,
)
from uppfolj.domain.kvalitet import visning_av
from uppfolj.domain.tid import manadsetikett
from uppfolj.domain.timeline import BOENDESTOD, INSATS_NAMN

from ..diagram import (
    diagram_beslutstid,
    diagram_bevakningar_over_tid,
    diagram_timmar,
    diagram_timmar_per_distrikt,
)
from ..kvalitet import kvalitetsanalys, likstallighet
from ..selectors import (
    bevakningar_over_tid,
    fall_lista,
    granskning_rapport,
    urval_arenden,
)
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


def _urval_fel(form: UrvalForm) -> list[str]:
    """Return what is wrong with the selection, one "Fält: meddelande" line per field."""
    return [
        f"{form.fields[name].label}: {text}" if name in form.fields else text
        for name, text in ((n, " ".join(map(str, e))) for n, e in form.errors.items())
    ]


def _ogiltigt_urval(
    request: HttpRequest, form: UrvalForm, template: str, **context: Any
) -> HttpResponse:
    # Never the defaults in place of what was asked for: a figure for another day or
    # district than the one chosen would be read as the answer.
    context.update(form=form, urval_fel=_urval_fel(form))
    return render(request, template, context, status=400)


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
        "andrat": _andel(result["andrat_uppdrag"]),
        "avbokningar": {
            **result["avbokningar"],
            "procent": procent(result["avbokningar"]["andel"]),
        },
        "besok": {
            **result["besok_utanfor_kontorstid"],
            "procent": procent(result["besok_utanfor_kontorstid"]["andel"]),
        },
        "personal": {
            **result["personal_per_individ"],
            "median_text": tal(result["personal_per_individ"]["median"]),
            "procent": procent(result["personal_per_individ"]["andel"]),
        },
        "diagram_timmar": diagram_timmar(tid),
        "diagram_beslutstid": diagram_beslutstid(beslutstid),
    }


@login_required
def rapport(request: HttpRequest) -> HttpResponse:
    """The audit's figures for a selection (GRANSKNING.md), as tables and charts, with the
    six quality areas against the city, likställighet and deadlines over time."""
    form, urval = _urval(request)
    partial = bool(request.headers.get("HX-Request"))
    if not form.is_valid():
        template = "granskning/_urval_fel.html" if partial else "granskning/rapport.html"
        return _ogiltigt_urval(request, form, template)
    data = granskning_rapport(user_or_none=request.user, as_of=urval.as_of, **urval.urval)
    result = data.urval
    datum, serier = bevakningar_over_tid(
        user_or_none=request.user, as_of=urval.as_of, **urval.urval
    )
    context = {
        "form": form,
        "result": result,
        "as_of": urval.as_of,
        "query": urval.query,
        "antal_totalt": result["antal_arenden"][TOTALT][TOTALT],
        "insats_namn": INSATS_NAMN.get(urval.urval["insats"], urval.urval["insats"]),
        **_tabeller(result),
        "omraden": kvalitetsanalys(result, data.stad),
        "distrikt": list(data.per_distrikt),
        "likstallighet": [
            (
                rad,
                [(d, rad.visning[d], d in rad.avvikande) for d in data.per_distrikt],
                visning_av(rad.nyckel, rad.stad),
            )
            for rad in likstallighet(data.per_distrikt, data.stad)
        ],
        "diagram_per_distrikt": diagram_timmar_per_distrikt(
            {d: r["beviljad_tid_per_manad"][TOTALT] for d, r in data.per_distrikt.items()}
        ),
        "over_tid_manader": [manadsetikett(d) for d in datum],
        "over_tid": [(regel, [procent(v) for v in serie]) for regel, serie in serier.items()],
        "diagram_over_tid": diagram_bevakningar_over_tid(datum, serier),
    }
    template = "granskning/_resultat.html" if partial else "granskning/rapport.html"
    return render(request, template, context)


# --- Drill-down -------------------------------------------------------------------------


def fall_med_resultat(
    cases_queryset: QuerySet[Arende], as_of: date
) -> list[tuple[Arende, Fallresultat]]:
    """Return each case of the selection with its part in the figures (the same loading
    as `granskning_berakna`)."""
    defaults = local_defaults()
    out = []
    for arende, one in fall_lista(cases_queryset, as_of):
        result = fallresultat(one, as_of, defaults)
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
    "andrat_uppdrag": Figur(
        "Ändrat uppdrag under beslutet",
        lambda r, g: not g or r.uppdrag_andringar > 0,
        lambda r, g: _antal(r.uppdrag_andringar, "ändring", "ändringar"),
    ),
    "avbokningar": Figur(
        "Avbokningar",
        lambda r, g: r.avbokningar > 0 and (g != "minst_tre" or r.avbokningar >= 3),
        lambda r, g: (
            _antal(r.avbokningar, "avbokning", "avbokningar")
            + (
                ""
                if r.avbokningar_kontaktad is None
                else ", handläggaren "
                + ("kontaktad" if r.avbokningar_kontaktad else "inte kontaktad")
            )
        ),
    ),
    "besok_utanfor_kontorstid": Figur(
        "Besök utanför kontorstid",
        lambda r, g: r.besok > 0 and (g != "utanfor" or r.besok_utanfor > 0),
        lambda r, g: (
            f"{r.besok_utanfor} av {_antal(r.besok, 'besök', 'besök')} "
            f"({r.besok_kvall} kväll, {r.besok_helg} helg)"
        ),
    ),
    "personal_per_individ": Figur(
        "Personal per individ",
        lambda r, g: r.personal is not None,
        lambda r, g: _antal(r.personal or 0, "person", "personer"),
    ),
}


def _antal(antal: int, en: str, flera: str) -> str:
    return f"{antal} {en if antal == 1 else flera}"


@login_required
def fall(request: HttpRequest) -> HttpResponse:
    """The cases behind one figure of the selection; every case listed is logged."""
    form, urval = _urval(request)
    figur_key = request.GET.get("figur", "")
    figur = FIGURER.get(figur_key)
    if not form.is_valid():
        return _ogiltigt_urval(request, form, "granskning/fall.html", figur=figur, query="")
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
