"""The genomförandeplan: each save is a new version, never an edit; versions compared."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from uppfolj.arenden.access import require_event_allowed, require_visible
from uppfolj.arenden.models import Arende
from uppfolj.arenden.rader import arendets_rader
from uppfolj.arenden.services import bevakningar_berakna, save_event, snapshot
from uppfolj.audit.services import audit_record
from uppfolj.domain.ibic import LIVSOMRADEN
from uppfolj.lib.kompilerad import objekt, som_forhamtade
from uppfolj.lib.konflikt import Redigeringskonflikt

from ..access import require_provider_staff
from ..models import Delmal, Genomforandeplan

DELMAL_FALT = ("livsomrade", "mal", "aktiviteter", "matbart", "klart_senast")
ANDRA_PLANER = dict(Genomforandeplan.ANDRA_PLANER)
# The deadlines a first plan meets (RULES.md BS-GFP-4V, VOB-GFP-14D).
PLAN_BEVAKNINGAR = ("BS-GFP-4V", "VOB-GFP-14D")

FRAMTID = "Datumet får inte ligga i framtiden."
KONTAKT_UTAN_SAMTYCKE = "Den enskilde måste samtycka till att de angivna kontaktas."
DELAKTIGHET_SAKNAS = "Beskriv hur den enskildes delaktighet har eftersträvats."
INGET_DELMAL = "Planen behöver minst ett delmål."
KOPIA_FORE_PLANEN = "Kopian kan inte ha lämnats över före planens datum."
KLART_FORE_PLANEN = "Klart senast ska ligga efter planens datum."


def plan_fel(
    *,
    datum: date,
    today: date,
    krisplan_kontakter: str,
    krisplan_samtycke: bool,
    delaktighet: bool,
    delaktighet_beskrivning: str,
    andra_planer: Sequence[str],
    kopia_overlamnad: date | None,
    delmal: Sequence[dict[str, Any]],
) -> dict[str, list[str]]:
    """Return the plan's errors by field (GEN-GFP-DELAKTIGHET and the checks of RULES.md)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if datum > today:
        add("datum", FRAMTID)
    if krisplan_kontakter.strip() and not krisplan_samtycke:
        add("krisplan_samtycke", KONTAKT_UTAN_SAMTYCKE)
    if not delaktighet and not delaktighet_beskrivning.strip():
        add("delaktighet_beskrivning", DELAKTIGHET_SAKNAS)
    for code in andra_planer:
        if code not in ANDRA_PLANER:
            add("andra_planer", f"Okänd plan: {code}.")
    if kopia_overlamnad is not None:
        if kopia_overlamnad > today:
            add("kopia_overlamnad", FRAMTID)
        elif kopia_overlamnad < datum:
            add("kopia_overlamnad", KOPIA_FORE_PLANEN)
    if not delmal:
        add("delmal", INGET_DELMAL)
    for index, goal in enumerate(delmal):
        klart = goal.get("klart_senast")
        if isinstance(klart, date) and klart <= datum:
            add(f"delmal-{index}-klart_senast", KLART_FORE_PLANEN)
    return errors


class PlanKonflikt(Redigeringskonflikt):
    """Another version of the plan was saved after the user opened the form."""

    MALL = (
        "Planen har ändrats av {av} {nar} sedan du öppnade den. Dina ändringar är inte "
        "sparade – här är de, jämför och spara igen."
    )


def _merge(errors: dict[str, list[str]], error: ValidationError, prefix: str = "") -> None:
    for field, messages in error.message_dict.items():
        key = f"{prefix}{field}" if field != "__all__" else "__all__"
        errors.setdefault(key, []).extend(m for m in messages if m not in errors.get(key, []))


