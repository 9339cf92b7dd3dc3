"""The follow-up checklists against their seeds, and the rules on a follow-up's answers."""

from __future__ import annotations

import re
from datetime import date

import pytest

from uppfolj.domain import checklistor as c
from uppfolj.domain.timeline import INSATSER

from .builders import SHARED

SBMS = c.SOCIALT_BOENDE
VOB = c.VARD_OCH_OMSORGSBOENDE_RUTIN
BS = c.BOENDESTOD_CHECKLISTA
DATUM = date(2026, 4, 20)


def seed(number: str) -> str:
    """Return the seed's text with every run of whitespace as one space."""
    (path,) = (SHARED / "seeds").glob(f"{number}_*.txt")
    return re.sub(r"\s+", " ", path.read_text(encoding="utf-8"))


# --- The checklists against the seeds ------------------------------------------------------

# Seed 000's questions, in its order and wording, as read off the document by hand.
SEED_000_FRAGOR = [
    "Hur har det fungerat i boendet sedan föregående uppföljning?",
    "Om aktuellt: Har den enskilde betalt hyra?",
    "Om aktuellt: Har den enskilde betalt egenavgift?",
    "Vad har hänt i processen? – tänk på att också belysa de framsteg/den utveckling som den "
    "enskilde gjort",
    "Händelser av vikt?",
    "Vilka mål är uppfyllda?",
    "Vad har uppnåtts och hur?",
    "Vad kvarstår?",
    "Behov som tillkommit?",
    "När aktuellt (lägenhetsboende): Finns behov av att justera stödnivån och skälen till detta?",
    "Prioritering framåt – här är det viktigt att den enskilde är delaktig",
    "Finns stödbehov på kort eller lång sikt som boendet inte kan/ska tillgodose där den "
    "enskilde behöver stöd att söka insatser utanför boendet? T.ex. insatser från sjukvård, "
    "hemtjänst",
    "Ta ställning till insatsen",
    "Ska uppdraget fortsatt genomföras hos samma utförare?",
    "Om ja – behöver stödnivån justeras och/eller uppdraget revideras för att insatsens "
    "innehåll ska tillgodose den enskildes behov?",
    "Om nej – byte av utförare inom ramen för pågående beslut (inom samma kategori), "
    "omprövning av pågående beslut eller ny ansökan från den enskilde vilket kräver ny "
    "utredning",
    "Tid för nästa uppföljningsmöte",
]


def test_socialt_boende_asks_every_question_of_seed_000_in_its_order_and_wording():
    assert list(SBMS.texter()) == SEED_000_FRAGOR


def test_every_question_of_seed_000_appears_in_the_seed_in_the_same_order():
    text = seed("000")
    position = text.index("Frågor att gå igenom")
    for wording in SBMS.texter():
        found = text.find(wording, position)
        assert found >= 0, wording
        position = found + len(wording)


def test_socialt_boende_answer_kinds_follow_the_seed():
    kinds = {f.key: f.svarstyp for f in SBMS.fragor}
    # The seed's ☐Ja ☐Nej boxes, "Om aktuellt" with a third answer.
    assert kinds["hyra_betald"] == kinds["egenavgift_betald"] == c.JA_NEJ_OM_AKTUELLT
    assert [label for _, label in SBMS.fragor[1].val] == ["Ja", "Nej", "Ej aktuellt"]
    assert kinds["stodniva_justeras"] == c.JA_NEJ
    assert {k for k, v in kinds.items() if v == c.TEXT} == {
        "fungerat",
        "processen",
        "handelser",
        "mal_uppfyllda",
        "mal_uppnatt",
        "mal_kvarstar",
        "nya_behov",
        "prioritering",
        "stod_utanfor",
    }
    assert [f.key for f in SBMS.fragor if f.grupp == "Avstämning av uppdraget"] == [
        "mal_uppfyllda",
        "mal_uppnatt",
        "mal_kvarstar",
    ]


def test_the_support_level_question_is_asked_only_in_lagenhetsboende():
    assert "stodniva_justeras" in [f.key for f in SBMS.fragor_for("lagenhetsboende")]
    assert "stodniva_justeras" not in [f.key for f in SBMS.fragor_for(None)]
    assert c.JUSTERA_NIVA in SBMS.atgarder("lagenhetsboende")
    assert c.JUSTERA_NIVA not in SBMS.atgarder(None)


