"""The draft of a sammanställning, without the database (003 Social dokumentation).

`underlag_bygg` groups a period's daily notes by the plan's sub-goals and drafts the
summary's texts; `anteckningar.sammanstallning_underlag` reads the rows it is given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from uppfolj.domain.ibic import LIVSOMRADEN

from ..models import Daganteckning

Typ = Daganteckning.Typ


def _antal(antal: int, en: str, flera: str) -> str:
    return f"{antal} {en if antal == 1 else flera}"


def _timmar(minuter: int) -> str:
    hours, rest = divmod(minuter, 60)
    return f"{hours} tim {rest} min" if rest else f"{hours} tim"


@dataclass(frozen=True)
class Grupp:
    """The notes of one sub-goal (or of none) within a summary period."""

    delmal: Any  # Delmal, or None for "Utan koppling till delmål"
    anteckningar: tuple[Any, ...]

    @property
    def rubrik(self) -> str:
        if self.delmal is None:
            return "Utan koppling till delmål"
        return self.delmal.mal

    @property
    def livsomrade(self) -> str:
        return LIVSOMRADEN.get(self.delmal.livsomrade, "") if self.delmal is not None else ""

    def _count(self, typ: str) -> int:
        return sum(1 for note in self.anteckningar if note.typ == typ)

    @property
    def antal(self) -> int:
        return len(self.anteckningar)

    @property
    def antal_avbokningar(self) -> int:
        return self._count(Typ.AVBOKNING)

    @property
    def antal_uteblivna(self) -> int:
        return self._count(Typ.UTEBLIVEN)

    @property
    def antal_klagomal(self) -> int:
        return self._count(Typ.KLAGOMAL)


@dataclass(frozen=True)
class Underlag:
    """A summary period's notes grouped by sub-goal, counted, with suggested texts."""

    fran: date
    till: date
    grupper: tuple[Grupp, ...]
    anteckningar: tuple[Any, ...]
    antal_felmarkerade: int = 0
    beviljat_minuter_per_vecka: int | None = None
    antal_besok: int = 0
    besok_minuter: int = 0
    forslag: dict[str, str] = field(default_factory=dict)

    def _of(self, typ: str) -> list[Any]:
        return [note for note in self.anteckningar if note.typ == typ]

    @property
    def antal_anteckningar(self) -> int:
        return len(self.anteckningar)

    @property
    def antal_avbokningar(self) -> int:
        return len(self._of(Typ.AVBOKNING))

    @property
    def antal_uteblivna(self) -> int:
        return len(self._of(Typ.UTEBLIVEN))

    @property
    def antal_klagomal(self) -> int:
        return len(self._of(Typ.KLAGOMAL))

    @property
    def antal_sjukhus(self) -> int:
        return len(self._of(Typ.SJUKHUS))

    @property
    def antal_hjalpmedel(self) -> int:
        return len(self._of(Typ.HJALPMEDEL))

    @property
    def klagomal(self) -> list[Any]:
        return self._of(Typ.KLAGOMAL)


def _datum_lista(notes: Sequence[Any]) -> str:
    return f" ({', '.join(f'{n.datum:%Y-%m-%d}' for n in notes)})" if notes else ""


def _forslag(underlag: Underlag) -> dict[str, str]:
    u = underlag
    tid = [
        f"Under perioden {u.fran:%Y-%m-%d}–{u.till:%Y-%m-%d} finns "
        f"{_antal(u.antal_anteckningar, 'daganteckning', 'daganteckningar')}.",
        f"Avbokningar: {u.antal_avbokningar}{_datum_lista(u._of(Typ.AVBOKNING))}.",
        f"Uteblivna besök (inte hemma, inte avbokat): {u.antal_uteblivna}"
        f"{_datum_lista(u._of(Typ.UTEBLIVEN))}.",
        f"Sjukhusinläggningar: {u.antal_sjukhus}{_datum_lista(u._of(Typ.SJUKHUS))}.",
    ]
    if u.beviljat_minuter_per_vecka:
        tid.append(f"Beviljad tid: {_timmar(u.beviljat_minuter_per_vecka)} per vecka.")
    if u.antal_besok:
        tid.append(f"Registrerade besök: {u.antal_besok}, sammanlagt {_timmar(u.besok_minuter)}.")
    tid += ["Outnyttjad tid: ", "Behov av mer tid: "]
    goals = [g for g in u.grupper if g.delmal is not None]
    individ = "\n".join(f"{g.rubrik}: " for g in goals)
    utforare = "\n".join(
        f"{g.rubrik}{f' ({g.livsomrade})' if g.livsomrade else ''}: "
        f"{_antal(g.antal, 'anteckning', 'anteckningar')}."
        for g in u.grupper
    )
    if u.klagomal:
        klagomal = "\n".join(
            [
                f"Klagomål under perioden: {len(u.klagomal)}.",
                *(f"– {n.datum:%Y-%m-%d}: {' '.join(n.text.split())}" for n in u.klagomal),
                "",
                "Vad som gjorts: ",
            ]
        )
    else:
        klagomal = "Den enskilde har inte framfört några klagomål under perioden."
    return {
        "tidsanvandning": "\n".join(tid),
        "malarbete_individ": individ,
        "malarbete_utforare": utforare,
        "klagomal": klagomal,
    }


def _goal_key(delmal: Any) -> tuple[str, str]:
    # A revised plan copies its sub-goals into a new version; the same goal in two
    # versions is one group.
    return (delmal.livsomrade, " ".join(delmal.mal.split()))


def underlag_bygg(
    *,
    fran: date,
    till: date,
    anteckningar: Iterable[Any],
    delmal: Sequence[Any] = (),
    beviljat_minuter_per_vecka: int | None = None,
    antal_besok: int = 0,
    besok_minuter: int = 0,
) -> Underlag:
    """Return the draft of a summary from the period's notes and the plan's sub-goals.

    Notes marked wrong are left out (their corrections count); `delmal` are the
    latest plan's sub-goals, shown even when no note concerns them.
    """
    notes = sorted(
        (n for n in anteckningar if fran <= n.datum <= till),
        key=lambda n: (n.datum, n.pk or 0),
    )
    valid = [n for n in notes if n.felmarkerad is None]
    groups: dict[tuple[str, str] | None, list[Any]] = {_goal_key(d): [] for d in delmal}
    shown: dict[tuple[str, str] | None, Any] = {_goal_key(d): d for d in delmal}
    for note in valid:
        key = _goal_key(note.delmal) if note.delmal is not None else None
        groups.setdefault(key, []).append(note)
        shown.setdefault(key, note.delmal)
    ordered = [k for k in groups if k is not None] + ([None] if None in groups else [])
    underlag = Underlag(
        fran=fran,
        till=till,
        grupper=tuple(Grupp(shown[k], tuple(groups[k])) for k in ordered),
        anteckningar=tuple(valid),
        antal_felmarkerade=len(notes) - len(valid),
        beviljat_minuter_per_vecka=beviljat_minuter_per_vecka,
        antal_besok=antal_besok,
        besok_minuter=besok_minuter,
    )
    underlag.forslag.update(_forslag(underlag))
    return underlag