def _text(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


@transaction.atomic
def genomforandeplan_spara(
    *,
    actor: Any,
    arende: Arende,
    datum: date,
    arbetssatt: str,
    bemotande: str,
    krisplan: str,
    delaktighet: bool,
    delmal: Sequence[dict[str, Any]],
    krisplan_kontakter: str = "",
    krisplan_samtycke: bool = False,
    delaktighet_beskrivning: str = "",
    andra_planer: Iterable[str] = (),
    andra_planer_beskrivning: str = "",
    kopia_overlamnad: date | None = None,
    grundversion: int | None = None,
) -> Genomforandeplan:
    """Save the genomförandeplan as its next version, with its event, audit and bevakningar.

    `grundversion` is the version the user's form started from (0: no plan yet); when another
    version has been saved since, PlanKonflikt is raised and nothing is saved. None is for
    callers that do not edit from an earlier version (imports).
    """
    # Visibility first: no validation message may tell anything about a case out of reach.
    require_visible(actor, arende)
    require_provider_staff(actor, arende)
    # One writer at a time per case, so that two saves cannot take the same version.
    Arende.objects.select_for_update().filter(pk=arende.pk).first()
    previous = arende.planer.select_related("skapad_av").order_by("-version").first()
    current = previous.version if previous else 0
    if grundversion is not None and previous is not None and grundversion != current:
        raise PlanKonflikt(aktuell=current, av=previous.skapad_av.visningsnamn, tid=previous.skapad)
    first = previous is None and not arende.handelser.filter(typ="genomforandeplan_klar").exists()
    typ = "genomforandeplan_klar" if first else "genomforandeplan_reviderad"
    require_event_allowed(actor, arende, typ)

    planer = [code for code in dict.fromkeys(andra_planer) if code]
    plan = Genomforandeplan(
        arende=arende,
        version=(previous.version if previous else 0) + 1,
        datum=datum,
        arbetssatt=arbetssatt.strip(),
        bemotande=bemotande.strip(),
        krisplan=krisplan.strip(),
        krisplan_kontakter=krisplan_kontakter.strip(),
        krisplan_samtycke=krisplan_samtycke,
        delaktighet=delaktighet,
        delaktighet_beskrivning=delaktighet_beskrivning.strip(),
        andra_planer=planer,
        andra_planer_beskrivning=andra_planer_beskrivning.strip(),
        kopia_overlamnad=kopia_overlamnad,
        skapad_av=actor,
    )
    errors = plan_fel(
        datum=datum,
        today=timezone.localdate(),
        krisplan_kontakter=plan.krisplan_kontakter,
        krisplan_samtycke=krisplan_samtycke,
        delaktighet=delaktighet,
        delaktighet_beskrivning=plan.delaktighet_beskrivning,
        andra_planer=planer,
        kopia_overlamnad=kopia_overlamnad,
        delmal=delmal,
    )
    try:
        plan.full_clean(exclude=["handelse"])
    except ValidationError as error:
        _merge(errors, error)
    goals = []
    for index, goal in enumerate(delmal):
        row = Delmal(ordning=index + 1, **{f: _text(goal.get(f)) for f in DELMAL_FALT})
        try:
            row.full_clean(exclude=["plan"])
        except ValidationError as error:
            _merge(errors, error, prefix=f"delmal-{index}-")
        goals.append(row)
    if errors:
        raise ValidationError(errors)

    plan.handelse = save_event(actor, arende, typ, datum, {"delaktighet": delaktighet})
    plan.save()
    for row in goals:
        row.plan = plan
    Delmal.objects.bulk_create(goals)
    audit_record(
        actor=actor,
        action="genomforandeplan_spara",
        obj=plan,
        arende=arende,
        after={**snapshot(plan), "delmal": [snapshot(row) for row in goals]},
    )
    bevakningar_berakna(arende=arende)
    return plan


@transaction.atomic
def genomforandeplan_kopia_registrera(
    *, actor: Any, plan: Genomforandeplan, datum: date
) -> Genomforandeplan:
    """Record the day the individual was handed a copy of a version that has no such date."""
    arende = plan.arende
    require_visible(actor, arende)
    require_provider_staff(actor, arende)
    locked = Genomforandeplan.objects.select_for_update().get(pk=plan.pk)
    if locked.kopia_overlamnad is not None:
        raise ValidationError("Kopian är redan registrerad som överlämnad.")
    if datum > timezone.localdate():
        raise ValidationError({"datum": FRAMTID})
    if datum < locked.datum:
        raise ValidationError({"datum": KOPIA_FORE_PLANEN})
    locked.kopia_overlamnad = datum
    locked.save(update_fields=["kopia_overlamnad"])
    audit_record(
        actor=actor,
        action="genomforandeplan_kopia_registrera",
        obj=locked,
        arende=arende,
        before={"kopia_overlamnad": None},
        after={"kopia_overlamnad": datum.isoformat()},
    )
    return locked


# --- Reading ------------------------------------------------------------------------------


def plan_senaste(arende: Arende) -> Genomforandeplan | None:
    """Return the latest version of the case's plan, with its sub-goals."""
    rows = arendets_rader(
        "plan_senaste",
        lambda a: a.planer.select_related("skapad_av", "handelse").order_by("-version")[:1],
        arende,
    )
    if not rows:
        return None
    plan: Genomforandeplan = rows[0]
    delmal = objekt(
        ("plan_delmal",),
        lambda plan: Delmal.objects.filter(plan_id=plan),
        {"plan": plan.pk},
        kanda={"plan": plan},
    )
    som_forhamtade(plan, "delmal", delmal)
    return plan


def delmal_som_data(plan: Genomforandeplan) -> list[dict[str, Any]]:
    """Return the plan's sub-goals as the form's initial values (a revision starts from them)."""
    return [{f: getattr(goal, f) for f in DELMAL_FALT} for goal in plan.delmal.all()]


# --- Comparing two versions ---------------------------------------------------------------

_TOKENS = re.compile(r"\s+|[^\s]+")


def _html(text: str) -> str:
    return str(escape(text)).replace("\n", "<br>\n")


def text_diff(old: str, new: str) -> SafeString:
    """Return `new` as HTML with the words removed since `old` in <del> and added in <ins>."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    parts: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(_html("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(
                '<del><span class="visually-hidden">Borttaget: </span>'
                f"{_html(''.join(a[i1:i2]))}</del>"
            )
        if op == "replace":
            parts.append(" ")
        if op in ("insert", "replace"):
            parts.append(
                '<ins><span class="visually-hidden">Tillagt: </span>'
                f"{_html(''.join(b[j1:j2]))}</ins>"
            )
    # Every piece of text was escaped by _html.
    return mark_safe("".join(parts))


OFORANDRAD, ANDRAD, TILLAGD, BORTTAGEN = "oforandrad", "andrad", "tillagd", "borttagen"
STATUS_TEXT = {
    OFORANDRAD: "Oförändrat",
    ANDRAD: "Ändrat",
    TILLAGD: "Tillagt",
    BORTTAGEN: "Borttaget",
}


@dataclass(frozen=True)
class FaltDiff:
    rubrik: str
    status: str
    html: SafeString

    @property
    def status_text(self) -> str:
        return STATUS_TEXT[self.status]


@dataclass(frozen=True)
class DelmalDiff:
    rubrik: str
    status: str
    falt: list[FaltDiff]

    @property
    def status_text(self) -> str:
        return STATUS_TEXT[self.status]


@dataclass(frozen=True)
class PlanDiff:
    falt: list[FaltDiff]
    delmal: list[DelmalDiff]

    @property
    def andrade_falt(self) -> list[FaltDiff]:
        return [f for f in self.falt if f.status != OFORANDRAD]

    @property
    def oforandrade_falt(self) -> list[FaltDiff]:
        return [f for f in self.falt if f.status == OFORANDRAD]

    @property
    def antal_andringar(self) -> int:
        return sum(f.status != OFORANDRAD for f in self.falt) + sum(
            d.status != OFORANDRAD for d in self.delmal
        )


def _ja_nej(value: bool) -> str:
    return "Ja" if value else "Nej"


def _datum(value: date | None) -> str:
    return value.isoformat() if value else ""


PLAN_FALT_VISNING: tuple[tuple[str, Callable[[Genomforandeplan], str]], ...] = (
    ("Upprättad", lambda p: _datum(p.datum)),
    ("Arbetsmetod", lambda p: p.arbetssatt),
    ("Bemötande", lambda p: p.bemotande),
    ("Krisplan", lambda p: p.krisplan),
    ("Vem som ska kontaktas", lambda p: p.krisplan_kontakter),
    ("Samtycke till att de kontaktas", lambda p: _ja_nej(p.krisplan_samtycke)),
    ("Den enskilde har deltagit", lambda p: _ja_nej(p.delaktighet)),
    ("Hur delaktigheten eftersträvats", lambda p: p.delaktighet_beskrivning),
    (
        "Andra planer som samordnas",
        lambda p: ", ".join(ANDRA_PLANER.get(code, code) for code in p.andra_planer),
    ),
    ("Samordning med andra planer", lambda p: p.andra_planer_beskrivning),
    ("Kopia överlämnad", lambda p: _datum(p.kopia_overlamnad)),
)
DELMAL_FALT_VISNING: tuple[tuple[str, Callable[[Delmal], str]], ...] = (
    ("Livsområde", lambda d: LIVSOMRADEN.get(d.livsomrade, d.livsomrade)),
    ("Delmål", lambda d: d.mal),
    ("Aktiviteter", lambda d: d.aktiviteter),
    ("Hur vi ser att målet är nått", lambda d: d.matbart),
    ("Klart senast", lambda d: _datum(d.klart_senast)),
)


def _falt_diff(rubrik: str, old: str | None, new: str | None) -> FaltDiff:
    if old == new:
        return FaltDiff(rubrik, OFORANDRAD, mark_safe(_html(new or "")))
    if not old:
        return FaltDiff(rubrik, TILLAGD, text_diff("", new or ""))
    if not new:
        return FaltDiff(rubrik, BORTTAGEN, text_diff(old, ""))
    return FaltDiff(rubrik, ANDRAD, text_diff(old, new))


def _delmal_diff(rubrik: str, old: Delmal | None, new: Delmal | None) -> DelmalDiff:
    falt = [
        _falt_diff(name, get(old) if old else None, get(new) if new else None)
        for name, get in DELMAL_FALT_VISNING
    ]
    if old is None:
        status = TILLAGD
    elif new is None:
        status = BORTTAGEN
    else:
        status = ANDRAD if any(f.status != OFORANDRAD for f in falt) else OFORANDRAD
    return DelmalDiff(rubrik, status, falt)


def plan_jamfor(old: Genomforandeplan, new: Genomforandeplan) -> PlanDiff:
    """Return what changed from one version to another, field by field and goal by goal."""
    falt = [_falt_diff(name, get(old), get(new)) for name, get in PLAN_FALT_VISNING]
    a, b = list(old.delmal.all()), list(new.delmal.all())
    # Sub-goals are paired by life area and goal, so that removing the first one does not
    # show every later goal as changed, and a goal replaced by another is not "changed".
    matcher = SequenceMatcher(
        None, [(d.livsomrade, d.mal) for d in a], [(d.livsomrade, d.mal) for d in b]
    )
    delmal: list[DelmalDiff] = []

    def removed(index: int) -> None:
        delmal.append(_delmal_diff(f"Delmål {index + 1} i version {old.version}", a[index], None))

    def added(index: int) -> None:
        delmal.append(_delmal_diff(f"Delmål {index + 1}", None, b[index]))

    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for k in range(i2 - i1):
                delmal.append(_delmal_diff(f"Delmål {j1 + k + 1}", a[i1 + k], b[j1 + k]))
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            i, j = i1 + k, j1 + k
            if i < i2 and j < j2 and _samma_mal(a[i], b[j]):
                delmal.append(_delmal_diff(f"Delmål {j + 1}", a[i], b[j]))
                continue
            if i < i2:
                removed(i)
            if j < j2:
                added(j)
    return PlanDiff(falt, delmal)


def _samma_mal(a: Delmal, b: Delmal) -> bool:
    """Return whether two sub-goals read as one goal reworded rather than two goals."""
    return a.livsomrade == b.livsomrade or SequenceMatcher(None, a.mal, b.mal).ratio() >= 0.6
