"""The audit report as PDF (seed 004's structure) and its tables as .xlsx (issue 6).

Both take the report page's selection parameters and its access rules. Each download
writes one audit row naming who exported which selection: the files hold figures only,
no case data, so one row per download says what left the system without writing a
row per case for a city-wide export.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from uppfolj.audit.services import audit_record
from uppfolj.lib.pdf import pdf_response
from uppfolj.lib.xlsx import xlsx_response

from ..export.arbetsbok import rapport_xlsx
from ..export.innehall import Rapport, producent, rapport_bygg
from ..selectors import granskning_rapport
from .rapport import _urval


def _ogiltigt(errors: Any) -> HttpResponse:
    fel = "; ".join(
        f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
        for field, messages in errors.items()
    )
    return HttpResponse(
        f"Urvalet kan inte användas. {fel}",
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def _rapport(request: HttpRequest) -> Rapport | HttpResponse:
    """Return the report of the request's selection, or a 400 naming what is wrong."""
    form, urval = _urval(request)
    if not form.is_valid():
        errors = {
            form.fields[f].label if f in form.fields else f: e for f, e in form.errors.items()
        }
        return _ogiltigt(errors)
    data = granskning_rapport(
        user_or_none=request.user,
        insats=urval.urval["insats"],
        as_of=urval.as_of,
        distrikt=urval.urval.get("distrikt"),
        **{k: v for k, v in urval.urval.items() if k not in ("insats", "distrikt")},
    )
    return rapport_bygg(
        urval=urval.urval,
        as_of=urval.as_of,
        helhet=data.urval,
        per_distrikt=data.per_distrikt,
        stad=data.stad,
        skapad=timezone.localtime(),
        skapad_av=producent(request.user),
    )


def _logga(request: HttpRequest, rapport: Rapport, format: str) -> None:
    audit_record(
        actor=request.user,
        action=f"granskning_export_{format}",
        # The row's object is the exporter: the file is about no one case.
        obj=cast(Any, request.user),
        after={
            "urval": rapport.urval,
            "as_of": rapport.as_of.isoformat(),
            "antal_arenden": rapport.antal,
            "distrikt": [d.namn for d in rapport.distrikt],
        },
    )


def _filnamn(rapport: Rapport, suffix: str) -> str:
    distrikt = rapport.urval.get("distrikt", "alla-distrikt")
    namn = f"granskning-{rapport.urval['insats']}-{distrikt}-{rapport.as_of.isoformat()}"
    # Header-safe: the district's name may hold å, ä, ö or spaces.
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in namn)
    return f"{safe.lower()}.{suffix}"


@never_cache
@login_required
def rapport_pdf(request: HttpRequest) -> HttpResponse:
    """The report of the selection as PDF: summary, method, results per district,
    analysis per quality area, likställighet."""
    rapport = _rapport(request)
    if isinstance(rapport, HttpResponse):
        return rapport
    _logga(request, rapport, "pdf")
    return pdf_response(
        request,
        "granskning/pdf/rapport.html",
        {"rapport": rapport},
        filename=_filnamn(rapport, "pdf"),
        attachment=True,
    )


@never_cache
@login_required
def tabeller_xlsx(request: HttpRequest) -> HttpResponse:
    """Every table of the report as a sheet of an .xlsx workbook."""
    rapport = _rapport(request)
    if isinstance(rapport, HttpResponse):
        return rapport
    _logga(request, rapport, "xlsx")
    return xlsx_response(rapport_xlsx(rapport), filename=_filnamn(rapport, "xlsx"))
