"""Consents (samtycke): registered and withdrawn by either side, never deleted (ACC-SAMTYCKE)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from uppfolj.accounts.models import Utforare
from uppfolj.arenden.access import can_handle, require_visible
from uppfolj.arenden.models import Arende
from uppfolj.arenden.services import snapshot
from uppfolj.audit.services import audit_record

from ..access import is_provider_staff
from ..models import Samtycke

FRAMTID = "Datumet får inte ligga i framtiden."
SLUT_FORE_START = "Slutdatumet ligger före startdatumet."


def may_handle_samtycke(user: Any, arende: Arende) -> bool:
    """Return whether `user` may register and withdraw consents from `arende` (visible to them)."""
    if is_provider_staff(user):
        return bool(arende.utforare_id == user.utforare_id)
    return can_handle(user, arende)


def require_samtycke_access(user: Any, arende: Arende) -> None:
    """Raise PermissionDenied unless `user` may register and withdraw consents here."""
    require_visible(user, arende)
    if not may_handle_samtycke(user, arende):
        raise PermissionDenied("Din roll får inte registrera samtycken i ärendet.")


def samtycken_for(user: Any, arende: Arende) -> QuerySet[Samtycke]:
    """Return the individual's consents that `user` sees from `arende`, withdrawn ones too.

    The authority sees them all; a provider sees those given for it or for no provider in
    particular, not what the individual agreed with another provider.
    """
    consents = Samtycke.objects.filter(person_id=arende.person_id).select_related(
        "utforare", "registrerat_av", "aterkallat_av"
    )
    if is_provider_staff(user):
        consents = consents.filter(Q(utforare__isnull=True) | Q(utforare_id=user.utforare_id))
    return consents


def samtycke_status(samtycke: Samtycke, today: date) -> str:
    """Return whether the consent is in force on `today`, in words."""
    if samtycke.aterkallat is not None and samtycke.aterkallat <= today:
        return f"Återkallat {samtycke.aterkallat:%Y-%m-%d}"
    if samtycke.fran > today:
        return f"Gäller från {samtycke.fran:%Y-%m-%d}"
    if samtycke.till is not None and samtycke.till < today:
        return f"Upphörde {samtycke.till:%Y-%m-%d}"
    return "Gäller"


@transaction.atomic
def samtycke_registrera(
    *,
    actor: Any,
    arende: Arende,
    motpart: str,
    omfattning: str,
    fran: date,
    givet_hur: str,
    till: date | None = None,
    utforare: Utforare | None = None,
    omfattar_genomforandeplan: bool = False,
) -> Samtycke:
    """Register the individual's consent, from one of their cases."""
    require_samtycke_access(actor, arende)
    if is_provider_staff(actor) and utforare is not None and utforare.pk != actor.utforare_id:
        raise PermissionDenied(
            "Utföraren registrerar bara samtycken som gäller den egna verksamheten."
        )
    samtycke = Samtycke(
        person_id=arende.person_id,
        motpart=motpart.strip(),
        omfattning=omfattning.strip(),
        fran=fran,
        till=till,
        givet_hur=givet_hur,
        utforare=utforare,
        omfattar_genomforandeplan=omfattar_genomforandeplan,
        registrerat_av=actor,
    )
    errors: dict[str, list[str]] = {}
    if till is not None and till < fran:
        errors["till"] = [SLUT_FORE_START]
    try:
        samtycke.full_clean()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    samtycke.save()
    audit_record(
        actor=actor,
        action="samtycke_registrera",
        obj=samtycke,
        arende=arende,
        after=snapshot(samtycke),
    )
    return samtycke


@transaction.atomic
def samtycke_aterkalla(*, actor: Any, arende: Arende, samtycke: Samtycke, datum: date) -> Samtycke:
    """Record that the individual withdrew a consent; it stays in the history."""
    require_samtycke_access(actor, arende)
    if not samtycken_for(actor, arende).filter(pk=samtycke.pk).exists():
        raise PermissionDenied("Samtycket hör inte till ärendet.")
    locked = Samtycke.objects.select_for_update().get(pk=samtycke.pk)
    if locked.aterkallat is not None:
        raise ValidationError("Samtycket är redan återkallat.")
    if datum > timezone.localdate():
        raise ValidationError({"datum": FRAMTID})
    before = snapshot(locked)
    locked.aterkallat = datum
    locked.aterkallat_av = actor
    locked.save(update_fields=["aterkallat", "aterkallat_av"])
    audit_record(
        actor=actor,
        action="samtycke_aterkalla",
        obj=locked,
        arende=arende,
        before=before,
        after=snapshot(locked),
    )
    return locked
