"""The samlarteam page: the checklist, the start with its warnings, and the evaluation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from uppfolj.arenden.models import Arende
from uppfolj.arenden.services import ProposedWarning, WarningsNeedReasons
from uppfolj.domain.timeline import BOENDESTOD

from ..access import provider_arende
from ..models import SamlarteamChecklista
from ..services import samlarteam as services
from .besok import errors_to_form

DATUM = {
    "label": "Datum",
    "widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    "error_messages": {"required": "Ange datum.", "invalid": "Ange datum som ÅÅÅÅ-MM-DD."},
}
JA_NEJ = [("ja", "Ja"), ("nej", "Nej")]


class ChecklistaForm(forms.Form):
    datum = forms.DateField(**DATUM)  # type: ignore[arg-type]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index, fraga in enumerate(SamlarteamChecklista.FRAGOR):
            self.fields[f"fraga_{index}"] = forms.ChoiceField(
                label=fraga,
                choices=JA_NEJ,
                widget=forms.RadioSelect,
                error_messages={"required": "Svara ja eller nej."},
            )

    @property
    def fragor(self) -> list[forms.BoundField]:
        return [self[f"fraga_{index}"] for index in range(len(SamlarteamChecklista.FRAGOR))]

    @property
    def svar(self) -> list[bool]:
        return [
            self.cleaned_data[f"fraga_{i}"] == "ja" for i in range(len(SamlarteamChecklista.FRAGOR))
        ]


class StartForm(forms.Form):
    datum = forms.DateField(**DATUM)  # type: ignore[arg-type]


class UtvarderingForm(forms.Form):
    datum = forms.DateField(**DATUM)  # type: ignore[arg-type]
    resultat = forms.ChoiceField(
        label="Hur går samlarteamet vidare?",
        choices=[
            ("fortsatter", "Insatsen fortsätter"),
            ("avslutas", "Samlarteamet avslutas; stödet övergår till ordinarie boendestöd"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Välj om samlarteamet fortsätter eller avslutas."},
    )


def _samlarteam_arende(user: Any, arende_id: str, view: str) -> Arende:
    arende = provider_arende(user, arende_id, view=view)
    if arende.insats != BOENDESTOD:
        raise Http404("Samlarteamet gäller bara ärenden med boendestöd.")
    return arende


def _render(
    request: HttpRequest,
    arende: Arende,
    *,
    status: int = 200,
    checklista: ChecklistaForm | None = None,
    start: StartForm | None = None,
    utvardering: UtvarderingForm | None = None,
    varningar: list[ProposedWarning] | None = None,
    skal: dict[str, str] | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "arende": arende,
        "status": services.samlarteam_status(arende, today),
        # A closed case takes no start or evaluation: no form that would be refused.
        "avslutat": arende.ar_avslutat(),
        "today": today,
        "checklista_form": checklista or ChecklistaForm(initial={"datum": today}),
        "start_form": start or StartForm(initial={"datum": today}),
        "utvardering_form": utvardering or UtvarderingForm(initial={"datum": today}),
        "varningar": varningar or [],
        "skal": skal or {},
    }
    return render(request, "utforare/samlarteam.html", context, status=status)


@login_required
def samlarteam(request: HttpRequest, arende_id: str) -> HttpResponse:
    arende = _samlarteam_arende(request.user, arende_id, "samlarteam")
    return _render(request, arende)


@login_required
@require_POST
def samlarteam_checklista(request: HttpRequest, arende_id: str) -> HttpResponse:
    arende = _samlarteam_arende(request.user, arende_id, "samlarteam_checklista")
    form = ChecklistaForm(request.POST)
    if form.is_valid():
        try:
            services.samlarteam_checklista_registrera(
                actor=request.user, arende=arende, datum=form.cleaned_data["datum"], svar=form.svar
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, "Checklistan är sparad.")
            return redirect("utforare:samlarteam", arende_id=arende.arende_id)
    return _render(request, arende, status=400, checklista=form)


@login_required
@require_POST
def samlarteam_start(request: HttpRequest, arende_id: str) -> HttpResponse:
    arende = _samlarteam_arende(request.user, arende_id, "samlarteam_start")
    form = StartForm(request.POST)
    skal = {
        key.removeprefix("skal_"): str(request.POST.get(key, ""))
        for key in request.POST
        if key.startswith("skal_")
    }
    varningar: list[ProposedWarning] = []
    if form.is_valid():
        try:
            services.samlarteam_starta(
                actor=request.user, arende=arende, datum=form.cleaned_data["datum"], skal=skal
            )
        except WarningsNeedReasons as error:
            varningar = error.warnings
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, "Samlarteamet är startat. Utvärdera senast om tre månader.")
            return redirect("utforare:samlarteam", arende_id=arende.arende_id)
    return _render(request, arende, status=400, start=form, varningar=varningar, skal=skal)


@login_required
@require_POST
def samlarteam_utvardering(request: HttpRequest, arende_id: str) -> HttpResponse:
    arende = _samlarteam_arende(request.user, arende_id, "samlarteam_utvardering")
    form = UtvarderingForm(request.POST)
    if form.is_valid():
        try:
            services.samlarteam_utvardera(
                actor=request.user,
                arende=arende,
                datum=form.cleaned_data["datum"],
                avslutas=form.cleaned_data["resultat"] == "avslutas",
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, "Utvärderingen är sparad.")
            return redirect("utforare:samlarteam", arende_id=arende.arende_id)
    return _render(request, arende, status=400, utvardering=form)
