"""The follow-up checklists as data, and the rules on a follow-up's answers.

Socialt boende med stöd follows seed 000 question by question, in its order and wording.
Vård- och omsorgsboende follows the routine of seed 001; boendestöd asks the questions
RULES.md gives it ("the same questions on the uppdrag, goals and used vs granted time"),
worded from seed 003. Every question names the passage it comes from (`Kalla`).

Plain Python: the follow-up's date is an argument and nothing here reads the clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .calendar import add_months
from .timeline import BOENDESTOD, SOCIALT_BOENDE_MED_STOD, VARD_OCH_OMSORGSBOENDE

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


# --- Socialt boende med stöd (seed 000) ----------------------------------------------------


def _k000(citat: str) -> Kalla:
    return Kalla("000", citat)


def _fraga000(key: str, text: str, svarstyp: str = TEXT, **extra: Any) -> Fraga:
    """A question of 000, whose wording is its own source."""
    return Fraga(key=key, text=text, svarstyp=svarstyp, kalla=_k000(text), **extra)


AVSTAMNING = "Avstämning av uppdraget"
MAL_UPPFYLLDA = "Vilka mål är uppfyllda?"
MAL_UPPNATT = "Vad har uppnåtts och hur?"
MAL_KVARSTAR = "Vad kvarstår?"
PRIORITERING = "Prioritering framåt – här är det viktigt att den enskilde är delaktig"

SOCIALT_BOENDE = Checklista(
    key="socialt_boende_med_stod",
    insats=SOCIALT_BOENDE_MED_STOD,
    rubrik="Checklista följa upp insatsen socialt boende med stöd",
    inledning=(
        "I ansvaret för uppföljning ingår att tillsammans med den enskilde säkerställa att den "
        "beviljade insatsen genomförs som planerat och att målen med insatsen nås."
    ),
    kalla="000",
    fragor=(
        _fraga000(
            "fungerat",
            "Hur har det fungerat i boendet sedan föregående uppföljning?",
            hjalp="Tänk på att det är viktigt att den enskilde ges utrymme att beskriva sin "
            "upplevelse och hur hen ser på hur insatsen fungerar och sitt behov av stöd.",
        ),
        _fraga000(
            "hyra_betald",
            "Om aktuellt: Har den enskilde betalt hyra?",
            JA_NEJ_OM_AKTUELLT,
            hjalp="Svara Ej aktuellt om den enskilde inte betalar hyra enligt uppdraget.",
        ),
        _fraga000(
            "egenavgift_betald",
            "Om aktuellt: Har den enskilde betalt egenavgift?",
            JA_NEJ_OM_AKTUELLT,
            hjalp="I samband med att faktura skickas kontrolleras att föregående månads "
            "egenavgift är inbetald. Om den inte är inbetald sätts stöd/motiverande insatser "
            "in för att förmå den enskilde att betala sin egenavgift: använd uppdrag till "
            "utförare. Vid upprepade uteblivna inbetalningar ska möjligheten till "
            "förmedling/god man/förvaltare diskuteras och övervägas, och insatsens utformning "
            "ska ses över.",
        ),
        _fraga000(
            "processen",
            "Vad har hänt i processen? – tänk på att också belysa de framsteg/den utveckling "
            "som den enskilde gjort",
        ),
        _fraga000("handelser", "Händelser av vikt?"),
        _fraga000("mal_uppfyllda", MAL_UPPFYLLDA, grupp=AVSTAMNING),
        _fraga000("mal_uppnatt", MAL_UPPNATT, grupp=AVSTAMNING),
        _fraga000("mal_kvarstar", MAL_KVARSTAR, grupp=AVSTAMNING),
        _fraga000("nya_behov", "Behov som tillkommit?"),
        _fraga000(
            "stodniva_justeras",
            "När aktuellt (lägenhetsboende): Finns behov av att justera stödnivån och skälen "
            "till detta?",
            JA_NEJ,
            kommentar="Skälen till att stödnivån behöver justeras",
            kommentar_kravs_vid=frozenset({JA}),
            kommentar_fel="Ange skälen till att stödnivån behöver justeras.",
            boendeform=LAGENHETSBOENDE,
        ),
        _fraga000("prioritering", PRIORITERING),
        _fraga000(
            "stod_utanfor",
            "Finns stödbehov på kort eller lång sikt som boendet inte kan/ska tillgodose där "
            "den enskilde behöver stöd att söka insatser utanför boendet? T.ex. insatser från "
            "sjukvård, hemtjänst",
        ),
    ),
    stallningstagande=Stallningstagande(
        rubrik="Ta ställning till insatsen",
        hjalp="I samband med uppföljning ska ansvarig socialsekreterare ta ställning till "
        "det fortsatta genomförandet av insatsen.",
        samma_utforare="Ska uppdraget fortsatt genomföras hos samma utförare?",
        om_ja="Om ja – behöver stödnivån justeras och/eller uppdraget revideras för att "
        "insatsens innehåll ska tillgodose den enskildes behov?",
        om_nej="Om nej – byte av utförare inom ramen för pågående beslut (inom samma "
        "kategori), omprövning av pågående beslut eller ny ansökan från den enskilde vilket "
        "kräver ny utredning",
        nasta_mote="Tid för nästa uppföljningsmöte",
        nasta_mote_hjalp="Uppföljning ska göras minst var tredje månad eller oftare vid behov.",
        vid_samma_utforare=(FORTSATT, JUSTERA_NIVA, REVIDERA_UPPDRAG),
        kallor=(
            _k000("Ska uppdraget fortsatt genomföras hos samma utförare?"),
            _k000("Uppföljning ska göras minst var tredje månad eller oftare vid behov"),
        ),
    ),
    intervall_manader=3,
    regel="SBMS-UPPF-3M",
    regel_text="Socialt boende med stöd följs upp minst var tredje månad",
)


# --- Vård- och omsorgsboende (seed 001) ----------------------------------------------------


def _k001(citat: str) -> Kalla:
    return Kalla("001", citat)


FORBEREDELSE = "Förberedelse inför uppföljningen"
MOTET = "Uppföljningsmötet"
ATERKOPPLING = "Återkoppling till chef"

VARD_OCH_OMSORGSBOENDE_RUTIN = Checklista(
    key="vard_och_omsorgsboende",
    insats=VARD_OCH_OMSORGSBOENDE,
    rubrik="Individuppföljning vård- och omsorgsboende",
    inledning=(
        "Socialsekreterare ansvarar för uppföljning av beslutad insats: att tillsammans med den "
        "enskilde och/eller dess företrädare säkerställa att den beviljade insatsen genomförts "
        "som planerat och att målen med insatsen nåtts."
    ),
    kalla="001",
    fragor=(
        Fraga(
            "samtycke",
            "Har den enskilde samtyckt till att socialsekreteraren tar del av aktuell "
            "dokumentation?",
            JA_NEJ,
            _k001(
                "Inför uppföljning kontaktas den enskilde för att säkerställa att det finns "
                "samtycke kring att ta del av aktuell dokumentation."
            ),
            hjalp="Drivs boendet i privat regi krävs den enskildes samtycke för att ta del av "
            "uppgifter i genomförandeplanen.",
            grupp=FORBEREDELSE,
        ),
        Fraga(
            "behovsutredning_granskad",
            "Har behovsutredningen granskats inför mötet?",
            JA_NEJ,
            _k001(
                "Inför mötet med den enskilde ska socialsekreterare granska behovsutredningen "
                "och aktuell genomförandeplan."
            ),
            grupp=FORBEREDELSE,
        ),
        Fraga(
            "genomforandeplan_granskad",
            "Har aktuell genomförandeplan granskats inför mötet?",
            JA_NEJ,
            _k001(
                "Inför mötet med den enskilde ska socialsekreterare granska behovsutredningen "
                "och aktuell genomförandeplan."
            ),
            hjalp="Har utföraren inte tillgång till Uppfölj begärs genomförandeplanen och "
            "övrig relevant dokumentation in av ansvarig chef.",
            grupp=FORBEREDELSE,
            kommentar="Varför genomförandeplanen inte har granskats",
            kommentar_kravs_vid=frozenset({NEJ}),
            kommentar_fel="Ange varför genomförandeplanen inte har granskats.",
        ),
        Fraga(
            "chef_informerad",
            "Har chefen på vård- och omsorgsboendet informerats om att uppföljning ska ske?",
            JA_NEJ,
            _k001(
                "Därefter informeras aktuell chef på vård- och omsorgsboendet om att "
                "uppföljning kommer att ske."
            ),
            grupp=FORBEREDELSE,
        ),
        Fraga(
            "upplevelse",
            "Hur upplever den enskilde sin situation?",
            TEXT,
            _k001(
                "Boka därefter in uppföljningsmöte/hembesök som syftar till att få en "
                "uppfattning om hur den enskilde upplever sin situation."
            ),
            hjalp="Ställda frågor bör anpassas efter person och situation.",
            grupp=MOTET,
        ),
        Fraga(
            "funktionstillstand",
            "Hur är den enskildes aktuella funktionstillstånd jämfört med målet i "
            "beslutsunderlaget?",
            TEXT,
            _k001(
                "utifrån aktuell genomförandeplan bilda sig en uppfattning om individens "
                "aktuella funktionstillstånd och jämföra det med målet i beslutsunderlaget"
            ),
            grupp=MOTET,
        ),
        Fraga(
            "plan_svarar_upp",
            "Är genomförandeplanen uppdaterad, och svarar den upp mot behov och mål i "
            "behovsutredningen?",
            JA_NEJ,
            _k001(
                "I fall där genomförandeplanen inte svarar upp mot behov och mål i "
                "behovsutredningen ska utföraren informeras om de brister som framkom vid "
                "uppföljningen."
            ),
            grupp=MOTET,
            kommentar="Brister som utföraren informeras om",
            kommentar_kravs_vid=frozenset({NEJ}),
            kommentar_fel="Beskriv de brister som utföraren ska informeras om.",
        ),
        Fraga(
            "forandrat_behov",
            "Har nya uppgifter om den enskildes behov kommit fram? Ryms det förändrade "
            "behovet inom pågående beslut?",
            TEXT,
            _k001(
                "I samband med uppföljning kan nya uppgifter om den enskildes behov komma fram "
                "vilket innebär att socialsekreterare behöver överväga om det förändrade "
                "behovet ryms inom pågående beslut eller om det behövs en ny utredning."
            ),
            grupp=MOTET,
        ),
        Fraga(
            "chef_aterkoppling",
            "Har vård- och omsorgsboendets chef meddelats att uppföljning gjorts?",
            JA_NEJ,
            _k001(
                "Vård-och omsorgsboendets chef meddelas därefter att uppföljning gjorts samt "
                "eventuella synpunkter."
            ),
            grupp=ATERKOPPLING,
            kommentar="Synpunkter som lämnats till chefen",
        ),
        Fraga(
            "avvikelser",
            "Har avvikelser framkommit?",
            JA_NEJ,
            _k001("I de fall avvikelser framkommit görs dessa i Treserva enligt gällande rutin."),
            hjalp="Avvikelser registreras enligt gällande rutin.",
            grupp=ATERKOPPLING,
            kommentar="Avvikelserna",
            kommentar_kravs_vid=frozenset({JA}),
            kommentar_fel="Beskriv avvikelserna.",
        ),
    ),
    stallningstagande=Stallningstagande(
        rubrik="Ta ställning till insatsen",
        hjalp="Överväg om ett förändrat behov ryms inom pågående beslut eller om det behövs "
        "en ny utredning.",
        samma_utforare="Ska insatsen fortsatt genomföras på samma vård- och omsorgsboende?",
        om_ja="Om ja – ryms behovet inom pågående beslut, eller behöver uppdraget revideras "
        "eller beslutet omprövas?",
        om_nej="Om nej – byte av vård- och omsorgsboende inom ramen för pågående beslut, "
        "omprövning av pågående beslut eller ny ansökan som kräver ny utredning",
        nasta_mote="Nytt bevakningsdatum för nästa uppföljning",
        nasta_mote_hjalp="Ett nytt bevakningsdatum registreras ett år framåt i tiden.",
        vid_samma_utforare=(FORTSATT, REVIDERA_UPPDRAG, OMPROVNING),
        kallor=(
            _k001(
                "socialsekreterare behöver överväga om det förändrade behovet ryms inom "
                "pågående beslut eller om det behövs en ny utredning"
            ),
            _k001("Ett nytt bevakningsdatum registreras i Treserva ett år framåt i tiden."),
        ),
    ),
    intervall_manader=12,
    regel="VOB-UPPF-12M",
    regel_text="Vård- och omsorgsboende följs upp minst en gång per år",
)


# --- Boendestöd (RULES.md, worded from seeds 000 and 003) ----------------------------------


def _k003(citat: str) -> Kalla:
    return Kalla("003", citat)


TID = "Beviljad och använd tid"
MER = "mer"
MINDRE = "mindre"
OFORANDRAT = "oforandrat"

BOENDESTOD_CHECKLISTA = Checklista(
    key="boendestod",
    insats=BOENDESTOD,
    rubrik="Uppföljning av boendestöd",
    inledning=(
        "Följ upp uppdraget och målen tillsammans med den enskilde, och hur den beviljade tiden "
        "har använts. Utförarens sammanställningar av daganteckningar och genomförandeplanen är "
        "underlag."
    ),
    kalla="003",
    fragor=(
        Fraga(
            "genomforande",
            "Hur har uppdraget genomförts sedan föregående uppföljning?",
            TEXT,
            _k003(
                "hur boendestödet och individen samarbetar för att nå målen i genomförandeplanen"
            ),
            hjalp="Låt den enskilde beskriva sin upplevelse av stödet.",
        ),
        Fraga("mal_uppfyllda", MAL_UPPFYLLDA, TEXT, _k000(MAL_UPPFYLLDA), grupp=AVSTAMNING),
        Fraga("mal_uppnatt", MAL_UPPNATT, TEXT, _k000(MAL_UPPNATT), grupp=AVSTAMNING),
        Fraga("mal_kvarstar", MAL_KVARSTAR, TEXT, _k000(MAL_KVARSTAR), grupp=AVSTAMNING),
        Fraga(
            "malarbete",
            "Hur upplever den enskilde och boendestödet målarbetet?",
            TEXT,
            _k003("hur individen och utföraren upplever målarbetet"),
            grupp=AVSTAMNING,
        ),
        Fraga(
            "tid_anvand",
            "Hur har den beviljade tiden använts?",
            TEXT,
            _k003(
                "hur den beviljade tiden har använts, till exempel om individen har avbokat, "
                "inte har utnyttjat alla timmar"
            ),
            hjalp="Till exempel avbokningar och outnyttjade timmar. Förslaget kommer från "
            "utförarens besöksregistrering.",
            grupp=TID,
        ),
        Fraga(
            "tidsbehov",
            "Finns behov av mer eller mindre tid?",
            VAL,
            _k003(
                "eller att boendestödet ser ett ökat behov av mer tid vilket kan användas som "
                "ett stöd för socialsekreterarens bedömning"
            ),
            grupp=TID,
            alternativ=(
                (OFORANDRAT, "Nej, den beviljade tiden motsvarar behovet"),
                (MER, "Ja, behov av mer tid"),
                (MINDRE, "Ja, behov av mindre tid"),
            ),
            kommentar="Skälen till det ändrade tidsbehovet",
            kommentar_kravs_vid=frozenset({MER, MINDRE}),
            kommentar_fel="Ange skälen till det ändrade tidsbehovet.",
        ),
        Fraga(
            "nya_behov",
            "Behov som tillkommit?",
            TEXT,
            _k003(
                "kan även indikera att det finns ett behov av uppföljning med myndighet under "
                "pågående beslutsperiod och en eventuell ändring av beslutet"
            ),
        ),
        Fraga(
            "klagomal",
            "Har den enskilde framfört klagomål på genomförandet, och vad har gjorts?",
            TEXT,
            _k003(
                "om individen har framfört några klagomål till utföraren angående "
                "genomförandet av insatsen, samt vilka åtgärder som har vidtagits av denne i "
                "så fall"
            ),
        ),
        Fraga("prioritering", PRIORITERING, TEXT, _k000(PRIORITERING)),
    ),
    stallningstagande=Stallningstagande(
        rubrik="Ta ställning till insatsen",
        hjalp="Behöver den enskilde mer tid än beviljat krävs ett nytt beslut.",
        samma_utforare="Ska uppdraget fortsatt genomföras hos samma utförare?",
        om_ja="Om ja – behöver uppdraget revideras, eller beslutet omprövas för mer eller "
        "mindre tid?",
        om_nej="Om nej – byte av utförare inom ramen för pågående beslut, omprövning av "
        "pågående beslut eller ny ansökan från den enskilde vilket kräver ny utredning",
        nasta_mote="Tid för nästa uppföljning",
        nasta_mote_hjalp="",
        vid_samma_utforare=(FORTSATT, REVIDERA_UPPDRAG, OMPROVNING),
        kallor=(
            _k003(
                "När socialsekreteraren följer upp pågående beslut eller beslut som håller på "
                "att gå ut"
            ),
        ),
    ),
    intervall_manader=None,
    regel=None,
)

CHECKLISTOR: dict[str, Checklista] = {
    c.insats: c for c in (SOCIALT_BOENDE, VARD_OCH_OMSORGSBOENDE_RUTIN, BOENDESTOD_CHECKLISTA)
}
CHECKLISTOR_BY_KEY: dict[str, Checklista] = {c.key: c for c in CHECKLISTOR.values()}


def checklista_for(insats: str) -> Checklista:
    """Return the follow-up checklist of `insats`."""
    return CHECKLISTOR[insats]


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
