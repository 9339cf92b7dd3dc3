"""The quarter's report to IVO: the list, the CSV export and registering that it was sent."""

from __future__ import annotations

import csv
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from uppfolj.audit.services import access_record

from .. import ivo
from ..access import HANDLAGGANDE_ROLLER

KVARTAL_FEL = "Ange kvartalet som ÅÅÅÅ-Kn, till exempel 2026-K3."

CSV_KOLUMNER = [
    "Id (pseudonym)",
    "Kön",
    "Insats",
    "Typ",
    "Beslutsdatum",
    "Dagar sedan beslut",
    "Avbrott från",
    "Först rapporterad",
]


class RegistreraForm(forms.Form):
    kvartal = forms.CharField(widget=forms.HiddenInput)
    skickad = forms.DateField(
        label="Datum då rapporten skickades",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Ange datum.", "invalid": "Ange datum som ÅÅÅÅ-MM-DD."},
    )


def _require_reader(user: Any) -> None:
    if user.roll not in ivo.IVO_LASARE:
        raise PermissionDenied("Listan till IVO visas för myndighetens personal och inspektörer.")


def _kvartal(text: str | None, today: date) -> ivo.Kvartal:
    """Return the chosen quarter (default the current); raise ValueError with the message."""
    if not text:
        return ivo.Kvartal.for_date(today)
    try:
        kvartal = ivo.Kvartal.parse(text)
    except ValueError:
        raise ValueError(KVARTAL_FEL) from None
    if kvartal.forsta_dag > today:
        raise ValueError(f"Kvartalet {kvartal} har inte börjat ännu.")
    return kvartal


def _page(
    request: HttpRequest,
    *,
    text: str | None,
    form: RegistreraForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    today = timezone.localdate()
    context: dict[str, Any] = {
        "kvartal_val": ivo.senaste_kvartal(today),
        "rapporter": ivo.ivo_rapporter(user=user),
        "kan_registrera": user.roll in HANDLAGGANDE_ROLLER,
    }
    try:
        kvartal = _kvartal(text, today)
    except ValueError as error:
        context.update(kvartal_fel=str(error), vald=text)
        return render(request, "arenden/ivo.html", context, status=400)
    if kvartal not in context["kvartal_val"]:
        context["kvartal_val"] = sorted([*context["kvartal_val"], kvartal], reverse=True)
    rows = ivo.ivo_urval(user=user, kvartal=kvartal, today=today)
    access_record(actor=user, arenden={r.arende for r in rows}, view="ivo")
    registrerad = next(
        (
            r
            for r in context["rapporter"]
            if r.kvartal == str(kvartal) and context["kan_registrera"]
        ),
        None,
    )
    context.update(
        kvartal=kvartal,
        vald=str(kvartal),
        rader=rows,
        dolda_skyddade=ivo.ivo_dolda_skyddade(user=user, kvartal=kvartal, today=today),
        registrerad=registrerad,
        avslutat=kvartal.sista_dag < today,
        form=form or RegistreraForm(initial={"kvartal": str(kvartal), "skickad": today}),
    )
    return render(request, "arenden/ivo.html", context, status=status)


@login_required
def ivo_lista(request: HttpRequest) -> HttpResponse:
    _require_reader(request.user)
    return _page(request, text=request.GET.get("kvartal"))


@login_required
def ivo_export(request: HttpRequest) -> HttpResponse:
    _require_reader(request.user)
    today = timezone.localdate()
    try:
        kvartal = _kvartal(request.GET.get("kvartal"), today)
    except ValueError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    rows = ivo.ivo_urval(user=request.user, kvartal=kvartal, today=today)
    access_record(actor=request.user, arenden={r.arende for r in rows}, view="ivo_export")
    # Swedish Excel opens a semicolon-separated file as columns, and reads å ä ö
    # right only when the file starts with a byte order mark.
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ivo-{kvartal}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_KOLUMNER)
    for row in rows:
        writer.writerow(
            [
                row.pseudonym,
                row.kon,
                row.insats,
                row.typ,
                row.beslutsdatum.isoformat() if row.beslutsdatum else "",
                row.dagar_sedan_beslut if row.dagar_sedan_beslut is not None else "",
                row.avbrott_fran.isoformat() if row.avbrott_fran else "",
                row.forst_rapporterad.isoformat() if row.forst_rapporterad else "",
            ]
        )
    return response


@login_required
@require_POST
def ivo_registrera(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.roll not in HANDLAGGANDE_ROLLER:
        raise PermissionDenied("Din roll får inte registrera rapporter till IVO.")
    form = RegistreraForm(request.POST)
    text = request.POST.get("kvartal", "")
    if not form.is_valid():
        return _page(request, text=text, form=form, status=400)
    try:
        kvartal = _kvartal(form.cleaned_data["kvartal"], timezone.localdate())
        rapport = ivo.ivo_rapport_registrera(
            actor=request.user, kvartal=kvartal, skickad=form.cleaned_data["skickad"]
        )
    except ValueError as error:
        form.add_error(None, str(error))
        return _page(request, text=None, form=form, status=400)
    except ValidationError as error:
        form.add_error(None, error)
        return _page(request, text=text, form=form, status=400)
    messages.success(
        request,
        f"Rapporten för {rapport.kvartal} är registrerad som skickad "
        f"{rapport.skickad:%Y-%m-%d} ({rapport.antal} st).",
    )
    return redirect(reverse("arenden:ivo") + f"?kvartal={rapport.kvartal}")
