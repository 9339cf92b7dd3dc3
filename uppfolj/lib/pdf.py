"""Printable PDFs from Django templates with WeasyPrint: one place for the plumbing."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def pdf_bytes(html: str) -> bytes:
    """Return the PDF of an HTML document (its print CSS decides page size and numbers)."""
    # WeasyPrint loads its fonts and layout engine on import; only PDF pages need it.
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def pdf_response(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    filename: str,
    attachment: bool = False,
) -> HttpResponse:
    """Return the PDF of `template` rendered with `context`, named `filename`."""
    pdf = pdf_bytes(render_to_string(template, context, request=request))
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
