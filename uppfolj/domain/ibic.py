"""The life areas (livsområden) of IBIC, as seed 003 lists them."""

from __future__ import annotations

LIVSOMRADEN: dict[str, str] = {
    "larande": "Lärande och att tillämpa kunskap",
    "allmanna_uppgifter": "Allmänna uppgifter och krav",
    "kommunikation": "Kommunikation",
    "forflyttning": "Förflyttning",
    "personlig_vard": "Personlig vård",
    "hemliv": "Hemliv",
    "relationer": "Mellanmänskliga interaktioner och relationer",
    "utbildning_arbete_ekonomi": "Utbildning, arbete, sysselsättning och ekonomiskt liv",
    "samhallsgemenskap": "Samhällsgemenskap, socialt och medborgerligt liv",
    "trygghet": "Känsla av trygghet",
}

_RUTINER = (
    "Stöttning att hitta goda rutiner/strategier i vardagen genom att förenkla, tydliggöra, "
    "planera och träna på att genomföra dessa."
)
_SAMLARTEAMET = "Stöttning via Samlarteamet om samlarsyndrom identifierats."

# Seed 003 "Individstödjande aktiviteter": the examples offered beside a sub-goal's
# activities, word for word (the source's line breaks removed).
EXEMPEL_AKTIVITETER: dict[str, tuple[str, ...]] = {
    "larande": (
        _RUTINER,
        "Stöttning och strategier kring problemlösning.",
    ),
    "allmanna_uppgifter": (
        _RUTINER,
        "Stöttning att hitta, skapa och upprätthålla vardagsstruktur.",
        "Stöttning med problemlösning",
        "Stöttning kring kontakt med vårdgivare angående bedömning av t ex kognitiva "
        "hjälpmedel för stöd kring minne eller tidsplanering.",
        _SAMLARTEAMET,
    ),
    "kommunikation": (
        "Stöttning att hitta goda rutiner/strategier i vardagen genom att förenkla, "
        "tydliggöra, planera och träna på att kommunicera med andra.",
        "Stöttning kring kontakt med vårdgivare kring bedömning om kommunikativa hjälpmedel",
    ),
    "forflyttning": (
        _RUTINER,
        "Stöttning att lära sig till exempel att hitta i närområdet eller använda "
        "kartfunktioner, ToGo reseapp, hyra elsparkcykel/cykel osv.",
        "Stöttning kring kontakt med vårdgivare för bedömning kring förflyttningshjälpmedel "
        "eller hjälpmedel som underlättar finmotorisk förmåga.",
        "Stöttning kring kontakt med vårdgivare gällande ansökan om bostadsanpassning, "
        "färdtjänst, sjukvårdsresor osv",
    ),
    "personlig_vard": (_RUTINER,),
    "hemliv": (
        "Stöttning att hitta goda rutiner/strategier i vardagen genom att förenkla, "
        "tydliggöra, planera och träna på att genomföra dessa vardagsaktiviteter.",
        "Stöttning kring att ta ansvar för sitt boende tex felanmälan till bovärd.",
        "Stöttning kring vräkningsförebyggande, till exempel stöd att kontakta "
        "saneringsföretag för offerter, störningsjouren och ekonomiskt bistånd.",
        _SAMLARTEAMET,
        "Stöttning att söka ny bostad genom att till exempel skriva in sig på bostadsplatser, "
        "upprätta rutin på att logga in och ansöka om bostäder.",
        "Stöttning att till exempel vardagsplanera för att komma ihåg barnens/sambons "
        "aktiviteter så att individen kan påminna dem i rätt tid, eller packa "
        "gympaväskor/handla på rätt dag.",
    ),
    "relationer": (
        "Stöttning att hitta goda rutiner/strategier i vardagen genom att förenkla, "
        "tydliggöra, planera och träna på att genomföra.",
        "Stöttning med myndighetskontakter & hälso- och sjukvårdskontakter till exempel genom "
        "att stötta att söka bidrag, söka vård, förbereda sig inför ett möte/vårdbesök.",
        "Stöttning att utforska vilka sociala relationer finns och vilka vill hen ha mer av. "
        "Stöd att förbereda sig inför möten med dessa.",
        "Stöttning att bryta social isolering genom att stötta individen till nya sociala "
        "sammanhang.",
        "Stötta med tydliggörande av sociala situationer och interaktioner genom till exempel "
        "sociala berättelser",
    ),
    "utbildning_arbete_ekonomi": (
        "Stötta att söka arbete eller utbildning via kontakt med IPS- arbetsspecialist, "
        "Finsam eller liknande.",
        "Stöttning att hitta goda rutiner samt förenkla, tydliggöra, planera och träna på "
        "grundläggande ekonomiska transaktioner till exempel skapa en hushållsbudget, betala "
        "hyra och räkningar, ansluta till autogiro.",
        "Stöttning att kontakta försörjningsstöd.",
        "Stöttning att ansöka om god man/förvaltare, komma i kontakt med budget- och "
        "skuldrådgivare eller konsumentrådgivare.",
    ),
    "samhallsgemenskap": (
        "Informera om och stöttning att komma i kontakt med aktivitetshus, friskvårdsklubben "
        "eller fritidsaktiviteter samt stödgrupper/ brukarföreningar och Peer support.",
        "Stöttning att förenkla, tydliggöra, planera och träna på att delta i allmänna val.",
    ),
    "trygghet": (_RUTINER,),
}
