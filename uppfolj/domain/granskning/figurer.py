"""The figures of GRANSKNING.md over a selection: one case's part in each, and their sum.

The per-case measures and the definitions they follow are in `matt`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from ..engine import MET, OVERDUE, REPORTED, evaluate
from ..rules import DEFAULTS, LocalDefaults
from ..tid import KONTINUITET_MAX_PERSONAL, KONTINUITET_MIN_PERSONAL
from ..timeline import Timeline
from .matt import (
    AR_MED_INSATS_GRUPPER,
    AVGJORDA_STATUSAR,
    BESLUTSTID_GRUPPER,
    EJ_ANGIVET,
    EJ_VERKSTALLT_REGEL,
    KOLUMNER,
    KON_KOLUMN,
    TOTALT,
    UPPFOLJNINGSREGLER,
    aktuell_plan,
    andel,
    ar_med_insats_grupp,
    avbokningar_under_beslutet,
    beslut_fran,
    beslut_i_kraft,
    beslutstid_grupp,
    forsta_beviljande_fran,
    handlaggare_kontaktad,
    har_barnperspektiv,
    hela_ar,
    langsta_glapp,
    medeltid_per_manad,
    median,
    plan_med_delaktighet,
    strukturerat_uppdrag,
    uppdrag_andringar,
)

# --- One case ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Fall:
    """One case as the audit reads it: its timeline and what the tables split by."""

    timeline: Timeline
    # "" when the case has none.
    verksamhetsomrade: str
    # kvinna | man
    kon: str
    minderariga_barn: int
    # From the person's decisions on every case with this insats (None: this case's own).
    forsta_beviljande: date | None = None
    # The days of the case's cancellations (daily notes of typ avbokning, not marked wrong).
    avbokningar: tuple[date, ...] = ()
    # The visits of the time register in the window of `besok_fran` (the caller counts
    # them): all, those outside office hours on a weekday evening (kvall) and at a weekend
    # or holiday (helg) as `domain.tid.Besokstid.utanfor_kontorstid` classes them, and the
    # distinct staff who made them.
    besok: int = 0
    besok_kvall: int = 0
    besok_helg: int = 0
    personal: int = 0


@dataclass(frozen=True)
class Fallresultat:
    """One case's part in every figure on one date, so a figure can list its cases."""

    case_id: str
    omrade: str
    kolumn: str | None
    minuter_per_vecka: int | None
    ar_med_insats: str
    beslutstid: str
    aktuell_plan: bool
    delaktighet: bool
    uppfoljd_i_tid: bool
    # None: no uppdrag sent.
    strukturerat: bool | None
    langsta_glapp: int | None
    med_barn: bool
    barnperspektiv: bool
    # GEN-IVO-3M instances overdue or reported on as_of: their statuses.
    ej_verkstallda: tuple[str, ...]
    # (rule, status) of every deadline instance due on or before as_of.
    bevakningar: tuple[tuple[str, str], ...]
    uppdrag_andringar: int = 0
    avbokningar: int = 0
    # None: fewer than three cancellations.
    avbokningar_kontaktad: bool | None = None
    besok: int = 0
    besok_kvall: int = 0
    besok_helg: int = 0
    # None: no visits in the window.
    personal: int | None = None

    @property
    def besok_utanfor(self) -> int:
        return self.besok_kvall + self.besok_helg


