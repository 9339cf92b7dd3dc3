"""`uppfolj paminnelser`: the daily digest of overdue and soon due bevakningar by e-mail."""

from __future__ import annotations

from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from uppfolj.accounts.models import Roll, User
from uppfolj.arenden.services import behorighet_bevilja
from uppfolj.audit.models import AccessLog
from uppfolj.conftest import PASSWORD

from .test_bevakningar import awaiting_contact, executed, never_executed

pytestmark = pytest.mark.django_db

TODAY = "2026-04-20 10:00 +02:00"


def run(*args: str) -> str:
    out = StringIO()
    call_command("paminnelser", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def sofia(cast) -> User:
    user = cast["socialsekreterare"]
    user.first_name, user.email = "Sofia", "sofia@example.se"
    user.save()
    return user


@pytest.fixture
def cases(sofia, make_case) -> dict:
    return {
        "A-1": make_case(executed(), case_id="A-1", handlaggare=sofia),
        "B-1": make_case(awaiting_contact(), case_id="B-1", handlaggare=sofia),
        "C-1": make_case(
            never_executed(), case_id="C-1", insats="vard_och_omsorgsboende", handlaggare=sofia
        ),
    }


@time_machine.travel(TODAY, tick=False)
def test_social_worker_gets_one_email_with_overdue_soon_and_reminders(sofia, cases):
    output = run()
    assert output == "Skickade 1 e-postmeddelande.\n"
    [message] = mail.outbox
    assert message.to == ["sofia@example.se"]
    assert message.subject == (
        "Uppfölj: bevakningar 2026-04-20 – 2 försenade och 3 som snart förfaller"
    )
    body = message.body
    assert body.startswith("Hej Sofia!\n")
    a1 = cases["A-1"].person
    assert (
        "FÖRSENADE (2)\n"
        "\n"
        f"- Ärende C-1, {cases['C-1'].person}\n"
        "  GEN-IVO-3M Beslutet verkställt inom tre månader, annars rapport till IVO\n"
        "  Förföll 2026-03-01 (50 dagar sen)\n"
        "  Ärendet: /arenden/C-1/\n"
        "\n"
        f"- Ärende A-1, {a1}\n"
        "  BS-GFP-4V Genomförandeplan klar fyra veckor efter verkställighetsdatum\n"
        "  Förföll 2026-04-13 (7 dagar sen)\n"
        "  Ärendet: /arenden/A-1/\n"
    ) in body
    assert (
        "FÖRFALLER INOM 7 DAGAR (2)\n"
        "\n"
        f"- Ärende B-1, {cases['B-1'].person}\n"
        "  BS-KONTAKT-3VD Kontakt med den enskilde inom tre vardagar från inkommet uppdrag\n"
        "  Förfaller 2026-04-20 (förfaller i dag)\n"
    ) in body
    assert "  Förfaller 2026-04-23 (3 dagar kvar)\n" in body


@time_machine.travel(TODAY, tick=False)
def test_GEN_BESLUT_UTGAR_reminded_thirty_days_before_other_rules_a_week(sofia, cases):
    run()
    body = mail.outbox[0].body
    # C-1's decision ends 2026-05-15, 25 days ahead: inside its 30-day reminder.
    assert (
        "PÅMINNELSER INFÖR FÖRFALLODAG (1)\n"
        "\n"
        f"- Ärende C-1, {cases['C-1'].person}\n"
        "  GEN-BESLUT-UTGAR Beslutet går ut: nytt beslut eller avslut\n"
        "  Förfaller 2026-05-15 (25 dagar kvar)\n"
    ) in body
    # B-1's execution deadline falls the same day but has no early reminder.
    assert "BS-VERKST-1M" not in body
    # A-1's decision ends 2026-08-31: outside the reminder.
    assert "2026-08-31" not in body


@time_machine.travel(TODAY, tick=False)
def test_GEN_BESLUT_UTGAR_reminder_follows_the_local_default(sofia, cases, settings):
    settings.UPPFOLJ_LOKALA_STANDARDVARDEN = {"beslut_utgar_paminnelse_dagar": 20}
    run()
    assert "GEN-BESLUT-UTGAR" not in mail.outbox[0].body


@time_machine.travel(TODAY, tick=False)
def test_ACC_SKYDDAD_protected_person_is_never_named_in_an_email(sofia, cast, make_case):
    skyddad = make_case(executed(), case_id="SKYDD-1", skyddad=True, handlaggare=sofia)
    # Without a grant the case is not the social worker's to see.
    assert run() == "Skickade 0 e-postmeddelanden.\n"
    behorighet_bevilja(actor=cast["forste_socialsekreterare"], arende=skyddad, anvandare=sofia)
    run()
    body = mail.outbox[0].body
    assert "- Ärende SKYDD-1 (skyddade personuppgifter)\n" in body
    assert skyddad.person.fornamn not in body
    assert skyddad.person.efternamn not in body
    assert skyddad.person.personnummer not in body


@time_machine.travel(TODAY, tick=False)
def test_nothing_due_means_no_email_and_no_address_means_no_email(sofia, cast, make_case):
    # Due 2026-06-13 and 2026-08-31 only: nothing to remind of.
    make_case(
        [*executed(), {"date": "2026-04-10", "type": "genomforandeplan_klar"}],
        case_id="KLAR-1",
        handlaggare=sofia,
    )
    # The senior social worker has an overdue case but no e-mail address.
    make_case(executed(), case_id="A-2", handlaggare=cast["forste_socialsekreterare"])
    assert run() == "Skickade 0 e-postmeddelanden.\n"
    assert mail.outbox == []


@time_machine.travel(TODAY, tick=False)
def test_every_social_worker_gets_their_own_cases(sofia, cast, cases, make_case):
    forste = cast["forste_socialsekreterare"]
    forste.email = "fredrik@example.se"
    forste.save()
    make_case(executed(), case_id="F-1", handlaggare=forste)
    # Provider staff and unit managers get no digest, even with an address.
    for role in ("boendestodjare", "enhetschef", "inspektor"):
        User.objects.filter(pk=cast[role].pk).update(email=f"{role}@example.se")
    inactive = User.objects.create_user(
        username="slutat",
        password=PASSWORD,
        roll=Roll.SOCIALSEKRETERARE,
        distrikt=sofia.distrikt,
        email="slutat@example.se",
        is_active=False,
    )
    make_case(executed(), case_id="G-1", handlaggare=inactive)
    assert run() == "Skickade 2 e-postmeddelanden.\n"
    by_address = {m.to[0]: m.body for m in mail.outbox}
    assert set(by_address) == {"sofia@example.se", "fredrik@example.se"}
    assert "F-1" in by_address["fredrik@example.se"]
    assert "A-1" not in by_address["fredrik@example.se"]
    assert "F-1" not in by_address["sofia@example.se"]


@time_machine.travel(TODAY, tick=False)
def test_sent_cases_are_logged_as_read(sofia, cases):
    run()
    rows = sorted(AccessLog.objects.values_list("aktor__username", "arende__arende_id", "vy"))
    assert rows == [
        ("socialsekreterare", "A-1", "paminnelse_epost"),
        ("socialsekreterare", "B-1", "paminnelse_epost"),
        ("socialsekreterare", "C-1", "paminnelse_epost"),
    ]


@time_machine.travel(TODAY, tick=False)
def test_dry_run_sends_nothing(sofia, cases):
    output = run("--dry-run")
    assert output == (
        "sofia@example.se: 5 bevakningar\nProvkörning: 1 e-postmeddelande skulle ha skickats.\n"
    )
    assert mail.outbox == []
    assert not AccessLog.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_datum_sets_the_day_the_digest_is_made_for(sofia, cases):
    run("--datum", "2026-04-08")
    body = mail.outbox[0].body
    # On 2026-04-08 the plan (due 2026-04-13) was not yet late.
    assert "  Förfaller 2026-04-13 (5 dagar kvar)\n" in body
    assert "Här är dina bevakningar i Uppfölj som är försenade eller förfaller inom 7 dagar" in body
    assert "2026-04-08" in mail.outbox[0].subject


@pytest.mark.parametrize("value", ["2026-13-01", "i morgon", "20260420"])
def test_bad_datum_exits_2_with_a_swedish_message(value, capsys):
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("paminnelser", "--datum", value, stdout=StringIO(), stderr=err)
    assert exit_info.value.code == 2
    assert err.getvalue() == (
        f'uppfolj paminnelser: --datum "{value}" är inte ett giltigt datum (ÅÅÅÅ-MM-DD)\n'
    )
    assert mail.outbox == []


@time_machine.travel(TODAY, tick=False)
def test_plain_text_email_is_not_html_escaped(sofia, cases):
    person = cases["A-1"].person
    person.efternamn = "O'Neill & Åberg"
    person.save()
    run()
    assert "- Ärende A-1, Testa O'Neill & Åberg\n" in mail.outbox[0].body
