"""The three follow-up checklists as data, question by question, each naming the
passage it comes from (`Kalla`)."""

from __future__ import annotations

from typing import Any

from ..timeline import BOENDESTOD, SOCIALT_BOENDE_MED_STOD, VARD_OCH_OMSORGSBOENDE
from .typer import (
    FORTSATT,
    JA,
    JA_NEJ,
    JA_NEJ_OM_AKTUELLT,
    JUSTERA_NIVA,
    LAGENHETSBOENDE,
    NEJ,
    OMPROVNING,
    REVIDERA_UPPDRAG,
    TEXT,
    VAL,
    Checklista,
    Fraga,
    Kalla,
    Stallningstagande,
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
