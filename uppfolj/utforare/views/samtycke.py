"""Consents: the individual's consents seen from a case, registered and withdrawn by either side."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from uppfolj.arenden.models import Arende
from uppfolj.audit.services import access_record

from ..access import is_provider_staff
from ..forms_plan import AterkallaForm, SamtyckeForm
from ..services import samtycke as services


def samtycke_arende(user: Any, arende_id: str, *, view: str) -> Arende:
    """Return the case if `user` may handle its consents, logging the read; 404 or 403."""
    arende = get_object_or_404(
        Arende.objects.visible_to(user).select_related("person", "utforare"),
        arende_id=arende_id,
    )
    if not services.may_handle_samtycke(user, arende):
        raise PermissionDenied("Din roll får inte hantera samtycken i ärendet.")
    access_record(actor=user, arenden=[arende], view=view)
    return arende


def _errors_to_form(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def samtycken(request: HttpRequest, arende_id: str) -> HttpResponse:
    arende = samtycke_arende(request.user, arende_id, view="samtycken")
    return render(
        request,
        "utforare/samtycken.html",
        {
            "arende": arende,
            "samtycken": services.samtycken_for(request.user, arende),
            "today": timezone.localdate(),
        },
    )


@login_required
def samtycke_ny(request: HttpRequest, arende_id: str) -> HttpResponse:
    user: Any = request.user
    arende = samtycke_arende(user, arende_id, view="samtycke_ny")
    own = arende.utforare if is_provider_staff(user) else None
    if request.method == "POST":
        form = SamtyckeForm(request.POST, utforare=own)
        if form.is_valid():
            try:
                services.samtycke_registrera(actor=user, arende=arende, **form.cleaned_data)
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, "Samtycket är registrerat.")
                return redirect("utforare:samtycken", arende.arende_id)
        status = 400
    else:
        form = SamtyckeForm(
            utforare=own, initial={"fran": timezone.localdate(), "utforare": arende.utforare}
        )
        status = 200
    return render(
        request, "utforare/samtycke_ny.html", {"arende": arende, "form": form}, status=status
    )


@login_required
def samtycke_aterkalla(request: HttpRequest, arende_id: str, pk: int) -> HttpResponse:
    user: Any = request.user
    arende = samtycke_arende(user, arende_id, view="samtycke_aterkalla")
    samtycke = get_object_or_404(services.samtycken_for(user, arende), pk=pk)
    if request.method == "POST":
        form = AterkallaForm(request.POST)
        if form.is_valid():
            try:
                services.samtycke_aterkalla(
                    actor=user, arende=arende, samtycke=samtycke, datum=form.cleaned_data["datum"]
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, f"Samtycket till {samtycke.motpart} är återkallat.")
                return redirect("utforare:samtycken", arende.arende_id)
        status = 400
    else:
        form = AterkallaForm(initial={"datum": timezone.localdate()})
        status = 200
    return render(
        request,
        "utforare/samtycke_aterkalla.html",
        {"arende": arende, "samtycke": samtycke, "form": form},
        status=status,
    )