def fallresultat(
    fall: Fall, as_of: date, defaults: LocalDefaults = DEFAULTS
) -> Fallresultat | None:
    """Return one case's part in the figures on `as_of`; None if it is not in the selection.

    `uppfoljd_i_tid`, `ej_verkstallda` and `bevakningar_i_tid` read the engine's
    statuses as of `as_of` (not the stored bevakningar, which are as of today).
    """
    events = [e for e in fall.timeline.events if e.date <= as_of]
    beslut = beslut_i_kraft(events, as_of)
    if beslut is None:
        return None
    evaluation = evaluate(fall.timeline, as_of, defaults)
    avbokningar = avbokningar_under_beslutet(fall.avbokningar, beslut, as_of)
    forsta = fall.forsta_beviljande or forsta_beviljande_fran(events, as_of) or beslut_fran(beslut)
    return Fallresultat(
        case_id=fall.timeline.case_id,
        omrade=fall.verksamhetsomrade or EJ_ANGIVET,
        kolumn=KON_KOLUMN.get(fall.kon),
        # The latest decision is the decision in force (the one that puts the case in
        # the selection).
        minuter_per_vecka=beslut.minuter_per_vecka,
        ar_med_insats=ar_med_insats_grupp(hela_ar(forsta, as_of)),
        beslutstid=beslutstid_grupp(beslut),
        aktuell_plan=aktuell_plan(events, as_of) is not None,
        delaktighet=plan_med_delaktighet(events, as_of),
        uppfoljd_i_tid=not any(
            b.rule in UPPFOLJNINGSREGLER and b.status == OVERDUE for b in evaluation.bevakningar
        ),
        strukturerat=strukturerat_uppdrag(events, as_of),
        langsta_glapp=langsta_glapp(events, as_of),
        med_barn=fall.minderariga_barn > 0,
        barnperspektiv=har_barnperspektiv(events, as_of),
        ej_verkstallda=tuple(
            b.status
            for b in evaluation.bevakningar
            if b.rule == EJ_VERKSTALLT_REGEL and b.status in (OVERDUE, REPORTED)
        ),
        bevakningar=tuple((b.rule, b.status) for b in evaluation.bevakningar if b.due <= as_of),
        uppdrag_andringar=uppdrag_andringar(events, beslut, as_of),
        avbokningar=len(avbokningar),
        avbokningar_kontaktad=handlaggare_kontaktad(events, avbokningar, as_of),
        besok=fall.besok,
        besok_kvall=fall.besok_kvall,
        besok_helg=fall.besok_helg,
        personal=fall.personal if fall.besok else None,
    )


# --- The figures over a selection --------------------------------------------------------


