"""The provider's inkorg, and answering an uppdrag: accept, or send back with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from uppfolj.arenden.models import Uppdrag
from uppfolj.audit.services import access_record

from ..access import is_provider_staff, provider_arende
from ..forms_uppdrag import ReturneraForm
from ..selectors_uppdrag import inkorg as inkorg_select
from ..services import uppdrag as services
from .arende import errors_to_form


@login_required
def inkorg(request: HttpRequest) -> HttpResponse:
    if not is_provider_staff(request.user):
        raise PermissionDenied("Inkorgen är till för utförarens personal.")
    today = timezone.localdate()
    data = inkorg_select(user=request.user, today=today)
    access_record(actor=request.user, arenden=data.arenden, view="inkorg")
    return render(request, "utforare/inkorg.html", {"inkorg": data, "today": today})


@login_required
@require_POST
def uppdrag_acceptera(request: HttpRequest, arende_id: str, pk: int) -> HttpResponse:
    arende = provider_arende(request.user, arende_id, view="uppdrag_acceptera")
    uppdrag = get_object_or_404(Uppdrag, arende=arende, pk=pk)
    try:
        services.uppdrag_acceptera(actor=request.user, uppdrag=uppdrag)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Uppdraget för ärende {arende.arende_id} är accepterat.")
    return redirect("utforare:arende", arende_id=arende.arende_id)


@login_required
def uppdrag_returnera(request: HttpRequest, arende_id: str, pk: int) -> HttpResponse:
    arende = provider_arende(request.user, arende_id, view="uppdrag_returnera")
    uppdrag = get_object_or_404(Uppdrag, arende=arende, pk=pk)
    form = ReturneraForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.uppdrag_returnera(
                actor=request.user, uppdrag=uppdrag, skal=form.cleaned_data["skal"]
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request,
                f"Uppdraget för ärende {arende.arende_id} är skickat tillbaka till "
                "socialsekreteraren.",
            )
            return redirect("utforare:inkorg")
    context = {"arende": arende, "uppdrag": uppdrag, "form": form}
    return render(request, "utforare/returnera.html", context, status=400 if form.errors else 200)
