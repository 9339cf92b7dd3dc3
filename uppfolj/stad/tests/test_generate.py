"""`uppfolj generate`: a reproducible synthetic city whose stored bevakningar are the engine's."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import models, transaction
from personnummer import personnummer

from uppfolj.accounts.models import Distrikt, Roll, User, Utforare
from uppfolj.arenden.models import (
    Ansokan,
    Arende,
    Behorighet,
    Beslut,
    Bevakning,
    Handelse,
    Person,
    Uppdrag,
    Varning,
)
from uppfolj.arenden.services import bevakningar_berakna, handelse_as_event
from uppfolj.audit.models import AuditLog
from uppfolj.domain.engine import OPEN
from uppfolj.stad.generate import ATGARD, GenerateError, event_of, generate
from uppfolj.uppfoljning.models import StodnivaAndring, Uppfoljning
from uppfolj.utforare.models import Daganteckning, Genomforandeplan, Sammanstallning

IDAG = date(2026, 6, 30)

TABLES: tuple[type[models.Model], ...] = (
    Distrikt,
    Utforare,
    User,
    Person,
    Arende,
    Handelse,
    Bevakning,
    Varning,
    Behorighet,
    Ansokan,
    Beslut,
    Uppdrag,
    Genomforandeplan,
    Sammanstallning,
    Daganteckning,
    Uppfoljning,
    StodnivaAndring,
)


def fingerprint() -> dict[str, list[tuple[Any, ...]]]:
    """Every generated row, with ids replaced by their rank so that two databases compare."""
    ranks = {
        model: {
            pk: i
            for i, pk in enumerate(
                model._default_manager.order_by("pk").values_list("pk", flat=True)
            )
        }
        for model in TABLES
    }
    result = {}
    for model in TABLES:
        fields = [f for f in model._meta.concrete_fields if f.name != "last_login"]
        rows = []
        for values in model._default_manager.order_by("pk").values_list(
            *(f.attname for f in fields)
        ):
            row = []
            for f, value in zip(fields, values, strict=True):
                if f.primary_key:
                    value = ranks[model][value]
                elif f.is_relation and value is not None and f.related_model in ranks:
                    value = ranks[f.related_model][value]  # type: ignore[index]
                row.append(value)
            rows.append(tuple(row))
        result[model.__name__] = rows
    return result


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_rows_and_another_seed_other_rows():
    with transaction.atomic():
        generate(cases=25, seed=7, today=IDAG)
        first = fingerprint()
        transaction.set_rollback(True)
    with transaction.atomic():
        generate(cases=25, seed=7, today=IDAG)
        again = fingerprint()
        transaction.set_rollback(True)
    generate(cases=25, seed=8, today=IDAG)
    other = fingerprint()
    assert first["Handelse"], "the city has events"
    assert again == first
    assert other["Handelse"] != first["Handelse"]


@pytest.mark.django_db
def test_stored_bevakningar_and_warnings_are_those_the_service_computes():
    generate(cases=30, seed=3, today=IDAG)

    def stored(arende: Arende) -> tuple[list[Any], list[Any]]:
        return (
            sorted(
                arende.bevakningar.values_list("regel", "start", "forfaller", "status", "uppfylld")
            ),
            sorted(arende.varningar.values_list("regel", "datum", "meddelande")),
        )

    for arende in Arende.objects.all():
        generated = stored(arende)
        bevakningar_berakna(arende=arende, today=IDAG)
        assert stored(arende) == generated, arende.arende_id


@pytest.mark.django_db
def test_the_fast_event_reader_agrees_with_the_timeline_parser():
    generate(cases=30, seed=5, today=IDAG)
    for h in Handelse.objects.all():
        raw = {**h.data, "date": h.datum.isoformat(), "type": h.typ}
        assert event_of(raw) == handelse_as_event(h), (h.arende_id, h.typ)


@pytest.mark.django_db
def test_the_city_has_every_insats_role_and_step_and_some_missed_deadlines():
    result = generate(cases=160, seed=11, today=IDAG)
    assert result.arenden == Arende.objects.count() == 160
    assert set(Arende.objects.values_list("insats", flat=True)) == {
        "boendestod",
        "socialt_boende_med_stod",
        "vard_och_omsorgsboende",
    }
    assert set(User.objects.values_list("roll", flat=True)) == set(Roll.values)
    for person in Person.objects.all():
        assert personnummer.valid(person.personnummer)
        assert date(1940, 1, 1) <= person.fodd <= date(2005, 12, 31)
    events = Counter(Handelse.objects.values_list("typ", flat=True))
    for typ in (
        "anmalan",
        "ansokan",
        "utredning",
        "beslut",
        "uppdrag_skickat",
        "kontakt_tagen",
        "verkstallt",
        "genomforandeplan_klar",
        "daganteckning",
        "sammanstallning",
        "uppfoljning",
        "stodniva_bedomd",
        "paus",
        "avslut",
    ):
        assert events[typ] > 0, typ
    # Each step leaves its document, as the services would.
    assert Beslut.objects.count() == events["beslut"]
    assert Uppdrag.objects.count() == events["uppdrag_skickat"]
    assert Ansokan.objects.count() == events["ansokan"]
    assert Sammanstallning.objects.count() == events["sammanstallning"]
    assert Uppfoljning.objects.count() == events["uppfoljning"]
    assert StodnivaAndring.objects.count() == events["stodniva_bedomd"]
    assert Genomforandeplan.objects.count() == (
        events["genomforandeplan_klar"] + events["genomforandeplan_reviderad"]
    )
    # Daily notes are sampled (one to three weeks apart when on time), and the summarised
    # ones are mostly deleted: fewer note rows than note events.
    assert 0 < Daganteckning.objects.count() < events["daganteckning"]
    for arende in Arende.objects.filter(insats="boendestod")[:20]:
        days = list(arende.handelser.filter(typ="daganteckning").values_list("datum", flat=True))
        assert all((b - a).days >= 7 for a, b in itertools.pairwise(days))
    statuses = Counter(Bevakning.objects.values_list("status", flat=True))
    assert statuses["met"] and statuses["met_late"]
    assert Bevakning.objects.filter(status=OPEN, forfaller__lt=IDAG).exists(), "some overdue"
    assert not Handelse.objects.filter(datum__gt=IDAG).exists()


@pytest.mark.django_db
def test_the_generation_writes_one_audit_row():
    generate(cases=10, seed=1, today=IDAG)
    rows = list(AuditLog.objects.all())
    assert [r.atgard for r in rows] == [ATGARD]
    assert rows[0].efter["arenden"] == 10 and rows[0].efter["seed"] == 1


@pytest.mark.django_db
def test_social_workers_see_their_cases_and_are_granted_the_protected_ones():
    generate(cases=400, seed=2, today=IDAG)
    worker = User.objects.filter(roll=Roll.SOCIALSEKRETERARE, arenden__isnull=False).first()
    assert worker is not None
    own = Arende.objects.filter(handlaggare=worker)
    assert set(Arende.objects.visible_to(worker).filter(handlaggare=worker)) == set(own)
    protected = Arende.objects.filter(person__skyddad_identitet=True)
    assert protected.exists()
    for arende in protected:
        assert Behorighet.objects.filter(arende=arende, anvandare=arende.handlaggare).exists()


@pytest.mark.django_db
def test_a_city_is_generated_only_into_a_database_without_cases(make_case):
    make_case([])
    with pytest.raises(GenerateError, match="databasen innehåller redan ärenden"):
        generate(cases=5, seed=1, today=IDAG)


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("generate", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_command_reports_what_it_made_with_a_progress_bar_on_stderr():
    status, out, err = run("--cases", "12", "--seed", "4", "--idag", "2026-06-30")
    assert status == 0
    assert out.startswith("12 ärenden (")
    assert "12/12 ärenden" in err and "#" in err
    assert Arende.objects.count() == 12
    assert not Handelse.objects.filter(datum__gt=date(2026, 6, 30)).exists()
    assert Handelse.objects.filter(datum__gt=date(2026, 6, 30) - timedelta(days=60)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--seed", "1"), "ange antalet ärenden med --cases N"),
        (("--cases", "10"), "ange ett slumpfrö med --seed S"),
        (("--cases", "tio", "--seed", "1"), '--cases ska vara ett heltal, inte "tio"'),
        (("--cases", "0", "--seed", "1"), "--cases ska vara minst 1, inte 0"),
        (("--cases", "10", "--seed", "-3"), "--seed ska vara minst 0, inte -3"),
        (("--cases", "10", "--seed", "1", "--distrikt", "0"), "--distrikt ska vara minst 1"),
        (
            ("--cases", "10", "--seed", "1", "--distrikt", "11"),
            "antalet distrikt ska vara minst 1 och högst lika många som ärendena",
        ),
        (
            ("--cases", "10", "--seed", "1", "--idag", "30/6"),
            '--idag ska vara ett datum ÅÅÅÅ-MM-DD, inte "30/6"',
        ),
    ],
)
def test_command_answers_bad_arguments_with_exit_2_and_a_swedish_message(args, message):
    status, out, err = run(*args)
    assert status == 2
    assert message in err
    assert err.startswith("uppfolj generate: ")
    assert out == ""
    assert not Arende.objects.exists() and not Distrikt.objects.exists()


@pytest.mark.django_db
def test_command_refuses_a_database_with_cases(make_case):
    make_case([])
    status, _, err = run("--cases", "10", "--seed", "1")
    assert status == 2
    assert "databasen innehåller redan ärenden" in err