@pytest.mark.parametrize("checklista", list(c.CHECKLISTOR.values()), ids=lambda c: c.key)
def test_every_question_quotes_its_seed(checklista):
    for fraga in checklista.fragor:
        assert fraga.kalla.citat in seed(fraga.kalla.dokument), fraga.key
    for kalla in checklista.stallningstagande.kallor:
        assert kalla.citat in seed(kalla.dokument)


def test_vard_och_omsorgsboende_follows_the_routine_of_seed_001():
    assert [f.grupp for f in VOB.fragor] == [
        "Förberedelse inför uppföljningen",
        "Förberedelse inför uppföljningen",
        "Förberedelse inför uppföljningen",
        "Förberedelse inför uppföljningen",
        "Uppföljningsmötet",
        "Uppföljningsmötet",
        "Uppföljningsmötet",
        "Uppföljningsmötet",
        "Återkoppling till chef",
        "Återkoppling till chef",
    ]
    keys = [f.key for f in VOB.fragor]
    # Documents reviewed, consent, feedback to the manager with views, deviations (001).
    for key in (
        "samtycke",
        "behovsutredning_granskad",
        "genomforandeplan_granskad",
        "chef_aterkoppling",
        "avvikelser",
    ):
        assert key in keys
    assert VOB.fragor[keys.index("chef_aterkoppling")].kommentar == (
        "Synpunkter som lämnats till chefen"
    )
    assert "ett år framåt" in VOB.stallningstagande.nasta_mote_hjalp


def test_boendestod_asks_about_the_uppdrag_goals_and_used_against_granted_time():
    keys = [f.key for f in BS.fragor]
    assert keys[:4] == ["genomforande", "mal_uppfyllda", "mal_uppnatt", "mal_kvarstar"]
    assert {"tid_anvand", "tidsbehov"} <= set(keys)
    tidsbehov = BS.fragor[keys.index("tidsbehov")]
    assert [v for v, _ in tidsbehov.val] == [c.OFORANDRAT, c.MER, c.MINDRE]


def test_there_is_one_checklist_per_insats_and_keys_are_unique():
    assert set(c.CHECKLISTOR) == set(INSATSER)
    for checklista in c.CHECKLISTOR.values():
        keys = [f.key for f in checklista.fragor]
        comments = [f.kommentar_key for f in checklista.fragor if f.kommentar]
        assert len(set(keys + comments)) == len(keys + comments)
        assert not set(keys + comments) & c.FASTA_FALT
        for fraga in checklista.fragor:
            assert fraga.kommentar_kravs_vid <= {v for v, _ in fraga.val}
            assert bool(fraga.kommentar_fel) == bool(fraga.kommentar_kravs_vid)


# --- Checking the answers ------------------------------------------------------------------


def full_answers(checklista: c.Checklista, boendeform: str | None) -> dict[str, str]:
    answers = {}
    for fraga in checklista.fragor_for(boendeform):
        # The first answer that needs no comment: a follow-up where all is well.
        plain = [v for v, _ in fraga.val if v not in fraga.kommentar_kravs_vid]
        answers[fraga.key] = "Svar." if fraga.svarstyp == c.TEXT else plain[0]
    return answers


