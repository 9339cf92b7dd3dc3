"""Logging refused reads of a case (ACC-LOGG): who tried to open which case, once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from uppfolj.audit.models import AccessLog
from uppfolj.audit.services import access_refused, request_reads_end, request_reads_start

from .models import Arende

REFUSED = frozenset({403, 404})


class AccessRefusalMiddleware:
    """Mark a refused request's reads as refused, or log the refusal for the case it named.

    A view may log its read and refuse afterwards (a role check after loading the case,
    a missing sub-object); those rows become refusals. A view that refused before it
    logged leaves nothing; then the case named by the URL's `arende_id` (or the query's
    `arende`), if it exists, gets one refusal row; a view that names its case otherwise
    logs its refusal itself (access_refused). Anonymous requests are redirected to the
    login and not logged.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request_reads_start()
        try:
            response = self.get_response(request)
        finally:
            reads = request_reads_end(token)
        user: Any = getattr(request, "user", None)
        if response.status_code in REFUSED and getattr(user, "is_authenticated", False):
            self._log_refusal(request, user, reads)
        return response

    def _log_refusal(self, request: HttpRequest, user: Any, reads: list[int]) -> None:
        if reads:
            AccessLog.objects.filter(pk__in=reads).update(nekad=True)
            return
        match = request.resolver_match
        # The case is named in the path, or in the query string (a draft's case).
        arende_id = (match.kwargs.get("arende_id") if match else None) or request.GET.get("arende")
        if not arende_id:
            return
        arende = Arende.objects.filter(arende_id=arende_id).first()
        if arende is not None:
            access_refused(actor=user, arende=arende, view=match.view_name if match else "")
