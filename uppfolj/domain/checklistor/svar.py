"""The rules on a follow-up's answers: when the next one is due, what must be
answered, how the answers read back, and what they call for."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..calendar import add_months
from .listor import MER, MINDRE
from .typer import (
    ATGARD_NAMN,
    BYT_UTFORARE,
    EJ_SAMMA_UTFORARE,
    FORTSATT,
    JA,
    JUSTERA_NIVA,
    NEJ,
    NY_ANSOKAN,
    OMPROVNING,
    REVIDERA_UPPDRAG,
    SVAR_NAMN,
    TEXT,
    Checklista,
)

# --- The next follow-up --------------------------------------------------------------------

TAT_REGEL = "GEN-TAT-UPPF-3M"
TAT_MANADER = 3


@dataclass(frozen=True)
class Intervall:
    """The longest time to the next follow-up, and the rule that sets it."""

    manader: int
    regel: str
    text: str


def intervall(checklista: Checklista, *, tatare_uppfoljning: bool) -> Intervall | None:
    """Return the rule that bounds the next follow-up: the tighter of the insats' own rule
    and GEN-TAT-UPPF-3M when the case is flagged for tighter follow-up."""
    own = (
        Intervall(checklista.intervall_manader, checklista.regel, checklista.regel_text)
        if checklista.intervall_manader and checklista.regel
        else None
    )
    if tatare_uppfoljning and (own is None or own.manader > TAT_MANADER):
        return Intervall(TAT_MANADER, TAT_REGEL, "Ärendet har tätare uppföljning var tredje månad")
    return own


def nasta_mote_forslag(checklista: Checklista, datum: date, *, tatare_uppfoljning: bool) -> date:
    """Return the proposed next follow-up: at the end of the rule's interval (001 "ett år
    framåt"), or three months on when no rule bounds it."""
    bound = intervall(checklista, tatare_uppfoljning=tatare_uppfoljning)
    return add_months(datum, bound.manader if bound else 3)


# --- Checking the answers ------------------------------------------------------------------

BESVARA = "Besvara frågan."
VALJ_SVAR = "Välj ett svar."
ORSAK_KRAVS = "Dokumentera orsaken till att den enskilde inte medverkat vid uppföljningen."
DELTOG_KRAVS = "Ange om den enskilde medverkade vid uppföljningen."
SAMMA_UTFORARE_KRAVS = "Ta ställning till om uppdraget ska fortsätta hos samma utförare."
ATGARD_KRAVS = "Välj ett ställningstagande."
EJ_SAMMA_UTFORARE_FEL = (
    "Välj byte av utförare, omprövning eller ny ansökan när uppdraget inte ska fortsätta hos "
    "samma utförare."
)
NIVA_UTAN_ATGARD = "Stödnivån behöver justeras enligt svaret ovan: välj inte Fortsätt som tidigare."
MER_TID_FEL = "Mer tid än beviljat kräver ett nytt beslut: välj omprövning eller ny ansökan."
NASTA_MOTE_KRAVS = "Ange datum för nästa uppföljning."
NASTA_MOTE_FORE = "Nästa uppföljning ska ligga efter uppföljningens datum."


def _eller(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} eller {labels[-1]}"


def samma_utforare_fel(checklista: Checklista, boendeform: str | None) -> str:
    """Return the message for a decision that does not fit continuing with the provider."""
    open_ = [
        ATGARD_NAMN[a].lower()
        for a in checklista.atgarder(boendeform)
        if a in checklista.stallningstagande.vid_samma_utforare
    ]
    return f"När uppdraget fortsätter hos samma utförare väljs {_eller(open_)}."


