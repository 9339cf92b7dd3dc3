"""Gallring: deleting a closed case once its retention period has passed.

The retention period (`UPPFOLJ_GALLRING_AR` years, default 5) counts from the
case's closing (avslut). Only the enhetschef, who answers for the unit's
records, lists and deletes such cases, and only by typing the case's id. The
one service `arende_gallra` deletes the case and every record that depends on
it in one transaction; the change and access logs keep their rows (with the
case's id, without the case's contents) and one audit row records the deletion.

Every foreign key to a case is PROTECT (or, for the logs, SET_NULL), so no
other code path can remove a case; the test of this module checks both that
and that `GALLRINGSORDNING` names every model that holds case data.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone

from uppfolj.accounts.models import Roll
from uppfolj.audit.models import AccessLog, AuditLog
from uppfolj.audit.services import audit_record

from .access import require_visible
from .models import Arende, Person

GALLRING_STANDARD_AR = 5
# Who lists and deletes cases past their retention period: the unit manager answers
# for the unit's records (as for grants and the IVO report); RULES.md names no role.
GALLRARE: frozenset[str] = frozenset({Roll.ENHETSCHEF})

# Every model holding a case's data, as (model label, lookup from the model to the
# case), children before the records they point at, so each delete finds nothing
# left that protects its rows. Labels, not imports: the provider side and the
# follow-up sit above this app.
GALLRINGSORDNING: tuple[tuple[str, str], ...] = (
    ("utforare.Daganteckning", "arende"),
    ("utforare.Sammanstallning", "arende"),
    ("utforare.Delmal", "plan__arende"),
    ("utforare.Genomforandeplan", "arende"),
    ("utforare.Kontaktpersonal", "arende"),
    ("utforare.Besok", "arende"),
    ("utforare.SamlarteamChecklista", "arende"),
    ("utforare.Slutanteckning", "arende"),
    ("utforare.UppdragSvar", "uppdrag__arende"),
    ("uppfoljning.Uppfoljning", "arende"),
    ("uppfoljning.Uppfoljningsmote", "arende"),
    ("uppfoljning.StodnivaAndring", "arende"),
    ("uppfoljning.PersonalensStodbehov", "arende"),
    ("uppfoljning.Avgiftskontroll", "arende"),
    ("uppfoljning.LexSarahRapport", "arende"),
    ("arenden.Journalanteckning", "arende"),
    ("arenden.VarningKvittens", "arende"),
    ("arenden.Behorighet", "arende"),
    ("arenden.Utkast", "arende"),
    ("arenden.Bevakning", "arende"),
    ("arenden.Varning", "arende"),
    ("arenden.Granskningsfakta", "arende"),
    ("arenden.Anmalan", "arende"),
    ("arenden.Ansokan", "arende"),
    ("arenden.Utredning", "arende"),
    ("arenden.Beslut", "arende"),
    ("arenden.Uppdrag", "arende"),
    ("arenden.Avslut", "arende"),
    ("arenden.Handelse", "arende"),
)
# The person's own records, deleted with the person when no other case remains.
PERSONENS_POSTER: tuple[tuple[str, str], ...] = (
    ("utforare.Samtycke", "person"),
    ("arenden.OvrigInsats", "person"),
)


def gallring_ar() -> int:
    """Return the retention period in years (settings.UPPFOLJ_GALLRING_AR)."""
    return int(getattr(settings, "UPPFOLJ_GALLRING_AR", GALLRING_STANDARD_AR))


def _plus_years(day: date, years: int) -> date:
    # 29 February has no match in a common year; the period then ends on the 28th.
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def gallras_fran(avslutad: date, ar: int) -> date:
    """Return the first day a case closed on `avslutad` may be deleted: after `ar` years."""
    return _plus_years(avslutad, ar) + timedelta(days=1)


def _senaste_avslut_fore(today: date, ar: int) -> date:
    """Return the day before which a closing must lie for the case to be past the period."""
    return _plus_years(today, -ar)


def avslutsdatum(arende: Arende) -> date | None:
    """Return the date the case was closed (its latest avslut), or None if it is open."""
    result: date | None = arende.handelser.filter(typ="avslut").aggregate(d=Max("datum"))["d"]
    return result


@dataclass(frozen=True)
class Gallringsbart:
    arende: Arende
    avslutad: date
    gallras_fran: date


def gallringsbara_arenden(*, user: Any, today: date | None = None) -> list[Gallringsbart]:
    """Return the closed cases `user` may see whose retention period has passed.

    `user` None is the command line (`uppfolj gallring --lista`): every case.
    """
    if user is not None and user.roll not in GALLRARE:
        return []
    today = today or timezone.localdate()
    ar = gallring_ar()
    cases = Arende.objects.all() if user is None else Arende.objects.visible_to(user)
    rows = (
        cases.annotate(avslutad=Max("handelser__datum", filter=Q(handelser__typ="avslut")))
        .filter(avslutad__lt=_senaste_avslut_fore(today, ar))
        .select_related("person", "distrikt")
        .order_by("avslutad", "arende_id")
    )
    return [Gallringsbart(a, a.avslutad, gallras_fran(a.avslutad, ar)) for a in rows]


@dataclass(frozen=True)
class Gallringsresultat:
    arende_id: str
    avslutad: date
    raderade: dict[str, int]
    person_raderad: bool

    @property
    def antal(self) -> int:
        return sum(self.raderade.values())


def _delete(queryset: models.QuerySet[Any], counts: Counter[str]) -> None:
    """Delete the rows, those that others of them protect (corrections) last."""
    model = queryset.model
    self_protecting = [
        field.name
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey)
        and field.related_model is model
        and field.remote_field.on_delete is models.PROTECT
    ]
    remaining = queryset
    while remaining.exists():
        referenced = Q()
        for name in self_protecting:
            referenced |= Q(pk__in=remaining.filter(**{f"{name}__isnull": False}).values(name))
        batch = remaining.exclude(referenced) if self_protecting else remaining
        pks = list(batch.values_list("pk", flat=True))
        if not pks:  # a cycle of corrections cannot arise, but must not loop forever
            raise RuntimeError(f"{model._meta.label}: raderna skyddar varandra")
        _, per_model = model.objects.filter(pk__in=pks).delete()
        counts.update({label: n for label, n in per_model.items() if n})


def _check(actor: Any, arende: Arende, bekraftelse: str, today: date) -> date:
    if actor is not None:
        if actor.roll not in GALLRARE:
            raise PermissionDenied("Gallring görs av enhetschefen.")
        require_visible(actor, arende)
    errors: dict[str, str] = {}
    if (bekraftelse or "").strip() != arende.arende_id:
        errors["bekraftelse"] = (
            f"Skriv ärendets id, {arende.arende_id}, för att bekräfta att ärendet ska gallras."
        )
    avslutad = avslutsdatum(arende)
    ar = gallring_ar()
    if avslutad is None:
        errors["__all__"] = "Ärendet är inte avslutat och kan inte gallras."
    elif avslutad >= _senaste_avslut_fore(today, ar):
        errors["__all__"] = (
            f"Ärendet avslutades {avslutad:%Y-%m-%d}; gallringsfristen är {ar} år och "
            f"ärendet kan gallras tidigast {gallras_fran(avslutad, ar):%Y-%m-%d}."
        )
    if errors:
        raise ValidationError(errors)
    assert avslutad is not None
    return avslutad


@transaction.atomic
def arende_gallra(
    *, actor: Any, arende: Arende, bekraftelse: str, today: date | None = None
) -> Gallringsresultat:
    """Delete a closed case past its retention period and every record that depends on it.

    `actor` None is the command line (`uppfolj gallring --gallra ID --ja`), run by the
    operator; the audit row then has no user, as for `uppfolj import`.
    """
    today = today or timezone.localdate()
    # The lock makes a second, concurrent gallring of the same case wait, then find nothing.
    locked = Arende.objects.select_for_update().filter(pk=arende.pk).first()
    if locked is None:
        raise ValidationError("Ärendet finns inte längre; det kan redan vara gallrat.")
    avslutad = _check(actor, locked, bekraftelse, today)
    arende_id = locked.arende_id
    person = locked.person

    # The logs keep who did and read what and when, under the case's id, but not
    # the case's contents: the before and after values are the case's data.
    AuditLog.objects.filter(arende=locked).update(
        arende=None, arende_ref=arende_id, fore=None, efter=None
    )
    AccessLog.objects.filter(arende=locked).update(arende=None, arende_ref=arende_id)

    counts: Counter[str] = Counter()
    for label, lookup in GALLRINGSORDNING:
        model = apps.get_model(label)
        _delete(model.objects.filter(**{lookup: locked}), counts)
    _delete(Arende.objects.filter(pk=locked.pk), counts)

    person_raderad = not Arende.objects.filter(person=person).exists()
    if person_raderad:
        for label, lookup in PERSONENS_POSTER:
            _delete(apps.get_model(label).objects.filter(**{lookup: person}), counts)
        _delete(Person.objects.filter(pk=person.pk), counts)

    result = Gallringsresultat(
        arende_id=arende_id,
        avslutad=avslutad,
        raderade=dict(sorted(counts.items())),
        person_raderad=person_raderad,
    )
    row = audit_record(
        actor=actor,
        action="arende_gallra",
        obj=locked,
        before={
            "arende_id": arende_id,
            "insats": locked.insats,
            "avslutad": avslutad.isoformat(),
            "gallringsfrist_ar": gallring_ar(),
            "raderade": result.raderade,
            "person_raderad": person_raderad,
        },
    )
    row.arende_ref = arende_id
    row.save(update_fields=["arende_ref"])
    return result
