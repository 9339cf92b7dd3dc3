"""Gallring: the enhetschef's list of closed cases past retention, and the confirmed deletion."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from uppfolj.audit.services import access_record

from ..gallring import (
    GALLRARE,
    arende_gallra,
    avslutsdatum,
    gallras_fran,
    gallring_ar,
    gallringsbara_arenden,
)
from .common import visible_arende


class BekraftaForm(forms.Form):
    bekraftelse = forms.CharField(
        label="Skriv ärendets id för att bekräfta",
        max_length=50,
        error_messages={"required": "Skriv ärendets id för att bekräfta."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


def _require_gallrare(user: Any) -> None:
    if user.roll not in GALLRARE:
        raise PermissionDenied("Gallring görs av enhetschefen.")


@login_required
def gallring_lista(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _require_gallrare(user)
    rader = gallringsbara_arenden(user=user)
    access_record(actor=user, arenden=[rad.arende for rad in rader], view="gallring")
    return render(request, "arenden/gallring.html", {"rader": rader, "ar": gallring_ar()})


@login_required
def gallring_bekrafta(request: HttpRequest, arende_id: str) -> HttpResponse:
    user: Any = request.user
    _require_gallrare(user)
    arende = visible_arende(user, arende_id, view="gallring")
    form = BekraftaForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = arende_gallra(
                    actor=user, arende=arende, bekraftelse=form.cleaned_data["bekraftelse"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    f"Ärende {result.arende_id} är gallrat: {result.antal} poster raderade.",
                )
                return redirect("arenden:gallring")
        status = 400
    avslutad = avslutsdatum(arende)
    ar = gallring_ar()
    context = {
        "arende": arende,
        "form": form,
        "ar": ar,
        "avslutad": avslutad,
        "gallras_fran": gallras_fran(avslutad, ar) if avslutad else None,
        "today": timezone.localdate(),
    }
    return render(request, "arenden/gallring_bekrafta.html", context, status=status)
