"""The one place that decides what a user may see and do with a case.

ACC-SEKRETESSGRANS: provider staff see only the cases their provider has an
uppdrag for. ACC-SKYDDAD: a protected-identity case is visible only to users
explicitly granted it. Authority staff see the cases of their own district;
inspectors read across the city; administrators manage users, not cases.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef

from uppfolj.accounts.models import MYNDIGHET_ROLLER, UTFORAR_ROLLER, Roll

# Who may grant access to protected cases (003 "uppdrag i sekretessmarkerade ärenden").
BEHORIGHET_BEVILJARE: frozenset[str] = frozenset(
    {Roll.FORSTE_SOCIALSEKRETERARE, Roll.ENHETSCHEF, Roll.UTFORARCHEF, Roll.STODPEDAGOG}
)
# Who carries out the authority's steps on a case.
HANDLAGGANDE_ROLLER: frozenset[str] = frozenset(
    {Roll.SOCIALSEKRETERARE, Roll.FORSTE_SOCIALSEKRETERARE, Roll.ENHETSCHEF}
)


class ArendeQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ArendeQuerySet:
        """Return the cases `user` may see."""
        return self.filter(visible_q(user))


def _omfang(user: Any, via: str) -> models.Q | None:
    """Return the cases of `user`'s part of the city (their provider's, their district's,
    the whole city for an inspector), protected or not; None for none."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.roll in UTFORAR_ROLLER:
        if user.utforare_id is None:
            return None
        return models.Q(**{f"{via}utforare_id": user.utforare_id})
    if user.roll in MYNDIGHET_ROLLER:
        if user.distrikt_id is None:
            return None
        return models.Q(**{f"{via}distrikt_id": user.distrikt_id})
    if user.roll == Roll.INSPEKTOR:
        return models.Q()
    return None


def _beviljad(user: Any, via: str) -> Exists:
    from .models import Behorighet

    case = via.removesuffix("__") or "pk"
    return Exists(Behorighet.objects.filter(arende=OuterRef(case), anvandare_id=user.pk))


@dataclass(frozen=True)
class Synlighet:
    """What of a user the access rules read (`visible_q`; `samtycken_for`, which a
    provider's staff see), and nothing else.

    A query compiled once per shape (`uppfolj.lib.kompilerad`) is built from one of these
    with marker ids (`med_ids`) and kept per `form`: a condition of `visible_q` that read
    any other attribute of the user would fail to build, not give another user's rows.
    """

    pk: int
    roll: str
    is_active: bool
    distrikt_id: int | None
    utforare_id: int | None
    is_authenticated: bool = True

    @property
    def form(self) -> tuple[Any, ...]:
        """Everything but the ids: what the SQL of `visible_q(self)` depends on."""
        return (
            self.roll,
            self.is_active,
            self.is_authenticated,
            self.distrikt_id is None,
            self.utforare_id is None,
        )

    @property
    def ids(self) -> dict[str, int]:
        """The ids, for the markers of a compiled query (0 for none)."""
        return {
            "anvandare": self.pk or 0,
            "distrikt": self.distrikt_id or 0,
            "utforare": self.utforare_id or 0,
        }

    def med_ids(self, anvandare: int, distrikt: int, utforare: int) -> Synlighet:
        """Return this shape with other ids (a compiled query's markers)."""
        return replace(
            self,
            pk=anvandare,
            distrikt_id=None if self.distrikt_id is None else distrikt,
            utforare_id=None if self.utforare_id is None else utforare,
        )


def synlighet(user: Any) -> Synlighet:
    """Return what of `user` decides which cases they see."""
    authenticated = bool(getattr(user, "is_authenticated", False))
    return Synlighet(
        pk=user.pk if authenticated else 0,
        roll=getattr(user, "roll", ""),
        is_active=bool(getattr(user, "is_active", False)),
        distrikt_id=getattr(user, "distrikt_id", None),
        utforare_id=getattr(user, "utforare_id", None),
        is_authenticated=authenticated,
    )


def visible_q(user: Any, via: str = "") -> models.Q:
    """Return the condition for the cases `user` may see, on the case itself or, with
    `via` ("arende__"), on the case of the rows of a model with a foreign key to it.

    `visible_to` is this condition on the cases; a worklist of bevakningar filters its
    rows by it directly, in one join, instead of by a subquery of visible cases.
    """
    omfang = _omfang(user, via)
    if omfang is None:
        return models.Q(pk__in=[])
    protected = models.Q(**{f"{via}person__skyddad_identitet": False}) | _beviljad(user, via)
    return omfang & cast(models.Q, protected)


