"""The case page: person, decision, uppdrag, bevakningar, warnings, events, next step."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import services
from ..access import can_handle, names_hidden
from ..forms import OppnaMedSkalForm
from ..models import Arende
from ..selectors import arende_detalj
from .common import visible_arende


@login_required
def arende_sida(request: HttpRequest, arende_id: str) -> HttpResponse:
    reason = ""
    if names_hidden(request.user):
        # An inspector opens a case with a stated reason, kept in the access log.
        form = OppnaMedSkalForm(request.POST if request.method == "POST" else None)
        if not form.is_valid():
            if not Arende.objects.visible_to(request.user).filter(arende_id=arende_id).exists():
                raise Http404("Ärendet finns inte")
            status = 400 if request.method == "POST" else 200
            context = {"form": form, "arende_id": arende_id}
            return render(request, "arenden/oppna_med_skal.html", context, status=status)
        reason = form.cleaned_data["skal"]
    arende = visible_arende(request.user, arende_id, view="arende", reason=reason)
    context = arende_detalj(arende, timezone.localdate())
    context.update(arende=arende, kan_handlagga=can_handle(request.user, arende))
    return render(request, "arenden/arende.html", context)


@login_required
@require_POST
def varning_kvittera(request: HttpRequest, arende_id: str, regel: str, datum: str) -> HttpResponse:
    arende = visible_arende(request.user, arende_id, view="varning_kvittera")
    try:
        warning_date = date.fromisoformat(datum)
    except ValueError:
        raise Http404("Okänt datum") from None
    try:
        services.varning_kvittera(
            actor=request.user,
            arende=arende,
            regel=regel,
            datum=warning_date,
            skal=request.POST.get("skal", ""),
        )
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            # The warning is unknown or already acknowledged: the page shows no form for it.
            messages.error(request, " ".join(error.messages))
            return redirect("arenden:arende", arende_id=arende.arende_id)
        context = arende_detalj(arende, timezone.localdate())
        context.update(arende=arende, kan_handlagga=True, kvittens_fel={regel: error.messages[0]})
        return render(request, "arenden/arende.html", context, status=400)
    return redirect("arenden:arende", arende_id=arende.arende_id)
