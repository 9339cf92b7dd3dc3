"""The monthly check of the egenavgift, the rent, and an uppdrag for motivational support."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from uppfolj.arenden.models import Arende
from uppfolj.domain.timeline import SOCIALT_BOENDE_MED_STOD

from ..forms_stodniva import AvgiftForm
from ..selectors_stodniva import avgift_manader, hyra_fran, manad_text, upprepad_obetald
from ..services import avgift as services
from .stodniva import errors_to_form, handlaggarens_arende


def _avgift_arende(request: HttpRequest, arende_id: str, view: str) -> Arende:
    arende = handlaggarens_arende(request.user, arende_id, view=view)
    if arende.insats != SOCIALT_BOENDE_MED_STOD:
        raise Http404(services.EJ_SBMS)
    return arende


@login_required
def avgift(request: HttpRequest, arende_id: str) -> HttpResponse:
    arende = _avgift_arende(request, arende_id, "avgift")
    today = timezone.localdate()
    status = 200
    manader = avgift_manader(arende)
    checked = [m.manad for m in manader]
    if request.method == "POST":
        form = AvgiftForm(request.POST, today=today, kontrollerade=checked)
        if form.is_valid():
            try:
                kontroll = services.avgift_kontrollera(
                    actor=request.user, arende=arende, **form.cleaned_data
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                manad = manad_text(kontroll.manad)
                if kontroll.betald:
                    messages.success(request, f"Egenavgiften för {manad} är betald.")
                else:
                    messages.warning(
                        request,
                        f"Egenavgiften för {manad} är obetald. Sätt in stöd för att den "
                        "enskilde ska betala: ge utföraren ett uppdrag om motiverande stöd.",
                    )
                return redirect("uppfoljning:avgift", arende_id=arende.arende_id)
        status = 400
    else:
        form = AvgiftForm(today=today, kontrollerade=checked)
    context = {
        "arende": arende,
        "form": form,
        "manader": manader,
        "senaste_obetald": manader[0] if manader and not manader[0].betald else None,
        "upprepad": upprepad_obetald(arende, today),
        "hyra": hyra_fran(arende),
        "avslutat": arende.ar_avslutat(),
    }
    return render(request, "uppfoljning/avgift.html", context, status=status)


@login_required
@require_POST
def avgift_uppdrag(request: HttpRequest, arende_id: str) -> HttpResponse:
    arende = _avgift_arende(request, arende_id, "avgift_uppdrag")
    obetalda = [m for m in avgift_manader(arende) if not m.betald]
    if not obetalda:
        messages.error(request, "Ingen månad är registrerad som obetald.")
        return redirect("uppfoljning:avgift", arende_id=arende.arende_id)
    services.uppdrag_utkast_motiverande_stod(
        actor=request.user, arende=arende, manad=obetalda[0].manad
    )
    return redirect(reverse("arenden:steg", args=[arende.arende_id, "uppdrag"]))