def _tal(value: Decimal | Fraction | None) -> int | float | None:
    """Return a JSON number: an integer when whole, else a float of the decimal shown."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else float(value)
    return float(value)


def _andel(antal: int, av: int) -> dict[str, int | float | None]:
    return {"antal": antal, "av": av, "andel": _tal(andel(antal, av))}


def omraden_i_ordning(omraden: Iterable[str], ordning: Sequence[str] = ()) -> list[str]:
    """Return the verksamhetsområden present, in `ordning`, then the others by name,
    with `ej_angivet` last."""
    present = set(omraden)
    known = [o for o in ordning if o in present]
    rest = sorted(present - set(ordning) - {EJ_ANGIVET})
    return [*known, *rest, *([EJ_ANGIVET] if EJ_ANGIVET in present else [])]


def _celler(
    resultat: Sequence[Fallresultat], omraden: Sequence[str]
) -> Iterator[tuple[str, str, list[Fallresultat]]]:
    """Yield (row, column, cases) for each verksamhetsområde × {kvinnor, man, totalt}
    and `totalt` × the same."""
    for omrade in [*omraden, TOTALT]:
        rad = [r for r in resultat if omrade in (TOTALT, r.omrade)]
        for kolumn in KOLUMNER:
            yield omrade, kolumn, [r for r in rad if kolumn in (TOTALT, r.kolumn)]


def berakna(
    fall: Iterable[Fall],
    as_of: date,
    *,
    omradesordning: Sequence[str] = (),
    defaults: LocalDefaults = DEFAULTS,
    progress: Callable[[int], None] | None = None,
) -> dict[str, object]:
    """Return every figure of GRANSKNING.md over the cases of `fall` in the selection.

    The result holds the figure keys of GRANSKNING.md's table as JSON-ready values;
    the caller adds `as_of` and `urval`. `progress` is told how many cases are done.
    """
    resultat = []
    for done, one in enumerate(fall, start=1):
        result = fallresultat(one, as_of, defaults)
        if result is not None:
            resultat.append(result)
        if progress is not None:
            progress(done)
    return sammanstall(resultat, omradesordning=omradesordning)


def sammanstall(
    resultat: Sequence[Fallresultat], *, omradesordning: Sequence[str] = ()
) -> dict[str, object]:
    """Return the figures of GRANSKNING.md from the cases' results (see `berakna`).

    Shapes: `antal_arenden` and `beviljad_tid_per_manad` are {område: {kvinnor, man,
    totalt}} with a `totalt` row, only for the områden present (a mean over no case is
    null); `beslutstid` is {område: {bucket: count}} with a `totalt` row; the shares are
    {antal, av, andel}; `langsta_glapp_daganteckningar` is {median, max, antal} in days
    over the executed cases; `barn_med_barnperspektiv` is {med_barn, med_barnperspektiv};
    `ej_verkstallda` is {antal, overdue, reported} counted in instances;
    `bevakningar_i_tid` is {rule: {met, met_late, overdue, reported, andel}}.
    `ar_med_insats` counts cases (one per person and insats in practice).
    """
    omraden = omraden_i_ordning((r.omrade for r in resultat), omradesordning)

    antal: dict[str, dict[str, int]] = {}
    tid: dict[str, dict[str, float | None]] = {}
    for omrade, kolumn, cell in _celler(resultat, omraden):
        antal.setdefault(omrade, {})[kolumn] = len(cell)
        minutes = [r.minuter_per_vecka for r in cell if r.minuter_per_vecka is not None]
        tid.setdefault(omrade, {})[kolumn] = _tal(medeltid_per_manad(minutes))

    ar = Counter(r.ar_med_insats for r in resultat)
    beslutstid = {
        omrade: {
            grupp: sum(
                1 for r in resultat if omrade in (TOTALT, r.omrade) and r.beslutstid == grupp
            )
            for grupp in BESLUTSTID_GRUPPER
        }
        for omrade in [*omraden, TOTALT]
    }

    med_plan = [r for r in resultat if r.aktuell_plan]
    med_uppdrag = [r for r in resultat if r.strukturerat is not None]
    glapp = [r.langsta_glapp for r in resultat if r.langsta_glapp is not None]
    med_barn = [r for r in resultat if r.med_barn]
    ej_verkstallda = [status for r in resultat for status in r.ej_verkstallda]

    per_regel: dict[str, Counter[str]] = {}
    for r in resultat:
        for rule, status in r.bevakningar:
            per_regel.setdefault(rule, Counter())[status] += 1
    bevakningar_i_tid: dict[str, dict[str, int | float | None]] = {}
    for rule in sorted(per_regel):
        counts = per_regel[rule]
        row: dict[str, int | float | None] = {s: counts[s] for s in AVGJORDA_STATUSAR}
        row["andel"] = _tal(andel(counts[MET], sum(counts[s] for s in AVGJORDA_STATUSAR)))
        bevakningar_i_tid[rule] = row

    return {
        "antal_arenden": antal,
        "beviljad_tid_per_manad": tid,
        "ar_med_insats": {grupp: ar[grupp] for grupp in AR_MED_INSATS_GRUPPER},
        "beslutstid": beslutstid,
        "aktuell_genomforandeplan": _andel(len(med_plan), len(resultat)),
        "delaktighet_i_plan": _andel(sum(r.delaktighet for r in med_plan), len(med_plan)),
        "uppfoljd_i_tid": _andel(sum(r.uppfoljd_i_tid for r in resultat), len(resultat)),
        "strukturerat_uppdrag": _andel(
            sum(r.strukturerat is True for r in med_uppdrag), len(med_uppdrag)
        ),
        "langsta_glapp_daganteckningar": {
            "median": _tal(median(glapp)),
            "max": max(glapp, default=None),
            "antal": len(glapp),
        },
        "barn_med_barnperspektiv": {
            "med_barn": len(med_barn),
            "med_barnperspektiv": sum(r.barnperspektiv for r in med_barn),
        },
        "ej_verkstallda": {
            "antal": len(ej_verkstallda),
            OVERDUE: ej_verkstallda.count(OVERDUE),
            REPORTED: ej_verkstallda.count(REPORTED),
        },
        "bevakningar_i_tid": bevakningar_i_tid,
        **nya_nyckeltal(resultat),
    }


def nya_nyckeltal(resultat: Sequence[Fallresultat]) -> dict[str, object]:
    """Return the figures RULES.md lists that GRANSKNING.md does not define.

    - `andrat_uppdrag` {antal, av, andel, andringar}: cases with at least one change to
      the uppdrag during the decision in force (`uppdrag_andringar`) of all cases, and
      the changes in all.
    - `avbokningar` {med_avbokning, minst_tre, kontaktad, andel, antal}: cases with a
      cancellation during the decision in force, those with three or more, of those the
      ones with a `handlaggare_kontaktad` on or after the third (`andel` = kontaktad /
      minst_tre), and the cancellations in all.
    - `besok_utanfor_kontorstid` {besok, utanfor, kvall, helg, andel, arenden, av}: the
      visits of the three months up to `as_of` (`besok_fran`), those outside office
      hours (weekday evenings and weekends, `domain.tid`), their share of the visits,
      and the cases with any of the `av` cases with visits.
    - `personal_per_individ` {median, max, antal, inom_grans, andel}: distinct staff who
      made a case's visits in the same window, median and maximum over the `antal` cases
      with visits, and the cases with two or three (GEN-KONTINUITET's bounds).
    """
    andrade = [r for r in resultat if r.uppdrag_andringar]
    med_avbokning = [r for r in resultat if r.avbokningar]
    minst_tre = [r for r in resultat if r.avbokningar_kontaktad is not None]
    kontaktad = sum(r.avbokningar_kontaktad is True for r in minst_tre)
    med_besok = [r for r in resultat if r.besok]
    besok = sum(r.besok for r in med_besok)
    utanfor = sum(r.besok_utanfor for r in med_besok)
    personal = [r.personal for r in med_besok if r.personal is not None]
    inom_grans = sum(
        KONTINUITET_MIN_PERSONAL <= antal <= KONTINUITET_MAX_PERSONAL for antal in personal
    )
    return {
        "andrat_uppdrag": {
            **_andel(len(andrade), len(resultat)),
            "andringar": sum(r.uppdrag_andringar for r in resultat),
        },
        "avbokningar": {
            "med_avbokning": len(med_avbokning),
            "minst_tre": len(minst_tre),
            "kontaktad": kontaktad,
            "andel": _tal(andel(kontaktad, len(minst_tre))),
            "antal": sum(r.avbokningar for r in resultat),
        },
        "besok_utanfor_kontorstid": {
            "besok": besok,
            "utanfor": utanfor,
            "kvall": sum(r.besok_kvall for r in med_besok),
            "helg": sum(r.besok_helg for r in med_besok),
            "andel": _tal(andel(utanfor, besok)),
            "arenden": sum(1 for r in med_besok if r.besok_utanfor),
            "av": len(med_besok),
        },
        "personal_per_individ": {
            "median": _tal(median(personal)),
            "max": max(personal, default=None),
            "antal": len(personal),
            "inom_grans": inom_grans,
            "andel": _tal(andel(inom_grans, len(personal))),
        },
    }


def andel_i_tid_over_tid(
    fall: Sequence[Fall], datum: Sequence[date], defaults: LocalDefaults = DEFAULTS
) -> dict[str, list[float | None]]:
    """Return per rule the `bevakningar_i_tid` share on each of `datum`, over the cases in
    the selection on that date (a series of `bevakningar_i_tid` for the chart "over
    time"); None where no instance of the rule had fallen due. Rules by ID."""
    per_datum: list[dict[str, Counter[str]]] = []
    for dag in datum:
        per_regel: dict[str, Counter[str]] = {}
        for one in fall:
            events = [e for e in one.timeline.events if e.date <= dag]
            if beslut_i_kraft(events, dag) is None:
                continue
            for b in evaluate(one.timeline, dag, defaults).bevakningar:
                if b.due <= dag:
                    per_regel.setdefault(b.rule, Counter())[b.status] += 1
        per_datum.append(per_regel)
    regler = sorted({rule for per_regel in per_datum for rule in per_regel})
    out: dict[str, list[float | None]] = {}
    for rule in regler:
        serie: list[float | None] = []
        for per_regel in per_datum:
            counts = per_regel.get(rule, Counter())
            avgjorda = sum(counts[s] for s in AVGJORDA_STATUSAR)
            value = _tal(andel(counts[MET], avgjorda))
            serie.append(None if value is None else float(value))
        out[rule] = serie
    return out