def check(checklista=SBMS, boendeform="lagenhetsboende", tatare=False, **changes):
    fields = {
        "svar": full_answers(checklista, boendeform),
        "datum": DATUM,
        "den_enskilde_deltog": True,
        "orsak_ej_deltagit": "",
        "samma_utforare": True,
        "atgard": c.FORTSATT,
        "nasta_mote": date(2026, 7, 1),
    }
    svar = {**fields["svar"], **changes.pop("svar", {})}  # type: ignore[dict-item]
    fields.update(changes)
    fields["svar"] = svar
    return c.granska(checklista, boendeform=boendeform, tatare_uppfoljning=tatare, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("checklista", list(c.CHECKLISTOR.values()), ids=lambda c: c.key)
def test_a_complete_follow_up_passes(checklista):
    boendeform = "lagenhetsboende" if checklista is SBMS else None
    assert check(checklista, boendeform) == {}


def test_every_question_must_be_answered():
    errors = check(svar={"fungerat": "  ", "hyra_betald": "", "stodniva_justeras": "kanske"})
    assert errors == {
        "fungerat": ["Besvara frågan."],
        "hyra_betald": ["Välj ett svar."],
        "stodniva_justeras": ["Välj ett svar."],
    }


def test_ej_aktuellt_is_an_answer_to_om_aktuellt_questions_only():
    assert check(svar={"hyra_betald": "ej_aktuellt", "egenavgift_betald": "ej_aktuellt"}) == {}
    assert check(svar={"stodniva_justeras": "ej_aktuellt"}) == {
        "stodniva_justeras": ["Välj ett svar."]
    }


def test_absence_needs_its_reason_001():
    assert check(den_enskilde_deltog=False) == {
        "orsak_ej_deltagit": [
            "Dokumentera orsaken till att den enskilde inte medverkat vid uppföljningen."
        ]
    }
    assert check(den_enskilde_deltog=False, orsak_ej_deltagit="Sjukhusvistelse.") == {}
    assert check(den_enskilde_deltog=None) == {
        "den_enskilde_deltog": ["Ange om den enskilde medverkade vid uppföljningen."]
    }


def test_support_level_adjustment_needs_its_reasons():
    errors = check(svar={"stodniva_justeras": "ja"}, atgard=c.JUSTERA_NIVA)
    assert errors == {
        "stodniva_justeras_kommentar": ["Ange skälen till att stödnivån behöver justeras."]
    }
    assert (
        check(
            svar={"stodniva_justeras": "ja", "stodniva_justeras_kommentar": "Mer stöd på kvällar."},
            atgard=c.JUSTERA_NIVA,
        )
        == {}
    )


def test_a_level_that_needs_adjusting_cannot_continue_as_before():
    errors = check(svar={"stodniva_justeras": "ja", "stodniva_justeras_kommentar": "Skäl."})
    assert errors == {
        "atgard": [
            "Stödnivån behöver justeras enligt svaret ovan: välj inte Fortsätt som tidigare."
        ]
    }


@pytest.mark.parametrize("atgard", [c.FORTSATT, c.JUSTERA_NIVA, c.REVIDERA_UPPDRAG])
def test_not_the_same_provider_allows_only_change_reconsideration_or_new_application(atgard):
    assert check(samma_utforare=False, atgard=atgard) == {
        "atgard": [
            "Välj byte av utförare, omprövning eller ny ansökan när uppdraget inte ska "
            "fortsätta hos samma utförare."
        ]
    }


@pytest.mark.parametrize("atgard", [c.BYT_UTFORARE, c.OMPROVNING, c.NY_ANSOKAN])
def test_not_the_same_provider_with_change_reconsideration_or_new_application(atgard):
    assert check(samma_utforare=False, atgard=atgard) == {}


@pytest.mark.parametrize(
    ("checklista", "boendeform", "atgard", "message"),
    [
        (
            SBMS,
            "lagenhetsboende",
            c.BYT_UTFORARE,
            "När uppdraget fortsätter hos samma utförare väljs fortsätt som tidigare, justera "
            "stödnivån eller revidera uppdraget.",
        ),
        (
            SBMS,
            None,
            c.OMPROVNING,
            "När uppdraget fortsätter hos samma utförare väljs fortsätt som tidigare eller "
            "revidera uppdraget.",
        ),
        (
            BS,
            None,
            c.BYT_UTFORARE,
            "När uppdraget fortsätter hos samma utförare väljs fortsätt som tidigare, revidera "
            "uppdraget eller ompröva pågående beslut.",
        ),
    ],
)
def test_the_same_provider_allows_the_seeds_om_ja_decisions(
    checklista, boendeform, atgard, message
):
    assert check(checklista, boendeform, atgard=atgard) == {"atgard": [message]}


def test_support_level_is_no_decision_outside_lagenhetsboende():
    assert check(SBMS, None, atgard=c.JUSTERA_NIVA) == {
        "atgard": ["Ställningstagandet finns inte för denna insats."]
    }
    assert check(VOB, None, atgard=c.JUSTERA_NIVA) == {
        "atgard": ["Ställningstagandet finns inte för denna insats."]
    }


def test_the_decision_and_the_provider_question_are_required():
    assert check(samma_utforare=None, atgard="") == {
        "samma_utforare": ["Ta ställning till om uppdraget ska fortsätta hos samma utförare."],
        "atgard": ["Välj ett ställningstagande."],
    }


def test_boendestod_more_time_needs_a_new_decision():
    more = {"tidsbehov": c.MER, "tidsbehov_kommentar": "Behöver stöd även med ekonomin."}
    assert check(BS, None, svar=more) == {
        "atgard": ["Mer tid än beviljat kräver ett nytt beslut: välj omprövning eller ny ansökan."]
    }
    assert check(BS, None, svar=more, atgard=c.OMPROVNING) == {}
    assert check(BS, None, svar={"tidsbehov": c.MINDRE}) == {
        "tidsbehov_kommentar": ["Ange skälen till det ändrade tidsbehovet."]
    }


def test_vard_och_omsorgsboende_comments_required_by_the_answers():
    errors = check(
        VOB,
        None,
        svar={"genomforandeplan_granskad": "nej", "plan_svarar_upp": "nej", "avvikelser": "ja"},
    )
    assert errors == {
        "genomforandeplan_granskad_kommentar": [
            "Ange varför genomförandeplanen inte har granskats."
        ],
        "plan_svarar_upp_kommentar": ["Beskriv de brister som utföraren ska informeras om."],
        "avvikelser_kommentar": ["Beskriv avvikelserna."],
    }


# --- The next follow-up and its rule -------------------------------------------------------


def test_SBMS_UPPF_3M_bounds_the_next_meeting():
    assert check(nasta_mote=date(2026, 7, 20)) == {}
    assert check(nasta_mote=date(2026, 7, 21)) == {
        "nasta_mote": [
            "Socialt boende med stöd följs upp minst var tredje månad (SBMS-UPPF-3M): välj ett "
            "datum senast 2026-07-20."
        ]
    }


def test_VOB_UPPF_12M_next_follow_up_defaults_to_one_year_ahead():
    assert c.nasta_mote_forslag(VOB, DATUM, tatare_uppfoljning=False) == date(2027, 4, 20)
    assert check(VOB, None, nasta_mote=date(2027, 4, 20)) == {}
    assert check(VOB, None, nasta_mote=date(2027, 4, 21)) == {
        "nasta_mote": [
            "Vård- och omsorgsboende följs upp minst en gång per år (VOB-UPPF-12M): välj ett "
            "datum senast 2027-04-20."
        ]
    }


def test_GEN_TAT_UPPF_3M_tightens_the_next_follow_up_of_any_insats():
    assert c.nasta_mote_forslag(VOB, DATUM, tatare_uppfoljning=True) == date(2026, 7, 20)
    assert c.nasta_mote_forslag(BS, DATUM, tatare_uppfoljning=True) == date(2026, 7, 20)
    assert check(VOB, None, tatare=True, nasta_mote=date(2026, 8, 1)) == {
        "nasta_mote": [
            "Ärendet har tätare uppföljning var tredje månad (GEN-TAT-UPPF-3M): välj ett datum "
            "senast 2026-07-20."
        ]
    }
    # Boendestöd has no interval of its own; without the flag any later date will do.
    assert check(BS, None, nasta_mote=date(2027, 1, 1)) == {}


def test_next_follow_up_is_required_and_after_the_follow_up():
    assert check(nasta_mote=None) == {"nasta_mote": ["Ange datum för nästa uppföljning."]}
    assert check(nasta_mote=DATUM) == {
        "nasta_mote": ["Nästa uppföljning ska ligga efter uppföljningens datum."]
    }


# --- Reading back and what the answers call for --------------------------------------------


def test_clean_answers_keep_only_the_questions_asked():
    svar = {"fungerat": " Bra. ", "okand": "x", "stodniva_justeras": "ja", "hyra_betald": ""}
    assert c.rensa_svar(SBMS, svar, None) == {"fungerat": "Bra."}
    assert c.rensa_svar(SBMS, svar, "lagenhetsboende") == {
        "fungerat": "Bra.",
        "stodniva_justeras": "ja",
    }


def test_answers_read_back_in_order_with_their_labels():
    svar = {
        **full_answers(SBMS, "lagenhetsboende"),
        "hyra_betald": "ej_aktuellt",
        "stodniva_justeras": "ja",
        "stodniva_justeras_kommentar": "Behöver mer stöd på kvällar.",
    }
    rows = c.svarsrader(SBMS, svar, "lagenhetsboende")
    assert [r.fraga for r in rows] == SEED_000_FRAGOR[:12]
    assert rows[1].svar == "Ej aktuellt"
    assert (rows[9].svar, rows[9].kommentar) == ("Ja", "Behöver mer stöd på kvällar.")
    assert rows[5].grupp == "Avstämning av uppdraget"


def test_summary_for_the_journal():
    text = c.sammanfattning(
        SBMS,
        svar={**full_answers(SBMS, None), "fungerat": "Det har gått bra."},
        boendeform=None,
        den_enskilde_deltog=False,
        orsak_ej_deltagit="Var på sjukhus.",
        samma_utforare=True,
        atgard=c.FORTSATT,
        nasta_mote=date(2026, 7, 1),
    )
    assert text.startswith(
        "Checklista följa upp insatsen socialt boende med stöd.\n"
        "Den enskilde medverkade inte vid uppföljningen. Orsak: Var på sjukhus.\n\n"
        "Hur har det fungerat i boendet sedan föregående uppföljning?\nDet har gått bra.\n"
    )
    assert text.endswith(
        "Ta ställning till insatsen:\nSka uppdraget fortsatt genomföras hos samma utförare?\nJa\n"
        "Ställningstagande: Fortsätt som tidigare.\nTid för nästa uppföljningsmöte: 2026-07-01."
    )


@pytest.mark.parametrize(
    ("atgard", "svar", "mal"),
    [
        (c.FORTSATT, {}, []),
        (c.REVIDERA_UPPDRAG, {}, [c.STEG_UPPDRAG]),
        (c.BYT_UTFORARE, {}, [c.STEG_UPPDRAG]),
        (c.OMPROVNING, {}, [c.STEG_UTREDNING]),
        (c.NY_ANSOKAN, {}, [c.STEG_UTREDNING]),
        (c.JUSTERA_NIVA, {}, [c.STEG_STODNIVA]),
        (c.REVIDERA_UPPDRAG, {"stodniva_justeras": "ja"}, [c.STEG_UPPDRAG, c.STEG_STODNIVA]),
        (c.FORTSATT, {"hyra_betald": "nej"}, [c.STEG_AVGIFT]),
        (c.FORTSATT, {"egenavgift_betald": "nej"}, [c.STEG_AVGIFT]),
        (c.FORTSATT, {"egenavgift_betald": "ej_aktuellt", "hyra_betald": "ja"}, []),
        (c.FORTSATT, {"tidsbehov": c.MINDRE}, [c.STEG_UTREDNING]),
        (c.OMPROVNING, {"tidsbehov": c.MINDRE}, [c.STEG_UTREDNING]),
        (c.FORTSATT, {"avvikelser": "ja", "plan_svarar_upp": "nej"}, [None, None]),
    ],
)
def test_the_answers_offer_their_next_steps(atgard, svar, mal):
    assert [s.mal for s in c.nasta_steg(SBMS, svar, atgard)] == mal


def test_unpaid_fee_and_rent_are_one_warning():
    steps = c.nasta_steg(SBMS, {"hyra_betald": "nej", "egenavgift_betald": "nej"}, c.FORTSATT)
    assert [(s.mal, s.varning) for s in steps] == [(c.STEG_AVGIFT, True)]
    assert steps[0].text.startswith(
        "Den enskilde har inte betalt hyran och inte egenavgiften. Registrera den obetalda månaden;"
    )
    assert "förmedling, god man eller förvaltare" in steps[0].text
    (rent,) = c.nasta_steg(SBMS, {"hyra_betald": "nej"}, c.FORTSATT)
    assert rent.text == (
        "Den enskilde har inte betalt hyran. Sätt in motiverande stöd genom uppdrag till utföraren."
    )
