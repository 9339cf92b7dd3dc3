"""The provider's case page: the uppdrag, its steps, contact staff and the final note."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from uppfolj.arenden.models import Arende

from ..access import FORDELANDE_ROLLER, provider_arende, require_distributor
from ..forms_uppdrag import (
    AvslutaKontaktpersonalForm,
    KontaktpersonalForm,
    SlutanteckningForm,
    steg_form,
)
from ..models import Kontaktpersonal, Slutanteckning
from ..selectors_uppdrag import utforare_arende_detalj
from ..services import uppdrag as services

STEG_RUBRIK = {
    "kontakt_tagen": "Första kontakt",
    "uppstartsmote": "Uppstartsmöte",
    "verkstallt": "Verkställighet",
}
STEG_KNAPP = {
    "kontakt_tagen": "Registrera första kontakt",
    "uppstartsmote": "Registrera uppstartsmöte",
    "verkstallt": "Registrera verkställighet",
}


def errors_to_form(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields, or above them."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _render(
    request: HttpRequest,
    arende: Arende,
    *,
    status: int = 200,
    bound: dict[str, forms.Form] | None = None,
) -> HttpResponse:
    bound = bound or {}
    today = timezone.localdate()
    context = utforare_arende_detalj(arende, today)
    context["steg_lista"] = [
        {
            "typ": typ,
            "rubrik": STEG_RUBRIK[typ],
            "knapp": STEG_KNAPP[typ],
            "handelse": handelse,
            # A partial execution may later be registered as full.
            "oppen": handelse is None
            or (typ == "verkstallt" and handelse.data.get("grad") == "delvis"),
            "form": bound.get(typ) or steg_form(typ, initial={"datum": today}),
        }
        for typ, handelse in context["steg"].items()
    ]
    context.update(
        arende=arende,
        kan_fordela=getattr(request.user, "roll", "") in FORDELANDE_ROLLER,
        slutanteckning_form=bound.get("slutanteckning")
        or SlutanteckningForm(initial={"datum": today}),
    )
    return render(request, "utforare/arende.html", context, status=status)


@login_required
def arende_sida(request: HttpRequest, arende_id: str) -> HttpResponse:
    arende = provider_arende(request.user, arende_id, view="utforare_arende")
    return _render(request, arende)


@login_required
@require_POST
def steg_registrera(request: HttpRequest, arende_id: str, typ: str) -> HttpResponse:
    if typ not in services.UTFORARSTEG:
        raise Http404("Okänt steg")
    arende = provider_arende(request.user, arende_id, view=f"utforare_steg:{typ}")
    form = steg_form(typ, request.POST)
    if form.is_valid():
        try:
            services.utforarsteg_registrera(
                actor=request.user,
                arende=arende,
                typ=typ,
                datum=form.cleaned_data["datum"],
                grad=form.cleaned_data.get("grad", ""),
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, f"Sparat: {STEG_RUBRIK[typ].lower()}.")
            return redirect("utforare:arende", arende_id=arende.arende_id)
    return _render(request, arende, status=400, bound={typ: form})


def _slutanteckning_hinder(arende: Arende) -> str:
    if not arende.ar_avslutat():
        return "Slutanteckningen skrivs när ärendet har avslutats."
    if Slutanteckning.objects.filter(arende=arende).exists():
        return "Slutanteckningen är redan skriven."
    return ""


@login_required
@require_POST
def slutanteckning_skriv(request: HttpRequest, arende_id: str) -> HttpResponse:
    arende = provider_arende(request.user, arende_id, view="slutanteckning")
    hinder = _slutanteckning_hinder(arende)
    if hinder:
        # The page shows the form only on a closed case without a final note.
        messages.error(request, hinder)
        return redirect("utforare:arende", arende_id=arende.arende_id)
    form = SlutanteckningForm(request.POST)
    if form.is_valid():
        try:
            services.slutanteckning_skriv(actor=request.user, arende=arende, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, "Slutanteckningen är sparad.")
            return redirect("utforare:arende", arende_id=arende.arende_id)
    return _render(request, arende, status=400, bound={"slutanteckning": form})


# --- Fördelning: contact staff -----------------------------------------------------------


def _render_kontaktpersonal(
    request: HttpRequest,
    arende: Arende,
    *,
    form: KontaktpersonalForm | None = None,
    avsluta: tuple[int, AvslutaKontaktpersonalForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    rows = list(arende.kontaktpersonal.select_related("personal", "tilldelad_av"))
    active = [k for k in rows if k.till is None or k.till >= today]
    candidates = services.fordelningsbar_personal(arende).exclude(
        pk__in=[k.personal_id for k in active]
    )
    avsluta_forms = {
        k.pk: avsluta[1]
        if avsluta and avsluta[0] == k.pk
        else AvslutaKontaktpersonalForm(initial={"till": today}, prefix=f"k{k.pk}")
        for k in active
    }
    context: dict[str, Any] = {
        "arende": arende,
        "aktiva": [(k, avsluta_forms[k.pk]) for k in active],
        "tidigare": [k for k in rows if k not in active],
        "for_fa": services.kontaktpersonal_for_fa(len(active)),
        "minsta": services.MINSTA_KONTAKTPERSONAL,
        "kan_fordela": getattr(request.user, "roll", "") in FORDELANDE_ROLLER
        and not arende.ar_avslutat(),
        "form": form or KontaktpersonalForm(kandidater=candidates, initial={"fran": today}),
    }
    return render(request, "utforare/kontaktpersonal.html", context, status=status)


@login_required
def kontaktpersonal(request: HttpRequest, arende_id: str) -> HttpResponse:
    arende = provider_arende(request.user, arende_id, view="kontaktpersonal")
    if request.method != "POST":
        return _render_kontaktpersonal(request, arende)
    require_distributor(request.user, arende)
    form = KontaktpersonalForm(request.POST, kandidater=services.fordelningsbar_personal(arende))
    if form.is_valid():
        try:
            kontakt = services.kontaktpersonal_tilldela(
                actor=request.user,
                arende=arende,
                personal=form.cleaned_data["personal"],
                fran=form.cleaned_data["fran"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request, f"{kontakt.personal.visningsnamn} är kopplad som kontaktpersonal."
            )
            return redirect("utforare:kontaktpersonal", arende_id=arende.arende_id)
    return _render_kontaktpersonal(request, arende, form=form, status=400)


@login_required
@require_POST
def kontaktpersonal_avsluta(request: HttpRequest, arende_id: str, pk: int) -> HttpResponse:
    arende = provider_arende(request.user, arende_id, view="kontaktpersonal_avsluta")
    kontakt = get_object_or_404(Kontaktpersonal, arende=arende, pk=pk)
    require_distributor(request.user, arende)
    if kontakt.till is not None:
        messages.error(request, "Kopplingen är redan avslutad.")
        return redirect("utforare:kontaktpersonal", arende_id=arende.arende_id)
    form = AvslutaKontaktpersonalForm(request.POST, prefix=f"k{kontakt.pk}")
    if form.is_valid():
        try:
            services.kontaktpersonal_avsluta(
                actor=request.user, kontaktpersonal=kontakt, till=form.cleaned_data["till"]
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request, f"{kontakt.personal.visningsnamn} är inte längre kontaktpersonal."
            )
            return redirect("utforare:kontaktpersonal", arende_id=arende.arende_id)
    return _render_kontaktpersonal(request, arende, avsluta=(kontakt.pk, form), status=400)
