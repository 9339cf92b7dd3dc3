"""Sessions that end after a period without activity."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

RENEWED_KEY = "_uppfolj_fornyad"


class SessionIdleTimeoutMiddleware:
    """Renew a signed-in user's session on activity, so it ends SESSION_COOKIE_AGE after the last.

    Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) would add a
    database write to every page view; renewing at most once per
    UPPFOLJ_SESSION_FORNYA_SEKUNDER gives the same idle timeout to within that margin.
    A session saved anyway (at login, or by a view) is stamped at no extra cost.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            now = int(time.time())
            renewed = session.get(RENEWED_KEY, 0)
            if session.modified or now - renewed >= settings.UPPFOLJ_SESSION_FORNYA_SEKUNDER:
                session[RENEWED_KEY] = now
        return response


def stamp_session_at_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """Start the idle clock at login (the login saves the session anyway)."""
    if request is not None and hasattr(request, "session"):
        request.session[RENEWED_KEY] = int(time.time())
