"""Worklists of bevakningar: the social worker's own, the unit's overdue ones, the start page."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from uppfolj.accounts.models import MYNDIGHET_ROLLER, UTFORAR_ROLLER, Distrikt, Roll
from uppfolj.audit.services import access_record
from uppfolj.domain.rules import DEADLINE_RULES
from uppfolj.domain.timeline import INSATS_NAMN

from ..selectors import (
    SNART_DAGAR,
    bevakningar_gruppera,
    enhetens_forsenade_bevakningar,
    mina_bevakningar,
)

ENHET_ROLLER = frozenset({Roll.ENHETSCHEF, Roll.FORSTE_SOCIALSEKRETERARE})


class BevakningFilterForm(forms.Form):
    regel = forms.ChoiceField(
        label="Regel",
        required=False,
        choices=[("", "Alla regler"), *((r.id, f"{r.id} – {r.text}") for r in DEADLINE_RULES)],
    )
    insats = forms.ChoiceField(
        label="Insats", required=False, choices=[("", "Alla insatser"), *INSATS_NAMN.items()]
    )
    distrikt = forms.ModelChoiceField(
        label="Distrikt",
        required=False,
        queryset=Distrikt.objects.all(),
        empty_label="Alla distrikt",
    )


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Send each role to its start page."""
    roll = getattr(request.user, "roll", "")
    if roll == Roll.SOCIALSEKRETERARE:
        return redirect("arenden:mina_bevakningar")
    if roll == Roll.ENHETSCHEF:
        return redirect("arenden:enhet_bevakningar")
    if roll in UTFORAR_ROLLER:
        return redirect("utforare:inkorg")
    return redirect("arenden:lista")


@login_required
def bevakningar_mina(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "roll", "") not in MYNDIGHET_ROLLER:
        raise PermissionDenied("Mina bevakningar visar bevakningar för ansvariga handläggare.")
    today = timezone.localdate()
    form = BevakningFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = mina_bevakningar(
        user=request.user,
        regel=filters.get("regel", ""),
        insats=filters.get("insats", ""),
        distrikt_id=filters["distrikt"].pk if filters.get("distrikt") else None,
    )
    grupper = bevakningar_gruppera(rows, today)
    access_record(actor=request.user, arenden=grupper.arenden, view="mina_bevakningar")
    template = (
        "arenden/bevakningar_tabell.html"
        if request.headers.get("HX-Request")
        else "arenden/bevakningar.html"
    )
    context = {"form": form, "grupper": grupper, "today": today, "snart_dagar": SNART_DAGAR}
    return render(request, template, context)


@login_required
def bevakningar_enhet(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "roll", "") not in ENHET_ROLLER:
        raise PermissionDenied(
            "Enhetens bevakningar är till för enhetschef och förste socialsekreterare."
        )
    today = timezone.localdate()
    rows = list(enhetens_forsenade_bevakningar(user=request.user, today=today))
    access_record(
        actor=request.user,
        arenden={b.arende_id: b.arende for b in rows}.values(),
        view="enhetens_bevakningar",
    )
    return render(request, "arenden/bevakningar_enhet.html", {"rows": rows, "today": today})
