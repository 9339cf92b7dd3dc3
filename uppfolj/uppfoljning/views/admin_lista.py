"""The administration's list of support levels: a page and an .xlsx download (002)."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from uppfolj.arenden.access import names_hidden
from uppfolj.audit.services import access_record

from ..forms_stodniva import PeriodForm
from ..selectors_stodniva import (
    ADMINISTRATIONSLISTA_LASARE,
    Administrationslista,
    AdminRad,
    administrationslista,
)
from ..services.avgift import manadens_sista_dag

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATUMFORMAT = "yyyy-mm-dd"
TEXTFORMAT = "@"


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
    response = HttpResponse(administrationslista_xlsx(lista, fran, till), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="stodnivaer-{fran.isoformat()}-{till.isoformat()}.xlsx"'
    )
    return response


# --- The spreadsheet -----------------------------------------------------------------------

Column = tuple[str, Callable[[AdminRad], Any], str | None]

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


def _sheet(ws: Any, columns: Sequence[Column], rows: Sequence[AdminRad]) -> None:
    ws.append([title for title, _, _ in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [len(title) for title, _, _ in columns]
    for row_number, row in enumerate(rows, start=2):
        for column_number, (_, value_of, number_format) in enumerate(columns, start=1):
            value = value_of(row)
            # An empty text is an empty cell, not a cell holding "".
            cell = ws.cell(row=row_number, column=column_number, value=value or None)
            if number_format:
                cell.number_format = number_format
            shown = value.isoformat() if isinstance(value, date) else str(value or "")
            widths[column_number - 1] = max(widths[column_number - 1], len(shown))
    for column_number, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column_number)].width = min(width + 2, 50)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 1)}"


def administrationslista_xlsx(lista: Administrationslista, fran: date, till: date) -> bytes:
    """Return the list as a workbook: "Aktuella nivåer" and the period's "Ändringar"."""
    workbook = Workbook()
    aktuella = workbook.active
    assert aktuella is not None
    aktuella.title = "Aktuella nivåer"
    _sheet(aktuella, AKTUELLA, lista.aktuella)
    _sheet(workbook.create_sheet("Ändringar"), ANDRINGAR, lista.andringar)
    workbook.properties.title = f"Stödnivåer, ändringar {fran.isoformat()}–{till.isoformat()}"
    workbook.properties.creator = "Uppfölj"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
