"""Django's database sessions, each read with its user in one query compiled once.

Every signed-in request reads its session and then its user before the view runs: two
round trips, and the ORM built and compiled both queries on every request at more cost
than the database's answers (`uppfolj.lib.kompilerad`). The session row here carries
the id of the user signed in to it (`Inloggning`), and the session is read joined with
its user; the authentication backends take that user (`backends.sessionens_anvandare`)
instead of reading it again. What the session holds, its expiry, and how it is
verified are Django's (`django.contrib.sessions.backends.db`, `auth.get_user`).
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any, cast

from django.contrib.auth import SESSION_KEY
from django.contrib.auth import get_user as django_get_user
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.backends import db
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from uppfolj.accounts.models import Inloggning, User
from uppfolj.lib.kompilerad import objekt


def anvandar_id(value: Any) -> int | None:
    """Return the user id a session holds (`_auth_user_id`, a text), or None."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _sessionen(nyckel: str) -> QuerySet[Inloggning]:
    return Inloggning.objects.filter(session_key=nyckel).select_related("anvandare")


class SessionStore(db.SessionStore):
    # The user the session row names, read with it (None until it is read, or if none).
    anvandaren: User | None = None

    @classmethod
    def get_model_class(cls) -> type[Inloggning]:
        return Inloggning

    def create_model_instance(self, data: dict[str, Any]) -> Inloggning:
        inloggning = cast(Inloggning, super().create_model_instance(data))
        inloggning.anvandare_id = anvandar_id(data.get(SESSION_KEY))
        return inloggning

    def _get_session_from_db(self) -> Inloggning | None:
        key = self.session_key
        rows = objekt(("inloggning",), _sessionen, {"nyckel": key}) if key else []
        # Django's query asks for expire_date > now; the comparison is the same here.
        if rows and rows[0].expire_date > timezone.now():
            self.anvandaren = rows[0].anvandare
            return rows[0]
        self._session_key = None
        return None


# The session of the request whose user is being read: its user was read with it.
_sessionen_nu: ContextVar[Any] = ContextVar("uppfolj_sessionen", default=None)


def sessionens_lasta_anvandare(user_id: int) -> User | None:
    """Return the user `user_id` if the session being authenticated read it, else None."""
    user = getattr(_sessionen_nu.get(), "anvandaren", None)
    return user if user is not None and user.pk == user_id else None


def _inloggad(request: HttpRequest) -> Any:
    if not hasattr(request, "_cached_user"):
        token = _sessionen_nu.set(request.session)
        try:
            request._cached_user = django_get_user(request)  # type: ignore[attr-defined]
        finally:
            _sessionen_nu.reset(token)
    return request._cached_user  # type: ignore[attr-defined]


class InloggningMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, whose user is the one read with the session."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _inloggad(request))  # type: ignore[assignment]
