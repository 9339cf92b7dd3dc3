"""The support level page of the social worker, and the provider staff's view of the need."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from uppfolj.arenden.access import can_handle
from uppfolj.arenden.models import Arende
from uppfolj.arenden.services import WarningsNeedReasons
from uppfolj.arenden.views.common import visible_arende
from uppfolj.domain.stodnivaer import FRAGOR
from uppfolj.utforare.access import provider_arende

from ..forms_stodniva import PersonalensBedomningForm, StodnivaForm
from ..selectors_stodniva import (
    har_stodnivaer,
    personalens_bedomningar,
    stodniva_historik,
)
from ..services import stodniva as services

EJ_LAGENHETSBOENDE = "Stödnivåer finns bara för socialt boende med stöd i lägenhetsboende."


def errors_to_form(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields, or above them."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def handlaggarens_arende(user: Any, arende_id: str, *, view: str) -> Arende:
    """Return the case for an authority step on it: 404 if not visible, 403 if not a handler."""
    arende = visible_arende(user, arende_id, view=view)
    if not can_handle(user, arende):
        raise PermissionDenied("Din roll får inte registrera detta i ärendet.")
    return arende


def _personalens_text(personal: list[Any]) -> str:
    if not personal:
        return ""
    p = personal[0]
    answer = "stödnivån behöver justeras" if p.behov_justeras else "nivån motsvarar behovet"
    parts = [f"Boendepersonalen {p.datum:%Y-%m-%d}: {answer}."]
    parts += [text for text in (p.hur_behovet_andrats, p.anledning, p.varaktighet) if text]
    return "\n".join(parts)


@login_required
def stodniva(request: HttpRequest, arende_id: str) -> HttpResponse:
    arende = handlaggarens_arende(request.user, arende_id, view="stodniva")
    if not har_stodnivaer(arende):
        raise Http404(EJ_LAGENHETSBOENDE)
    historik = stodniva_historik(arende)
    personal = personalens_bedomningar(arende)
    warnings: list[Any] = []
    skal: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = StodnivaForm(request.POST)
        skal = {
            key.removeprefix("skal_"): str(request.POST.get(key, ""))
            for key in request.POST
            if key.startswith("skal_")
        }
        if form.is_valid():
            data = form.cleaned_data
            try:
                andring = services.stodniva_andra(
                    actor=request.user,
                    arende=arende,
                    niva=data["niva"],
                    galler_fran=data["galler_fran"],
                    hur_behovet_andrats=data["hur_behovet_andrats"],
                    anledning=data["anledning"],
                    varaktighet=data["varaktighet"],
                    sarskilt_behov=data["sarskilt_behov"],
                    bedomt_behov_minuter=data["bedomt_behov_minuter"],
                    personalens_bedomning=data["personalens_bedomning"],
                    skal=skal,
                )
            except WarningsNeedReasons as error:
                warnings = error.warnings
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(
                    request,
                    f"Stödnivån är {andring.get_niva_display().lower()} från "
                    f"{andring.galler_fran:%Y-%m-%d}.",
                )
                return redirect("uppfoljning:stodniva", arende_id=arende.arende_id)
        status = 400
    else:
        form = StodnivaForm(
            initial={
                "niva": historik[0].niva if historik else None,
                "galler_fran": timezone.localdate(),
                "personalens_bedomning": _personalens_text(personal),
            }
        )
    context = {
        "arende": arende,
        "form": form,
        "warnings": warnings,
        "skal": skal,
        "historik": historik,
        "aktuell": historik[0] if historik else None,
        "personal": personal,
        "fragor": FRAGOR,
        "avslutat": arende.ar_avslutat(),
    }
    return render(request, "uppfoljning/stodniva.html", context, status=status)


@login_required
def personalens_bedomning(request: HttpRequest, arende_id: str) -> HttpResponse:
    arende = provider_arende(request.user, arende_id, view="personalens_bedomning")
    if not har_stodnivaer(arende):
        raise Http404(EJ_LAGENHETSBOENDE)
    status = 200
    if request.method == "POST":
        form = PersonalensBedomningForm(request.POST)
        if form.is_valid():
            try:
                services.personalens_stodbehov_registrera(
                    actor=request.user, arende=arende, **form.cleaned_data
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(
                    request, "Er bedömning av stödbehovet är sparad och syns för handläggaren."
                )
                return redirect("uppfoljning:personalens_bedomning", arende_id=arende.arende_id)
        status = 400
    else:
        form = PersonalensBedomningForm(initial={"datum": timezone.localdate()})
    historik = stodniva_historik(arende)
    context = {
        "arende": arende,
        "form": form,
        "aktuell": historik[0] if historik else None,
        "tidigare": personalens_bedomningar(arende),
        "fragor": FRAGOR,
    }
    return render(request, "uppfoljning/stodniva_personal.html", context, status=status)
