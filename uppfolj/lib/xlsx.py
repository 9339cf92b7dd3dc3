"""Spreadsheets (.xlsx) with openpyxl: typed cells, bold frozen header, column widths."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATUMFORMAT = "yyyy-mm-dd"
TEXTFORMAT = "@"
HELTAL = "0"
DECIMAL = "0.0"
PROCENT = "0.0%"

# A column: its header, the value of a row in it, and the cells' number format (or a
# function of the row giving it, for a column whose rows hold different kinds of number).
Column = tuple[str, Callable[[Any], Any], str | Callable[[Any], str | None] | None]

MAX_BREDD = 60


def _shown(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.1f}"
    return "" if value is None else str(value)


def write_sheet(ws: Any, columns: Sequence[Column], rows: Sequence[Any]) -> None:
    """Write `rows` under a bold, frozen header row, with number formats, widths and a filter."""
    ws.append([title for title, _, _ in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [len(title) for title, _, _ in columns]
    for row_number, row in enumerate(rows, start=2):
        for column_number, (_, value_of, number_format) in enumerate(columns, start=1):
            value = value_of(row)
            # An empty text is an empty cell, not a cell holding "".
            cell = ws.cell(
                row=row_number, column=column_number, value=None if value == "" else value
            )
            if callable(number_format):
                number_format = number_format(row)
            if number_format:
                cell.number_format = number_format
            widths[column_number - 1] = max(widths[column_number - 1], len(_shown(value)))
    for column_number, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column_number)].width = min(width + 2, MAX_BREDD)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 1)}"


def workbook_bytes(workbook: Workbook, *, title: str) -> bytes:
    """Return the workbook as the bytes of an .xlsx file."""
    workbook.properties.title = title
    workbook.properties.creator = "Uppfölj"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(data: bytes, *, filename: str) -> HttpResponse:
    """Return an .xlsx file as a download named `filename`."""
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
