"""The administration's list of support levels: a page and an .xlsx download (002)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from openpyxl import Workbook

from uppfolj.arenden.access import names_hidden
from uppfolj.audit.services import access_record
from uppfolj.lib.xlsx import (
    DATUMFORMAT,
    TEXTFORMAT,
    Column,
    workbook_bytes,
    write_sheet,
    xlsx_response,
)

from ..forms_stodniva import PeriodForm
from ..selectors_stodniva import (
    ADMINISTRATIONSLISTA_LASARE,
    Administrationslista,
    administrationslista,
)
from ..services.avgift import manadens_sista_dag


def _require_reader(user: Any) -> None:
    if user.roll not in ADMINISTRATIONSLISTA_LASARE:
        raise PermissionDenied(
            "Administrationens lista visas för enhetschef, förste socialsekreterare och "
            "inspektörer."
        )


def _period(request: HttpRequest, today: date) -> tuple[PeriodForm, date, date]:
    """Return the period form and the period, by default the current month."""
    form = PeriodForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    fran = data.get("fran") or today.replace(day=1)
    till = data.get("till") or manadens_sista_dag(fran)
    return form, fran, till


@login_required
def administration(request: HttpRequest) -> HttpResponse:
    _require_reader(request.user)
    form, fran, till = _period(request, timezone.localdate())
    lista = administrationslista(user=request.user, fran=fran, till=till)
    access_record(actor=request.user, arenden=lista.arenden, view="administrationslista")
    context = {
        "form": form,
        "fran": fran,
        "till": till,
        # What the user typed is shown again, also when it is not a date.
        "fran_varde": request.GET.get("fran") or fran.isoformat(),
        "till_varde": request.GET.get("till") or till.isoformat(),
        "lista": lista,
        "namn_dolda": names_hidden(request.user),
    }
    status = 200 if form.is_valid() else 400
    return render(request, "uppfoljning/administration.html", context, status=status)


@login_required
def administration_xlsx(request: HttpRequest) -> HttpResponse:
    _require_reader(request.user)
    form, fran, till = _period(request, timezone.localdate())
    if not form.is_valid():
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    lista = administrationslista(user=request.user, fran=fran, till=till)
    access_record(actor=request.user, arenden=lista.arenden, view="administrationslista_xlsx")
    return xlsx_response(
        administrationslista_xlsx(lista, fran, till),
        filename=f"stodnivaer-{fran.isoformat()}-{till.isoformat()}.xlsx",
    )


# --- The spreadsheet -----------------------------------------------------------------------

AKTUELLA: tuple[Column, ...] = (
    ("Ärende", lambda r: r.arende.arende_id, TEXTFORMAT),
    ("Namn", lambda r: r.namn, TEXTFORMAT),
    ("Personnummer", lambda r: r.personnummer, TEXTFORMAT),
    ("Utförare", lambda r: r.utforare, TEXTFORMAT),
    ("Handläggare", lambda r: r.handlaggare, TEXTFORMAT),
    ("Stödnivå", lambda r: r.niva or "Saknas", TEXTFORMAT),
    ("Gäller från", lambda r: r.galler_fran, DATUMFORMAT),
)
ANDRINGAR: tuple[Column, ...] = (
    ("Ärende", lambda r: r.arende.arende_id, TEXTFORMAT),
    ("Namn", lambda r: r.namn, TEXTFORMAT),
    ("Personnummer", lambda r: r.personnummer, TEXTFORMAT),
    ("Utförare", lambda r: r.utforare, TEXTFORMAT),
    ("Tidigare nivå", lambda r: r.tidigare, TEXTFORMAT),
    ("Ny nivå", lambda r: r.niva, TEXTFORMAT),
    ("Gäller från", lambda r: r.galler_fran, DATUMFORMAT),
    ("Bedömd", lambda r: r.bedomd, DATUMFORMAT),
    ("Bedömd av", lambda r: r.bedomd_av, TEXTFORMAT),
)


def administrationslista_xlsx(lista: Administrationslista, fran: date, till: date) -> bytes:
    """Return the list as a workbook: "Aktuella nivåer" and the period's "Ändringar"."""
    workbook = Workbook()
    aktuella = workbook.active
    assert aktuella is not None
    aktuella.title = "Aktuella nivåer"
    write_sheet(aktuella, AKTUELLA, lista.aktuella)
    write_sheet(workbook.create_sheet("Ändringar"), ANDRINGAR, lista.andringar)
    return workbook_bytes(
        workbook, title=f"Stödnivåer, ändringar {fran.isoformat()}–{till.isoformat()}"
    )
