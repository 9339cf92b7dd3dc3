"""The follow-up checklists' building blocks: answer kinds, questions, the
statements a follow-up must make, and the checklist itself."""

from __future__ import annotations

from dataclasses import dataclass

# --- Answer kinds and answers ---------------------------------------------------------------

TEXT = "text"
JA_NEJ = "ja_nej"
# "Om aktuellt": yes, no, or not applicable.
JA_NEJ_OM_AKTUELLT = "ja_nej_om_aktuellt"
VAL = "val"

JA = "ja"
NEJ = "nej"
EJ_AKTUELLT = "ej_aktuellt"
SVAR_NAMN = {JA: "Ja", NEJ: "Nej", EJ_AKTUELLT: "Ej aktuellt"}

LAGENHETSBOENDE = "lagenhetsboende"

# The decision on continuation; the same values as Uppfoljning.Atgard.
FORTSATT = "fortsatt"
JUSTERA_NIVA = "justera_niva"
REVIDERA_UPPDRAG = "revidera_uppdrag"
BYT_UTFORARE = "byt_utforare"
OMPROVNING = "omprovning"
NY_ANSOKAN = "ny_ansokan"
ATGARD_NAMN = {
    FORTSATT: "Fortsätt som tidigare",
    JUSTERA_NIVA: "Justera stödnivån",
    REVIDERA_UPPDRAG: "Revidera uppdraget",
    BYT_UTFORARE: "Byt utförare inom pågående beslut",
    OMPROVNING: "Ompröva pågående beslut",
    NY_ANSOKAN: "Ny ansökan och ny utredning",
}
# 000 "Om nej – byte av utförare …, omprövning av pågående beslut eller ny ansökan".
EJ_SAMMA_UTFORARE = (BYT_UTFORARE, OMPROVNING, NY_ANSOKAN)

# The fields every follow-up has beside its checklist's answers; no question may use them.
FASTA_FALT = frozenset(
    {
        "datum",
        "mote",
        "den_enskilde_deltog",
        "orsak_ej_deltagit",
        "samma_utforare",
        "atgard",
        "nasta_mote",
    }
)


@dataclass(frozen=True)
class Kalla:
    """The passage a question comes from: the seed document's number and a quotation."""

    dokument: str
    citat: str


@dataclass(frozen=True)
class Fraga:
    """One question of a checklist."""

    key: str
    text: str
    svarstyp: str
    kalla: Kalla
    hjalp: str = ""
    # A heading the question is asked under ("Avstämning av uppdraget").
    grupp: str = ""
    # VAL: the answers to choose from, as (value, label).
    alternativ: tuple[tuple[str, str], ...] = ()
    # A free-text field beside a yes/no or choice answer, required for some answers.
    kommentar: str = ""
    kommentar_kravs_vid: frozenset[str] = frozenset()
    kommentar_fel: str = ""
    # Asked only in this boendeform (000 "När aktuellt (lägenhetsboende)").
    boendeform: str | None = None

    @property
    def kommentar_key(self) -> str:
        return f"{self.key}_kommentar"

    @property
    def val(self) -> tuple[tuple[str, str], ...]:
        """Return the answers to choose from, as (value, label); none for a text question."""
        if self.svarstyp == JA_NEJ:
            return ((JA, "Ja"), (NEJ, "Nej"))
        if self.svarstyp == JA_NEJ_OM_AKTUELLT:
            return ((JA, "Ja"), (NEJ, "Nej"), (EJ_AKTUELLT, "Ej aktuellt"))
        return self.alternativ

    def svar_namn(self, value: str) -> str:
        return dict(self.val).get(value, value)


@dataclass(frozen=True)
class Stallningstagande:
    """How a checklist words the decision on continuation and the next follow-up."""

    rubrik: str
    hjalp: str
    samma_utforare: str
    om_ja: str
    om_nej: str
    nasta_mote: str
    nasta_mote_hjalp: str
    # The decisions open when the uppdrag continues with the same provider.
    vid_samma_utforare: tuple[str, ...]
    kallor: tuple[Kalla, ...]


@dataclass(frozen=True)
class Checklista:
    """A follow-up checklist for one insats."""

    key: str
    insats: str
    rubrik: str
    inledning: str
    kalla: str
    fragor: tuple[Fraga, ...]
    stallningstagande: Stallningstagande
    # The longest time to the next follow-up by the insats' own rule, and that rule.
    intervall_manader: int | None
    regel: str | None
    regel_text: str = ""

    def fragor_for(self, boendeform: str | None) -> tuple[Fraga, ...]:
        """Return the questions asked in `boendeform`, in order."""
        return tuple(f for f in self.fragor if f.boendeform in (None, boendeform))

    def atgarder(self, boendeform: str | None) -> tuple[str, ...]:
        """Return every decision open in this checklist, in the model's order."""
        open_ = {*self.stallningstagande.vid_samma_utforare, *EJ_SAMMA_UTFORARE}
        if boendeform != LAGENHETSBOENDE:
            # Support levels exist only in lägenhetsboende (002).
            open_.discard(JUSTERA_NIVA)
        return tuple(a for a in ATGARD_NAMN if a in open_)

    def texter(self) -> tuple[str, ...]:
        """Return the checklist's wording in order: every question, then the decision's."""
        s = self.stallningstagande
        return (
            *(f.text for f in self.fragor),
            s.rubrik,
            s.samma_utforare,
            s.om_ja,
            s.om_nej,
            s.nasta_mote,
        )