def dolda_skyddade(user: Any) -> ArendeQuerySet:
    """Return the protected cases of `user`'s part of the city that `user` may not see for
    want of a grant (ACC-SKYDDAD). Only ever counted, so that a unit's lists can say that
    such cases exist without saying which."""
    from .models import Arende

    omfang = _omfang(user, "")
    if omfang is None:
        return Arende.objects.none()
    return Arende.objects.filter(omfang, person__skyddad_identitet=True).exclude(
        _beviljad(user, "")
    )


def names_hidden(user: Any) -> bool:
    """Return whether lists hide names from `user`: an inspector reads cases, not people."""
    return bool(getattr(user, "roll", None) == Roll.INSPEKTOR)


def can_handle(user: Any, arende: Any) -> bool:
    """Return whether `user` may carry out the authority's steps on `arende`."""
    return user.roll in HANDLAGGANDE_ROLLER


def require_handle(user: Any, arende: Any) -> None:
    """Raise PermissionDenied unless `user` may carry out authority steps on `arende`."""
    # A service must refuse a case the user cannot see before it checks anything
    # else, or its validation messages and warnings would tell about the case.
    if arende is not None:
        require_visible(user, arende)
    if not can_handle(user, arende):
        raise PermissionDenied("Din roll får inte registrera detta i ärendet.")


# Set on a case instance fetched through visible_to(user) in the current request, so that
# the sections of a page (and the services it calls) do not ask the database again.
_SYNLIG_FOR = "_uppfolj_synlig_for"


def mark_visible(arende: Any, user: Any) -> None:
    """Remember on this instance that it was just fetched through `visible_to(user)`.

    Only for an instance read from `Arende.objects.visible_to(user)` in the current
    request: the mark lives as long as the instance, and a fresh instance asks again.
    """
    setattr(arende, _SYNLIG_FOR, (user.pk, user.roll, user.is_active))


def is_visible(user: Any, arende: Any) -> bool:
    """Return whether `user` may see `arende`: the mark of mark_visible, or one query."""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(arende, _SYNLIG_FOR, None) == (user.pk, user.roll, user.is_active):
        return True
    from .models import Arende

    return Arende.objects.visible_to(user).filter(pk=arende.pk).exists()


def require_visible(user: Any, arende: Any) -> None:
    """Raise PermissionDenied unless `user` may see `arende`."""
    if not is_visible(user, arende):
        raise PermissionDenied("Du har inte behörighet till ärendet.")


# Events the provider records (003 "Genomföra insats"); the provider may record no others.
UTFORAR_HANDELSER = frozenset(
    {
        "kontakt_tagen",
        "uppstartsmote",
        "verkstallt",
        "genomforandeplan_klar",
        "genomforandeplan_reviderad",
        "daganteckning",
        "sammanstallning",
        "sjukhusinlaggning",
        "utskrivning",
        "paus",
        "ateruppta",
        "utebliven_kontakt",
        "kontakt_aterupptagen",
        "eskalerad",
        "lex_sarah",
        "samlarteam_start",
        "samlarteam_utvardering",
        "slutanteckning",
    }
)
# Provider documents that only the provider writes.
ENDAST_UTFORARE = frozenset(
    {
        "daganteckning",
        "sammanstallning",
        "genomforandeplan_klar",
        "genomforandeplan_reviderad",
        "slutanteckning",
    }
)


def require_event_allowed(user: Any, arende: Any, typ: str) -> None:
    """Raise PermissionDenied unless `user` may record an event of `typ` on `arende`."""
    require_visible(user, arende)
    if user.roll in UTFORAR_ROLLER:
        if typ not in UTFORAR_HANDELSER:
            raise PermissionDenied("Utföraren får inte registrera denna händelse.")
    elif user.roll in HANDLAGGANDE_ROLLER:
        if typ in ENDAST_UTFORARE:
            raise PermissionDenied("Denna dokumentation skrivs av utföraren.")
    else:
        raise PermissionDenied("Din roll får inte registrera händelser.")