def _tom(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def rensa_svar(
    checklista: Checklista, svar: Mapping[str, Any], boendeform: str | None
) -> dict[str, str]:
    """Return the answers to the questions asked, stripped; anything else is dropped."""
    clean: dict[str, str] = {}
    for fraga in checklista.fragor_for(boendeform):
        value = svar.get(fraga.key)
        if not _tom(value):
            clean[fraga.key] = str(value).strip()
        if fraga.kommentar and not _tom(svar.get(fraga.kommentar_key)):
            clean[fraga.kommentar_key] = str(svar[fraga.kommentar_key]).strip()
    return clean


def granska(
    checklista: Checklista,
    *,
    svar: Mapping[str, Any],
    boendeform: str | None,
    datum: date,
    den_enskilde_deltog: bool | None,
    orsak_ej_deltagit: str,
    samma_utforare: bool | None,
    atgard: str,
    nasta_mote: date | None,
    tatare_uppfoljning: bool,
) -> dict[str, list[str]]:
    """Return what is missing or contradictory in a follow-up, by field; empty if nothing."""
    errors: dict[str, list[str]] = {}

    def fel(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    if den_enskilde_deltog is None:
        fel("den_enskilde_deltog", DELTOG_KRAVS)
    elif not den_enskilde_deltog and _tom(orsak_ej_deltagit):
        fel("orsak_ej_deltagit", ORSAK_KRAVS)

    for fraga in checklista.fragor_for(boendeform):
        value = svar.get(fraga.key)
        if fraga.svarstyp == TEXT:
            if _tom(value):
                fel(fraga.key, BESVARA)
            continue
        if value not in dict(fraga.val):
            fel(fraga.key, VALJ_SVAR)
        elif value in fraga.kommentar_kravs_vid and _tom(svar.get(fraga.kommentar_key)):
            fel(fraga.kommentar_key, fraga.kommentar_fel)

    atgarder = checklista.atgarder(boendeform)
    if samma_utforare is None:
        fel("samma_utforare", SAMMA_UTFORARE_KRAVS)
    if not atgard:
        fel("atgard", ATGARD_KRAVS)
    elif atgard not in atgarder:
        fel("atgard", "Ställningstagandet finns inte för denna insats.")
    elif samma_utforare is False and atgard not in EJ_SAMMA_UTFORARE:
        fel("atgard", EJ_SAMMA_UTFORARE_FEL)
    elif samma_utforare and atgard not in checklista.stallningstagande.vid_samma_utforare:
        fel("atgard", samma_utforare_fel(checklista, boendeform))
    elif atgard == FORTSATT and svar.get("stodniva_justeras") == JA:
        fel("atgard", NIVA_UTAN_ATGARD)
    elif svar.get("tidsbehov") == MER and atgard not in (OMPROVNING, NY_ANSOKAN):
        fel("atgard", MER_TID_FEL)

    if nasta_mote is None:
        fel("nasta_mote", NASTA_MOTE_KRAVS)
    elif nasta_mote <= datum:
        fel("nasta_mote", NASTA_MOTE_FORE)
    else:
        bound = intervall(checklista, tatare_uppfoljning=tatare_uppfoljning)
        if bound and nasta_mote > add_months(datum, bound.manader):
            senast = add_months(datum, bound.manader).isoformat()
            fel("nasta_mote", f"{bound.text} ({bound.regel}): välj ett datum senast {senast}.")
    return errors


# --- Reading a follow-up back --------------------------------------------------------------


@dataclass(frozen=True)
class Svarsrad:
    """One question with its answer, as the document and the journal show it."""

    grupp: str
    fraga: str
    svar: str
    kommentar_rubrik: str = ""
    kommentar: str = ""


def svarsrader(
    checklista: Checklista, svar: Mapping[str, Any], boendeform: str | None
) -> list[Svarsrad]:
    """Return the checklist's questions and their answers, in order."""
    rows = []
    for fraga in checklista.fragor_for(boendeform):
        value = svar.get(fraga.key)
        answer = "" if _tom(value) else str(value)
        rows.append(
            Svarsrad(
                grupp=fraga.grupp,
                fraga=fraga.text,
                svar=answer if fraga.svarstyp == TEXT else fraga.svar_namn(answer),
                kommentar_rubrik=fraga.kommentar,
                kommentar=str(svar.get(fraga.kommentar_key) or ""),
            )
        )
    return rows


def sammanfattning(
    checklista: Checklista,
    *,
    svar: Mapping[str, Any],
    boendeform: str | None,
    den_enskilde_deltog: bool,
    orsak_ej_deltagit: str,
    samma_utforare: bool | None,
    atgard: str,
    nasta_mote: date | None,
) -> str:
    """Return the follow-up as plain text for the journal."""
    lines = [f"{checklista.rubrik}."]
    if den_enskilde_deltog:
        lines.append("Den enskilde medverkade vid uppföljningen.")
    else:
        lines.append(f"Den enskilde medverkade inte vid uppföljningen. Orsak: {orsak_ej_deltagit}")
    grupp = ""
    for row in svarsrader(checklista, svar, boendeform):
        if row.grupp and row.grupp != grupp:
            lines += ["", f"{row.grupp}:"]
        grupp = row.grupp
        lines += ["", row.fraga, row.svar or "–"]
        if row.kommentar:
            lines.append(f"{row.kommentar_rubrik}: {row.kommentar}")
    s = checklista.stallningstagande
    lines += [
        "",
        f"{s.rubrik}:",
        s.samma_utforare,
        "–" if samma_utforare is None else SVAR_NAMN[JA if samma_utforare else NEJ],
    ]
    lines.append(f"Ställningstagande: {ATGARD_NAMN.get(atgard, atgard)}.")
    if nasta_mote:
        lines.append(f"{s.nasta_mote}: {nasta_mote.isoformat()}.")
    return "\n".join(lines)


# --- What the answers call for -------------------------------------------------------------

# Where a next step leads; the web layer turns these into links.
STEG_UPPDRAG = "uppdrag"
STEG_UTREDNING = "utredning"
STEG_STODNIVA = "stodniva"
STEG_AVGIFT = "avgift"


@dataclass(frozen=True)
class NastaSteg:
    """A step the follow-up's answers call for; `mal` names where it is done, if anywhere."""

    text: str
    mal: str | None = None
    # A notice about money owed is shown as a warning, not a step.
    varning: bool = False


def nasta_steg(checklista: Checklista, svar: Mapping[str, Any], atgard: str) -> list[NastaSteg]:
    """Return the steps the answers and the decision call for, most pressing first."""
    steps: list[NastaSteg] = []
    if atgard == REVIDERA_UPPDRAG:
        steps.append(NastaSteg("Revidera uppdraget till utföraren.", STEG_UPPDRAG))
    elif atgard == BYT_UTFORARE:
        steps.append(
            NastaSteg(
                "Byt utförare inom pågående beslut: skicka uppdraget till den nya utföraren.",
                STEG_UPPDRAG,
            )
        )
    elif atgard == OMPROVNING:
        steps.append(NastaSteg("Ompröva pågående beslut: utred behovet på nytt.", STEG_UTREDNING))
    elif atgard == NY_ANSOKAN:
        steps.append(
            NastaSteg("Den enskilde ansöker på nytt, vilket kräver ny utredning.", STEG_UTREDNING)
        )
    if atgard == JUSTERA_NIVA or svar.get("stodniva_justeras") == JA:
        steps.append(
            NastaSteg("Justera stödnivån med skälen och från vilket datum.", STEG_STODNIVA)
        )
    if svar.get("tidsbehov") == MINDRE and atgard not in (OMPROVNING, NY_ANSOKAN):
        steps.append(
            NastaSteg(
                "Den enskilde behöver mindre tid än beviljat: överväg att ompröva beslutet.",
                STEG_UTREDNING,
            )
        )
    unpaid = [
        name
        for key, name in (("hyra_betald", "hyran"), ("egenavgift_betald", "egenavgiften"))
        if svar.get(key) == NEJ
    ]
    if unpaid:
        text = f"Den enskilde har inte betalt {' och inte '.join(unpaid)}."
        if svar.get("egenavgift_betald") == NEJ:
            text += (
                " Registrera den obetalda månaden; stöd/motiverande insatser sätts in genom "
                "uppdrag till utförare. Vid upprepade uteblivna inbetalningar diskuteras "
                "förmedling, god man eller förvaltare."
            )
        else:
            text += " Sätt in motiverande stöd genom uppdrag till utföraren."
        steps.append(NastaSteg(text, STEG_AVGIFT, varning=True))
    if svar.get("plan_svarar_upp") == NEJ:
        steps.append(NastaSteg("Informera utföraren om bristerna i genomförandeplanen."))
    if svar.get("chef_aterkoppling") == NEJ:
        steps.append(
            NastaSteg("Meddela chefen på vård- och omsorgsboendet att uppföljning gjorts.")
        )
    if svar.get("avvikelser") == JA:
        steps.append(NastaSteg("Registrera avvikelserna enligt gällande rutin."))
    return steps
