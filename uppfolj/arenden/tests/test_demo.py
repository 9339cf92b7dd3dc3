"""The demo district that `make run` loads on first start."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone
from personnummer import personnummer

from uppfolj.accounts.models import Roll, User
from uppfolj.arenden.demo import demo_cases, load_demo
from uppfolj.arenden.models import Arende, Bevakning

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


def test_demo_has_every_insats_with_overdue_open_and_met_bevakningar() -> None:
    users = load_demo(TODAY)
    assert {u.roll for u in users} == set(Roll.values)
    assert User.objects.filter(is_demo=True).count() == len(Roll.values)
    assert Arende.objects.count() == 60
    for insats in ("boendestod", "socialt_boende_med_stod", "vard_och_omsorgsboende"):
        statuses = {
            b.effektiv_status(TODAY) for b in Bevakning.objects.filter(arende__insats=insats)
        }
        assert {"open", "overdue", "met"} <= statuses, insats
    assert Arende.objects.filter(person__skyddad_identitet=True).exists()
    assert Arende.objects.filter(handelser__typ="avslut").exists()


def test_demo_is_loaded_only_once(capsys) -> None:
    call_command("demo")
    assert "socialsekreterare" in capsys.readouterr().out
    # The demo provider has a new uppdrag waiting and two contact staff per running case.
    from uppfolj.arenden.models import Uppdrag
    from uppfolj.utforare.models import Kontaktpersonal

    assert Uppdrag.objects.filter(status="skickat", utforare__namn="Boendestöd Söder").count() == 1
    per_case = {
        k["arende"]: k["n"]
        for k in Kontaktpersonal.objects.values("arende").annotate(n=Count("id"))
    }
    assert per_case and set(per_case.values()) == {2}
    call_command("demo")
    assert "demodata lästes inte in" in capsys.readouterr().out
    assert Arende.objects.count() == 61  # 60 imported and one taken through the services


def test_demo_personnummer_are_valid_and_match_the_sex() -> None:
    for case in demo_cases(TODAY):
        number = personnummer.parse(case["person"]["personnummer"])
        assert number.is_female() == (case["person"]["kon"] == "kvinna")
        assert not any(e["date"] > TODAY.isoformat() for e in case["events"])


def test_demo_refused_in_production(settings) -> None:
    settings.UPPFOLJ_ALLOW_DEMO_LOGIN = False
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Demodata läses inte in i produktion"):
        call_command("demo")


def test_demo_fills_the_time_register_the_audit_reads(capsys) -> None:
    """The audit's visit and cancellation figures have data to show in the demo."""
    from uppfolj.domain.tid import KONTORSTID_SLUT
    from uppfolj.utforare.models import Besok, Daganteckning

    call_command("demo")
    visits = list(Besok.objects.all())
    assert visits
    assert all(v.slut <= v.registrerad for v in visits), "no visit lies in the future"
    local = [timezone.localtime(v.slut) for v in visits]
    assert any(t.time() > KONTORSTID_SLUT for t in local), "some evening visits"
    assert any(t.weekday() >= 5 for t in local), "some weekend visits"
    cancelled = (
        Daganteckning.objects.filter(typ=Daganteckning.Typ.AVBOKNING)
        .values("arende")
        .annotate(n=Count("id"))
    )
    assert any(row["n"] >= 3 for row in cancelled)
