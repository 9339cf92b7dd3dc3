"""Gallring: closed cases past the retention period, listed and deleted by the enhetschef only.

Issue 7: "closed cases past a configurable retention period listed for a logged,
confirmed deletion; nothing else can delete case data."
"""

from __future__ import annotations

import ast
import io
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from uppfolj.accounts.models import User
from uppfolj.arenden import services
from uppfolj.arenden.gallring import (
    GALLRINGSORDNING,
    PERSONENS_POSTER,
    arende_gallra,
    gallras_fran,
    gallringsbara_arenden,
)
from uppfolj.arenden.models import Arende, Handelse, Journalanteckning, Person
from uppfolj.audit.models import AccessLog, AuditLog
from uppfolj.audit.services import access_record
from uppfolj.conftest import PASSWORD

TODAY = "2026-04-20 10:00 +02:00"
TODAY_DATE = date(2026, 4, 20)
BESLUT = {
    "date": "2019-03-04",
    "type": "beslut",
    "utfall": "bifall",
    "from": "2019-03-04",
    "minuter_per_vecka": 180,
    "aterkallelseforbehall": False,
}
PACKAGE = Path(__file__).resolve().parents[2]


def closed(on: str) -> list[dict[str, Any]]:
    return [BESLUT, {"date": on, "type": "avslut"}]


def login(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


# --- The period, without a database -----------------------------------------------------


def test_period_counts_whole_years_from_the_closing():
    assert gallras_fran(date(2020, 6, 15), 5) == date(2025, 6, 16)


def test_period_from_29_february_ends_on_28_february():
    assert gallras_fran(date(2020, 2, 29), 1) == date(2021, 3, 1)
    assert gallras_fran(date(2020, 2, 29), 4) == date(2024, 3, 1)


# --- Which cases are listed ---------------------------------------------------------------


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_lists_closed_cases_past_the_period_only(cast, make_case):
    make_case(closed("2021-04-19"), case_id="PAST")  # period ended 2026-04-19
    make_case(closed("2021-04-20"), case_id="LAST-DAY")  # period ends today
    make_case(closed("2024-01-10"), case_id="RECENT")
    make_case([BESLUT], case_id="OPEN")
    rows = gallringsbara_arenden(user=cast["enhetschef"])
    assert [(r.arende.arende_id, r.avslutad, r.gallras_fran) for r in rows] == [
        ("PAST", date(2021, 4, 19), date(2026, 4, 20))
    ]


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_period_comes_from_the_setting(cast, make_case, settings):
    make_case(closed("2024-01-10"), case_id="RECENT")
    assert gallringsbara_arenden(user=cast["enhetschef"]) == []
    settings.UPPFOLJ_GALLRING_AR = 2
    assert [r.arende.arende_id for r in gallringsbara_arenden(user=cast["enhetschef"])] == [
        "RECENT"
    ]


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_list_holds_only_the_managers_visible_cases(cast, make_case):
    make_case(closed("2019-05-01"), case_id="SKYDDAD", skyddad=True)
    make_case(closed("2019-05-01"), case_id="OPPEN")
    assert [r.arende.arende_id for r in gallringsbara_arenden(user=cast["enhetschef"])] == ["OPPEN"]
    for role in ("socialsekreterare", "forste_socialsekreterare", "inspektor", "utforarchef"):
        assert gallringsbara_arenden(user=cast[role]) == []


# --- The service --------------------------------------------------------------------------


def _fill(model: type[models.Model], context: dict[str, Any], **given: Any) -> Any:
    """Create a row of `model` with every required field filled in."""
    values = dict(given)
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in values:
            continue
        if field.is_relation and field.related_model is Arende:
            values[field.name] = context["arende"]
            continue
        if field.null or field.has_default() or getattr(field, "auto_now_add", False):
            continue
        if field.is_relation:
            target = field.related_model
            if target is Handelse:
                values[field.name] = Handelse.objects.create(
                    arende=context["arende"], typ="daganteckning", datum=date(2020, 1, 1)
                )
            elif target is User:
                values[field.name] = context["user"]
            else:
                values[field.name] = context[target._meta.label]
        elif field.choices:
            values[field.name] = field.choices[0][0]
        elif isinstance(field, models.DateTimeField):
            values[field.name] = datetime(2020, 1, 1, 10, tzinfo=UTC)
        elif isinstance(field, models.DateField):
            values[field.name] = date(2020, 1, 1)
        elif isinstance(field, models.BooleanField):
            values[field.name] = False
        elif isinstance(field, models.IntegerField):
            values[field.name] = 1
        elif isinstance(field, models.JSONField):
            values[field.name] = {}
        else:
            values[field.name] = "x"
    return model.objects.create(**values)


def _fill_case(arende: Arende, user: User) -> dict[str, list[int]]:
    """Give the case a row of every model that holds case data; return their ids by model."""
    context: dict[str, Any] = {
        "arende": arende,
        "user": user,
        "arenden.Arende": arende,
        "arenden.Person": arende.person,
        "accounts.Utforare": arende.utforare,
    }
    created: dict[str, list[int]] = {}
    # Parents before children: the reverse of the order of deletion.
    for label, _ in reversed((*GALLRINGSORDNING, *PERSONENS_POSTER)):
        model = apps.get_model(label)
        extra: dict[str, Any] = {}
        if label == "utforare.Daganteckning":
            extra = {
                "sammanstallning": context["utforare.Sammanstallning"],
                "delmal": context["utforare.Delmal"],
            }
        if label == "uppfoljning.Uppfoljning":
            extra = {"mote": context["uppfoljning.Uppfoljningsmote"]}
        if label == "arenden.Granskningsfakta":
            # One row per case, already stored when the case was made.
            row, _ = model.objects.get_or_create(
                arende=arende, defaults={"berakna_per": date(2020, 1, 1)}
            )
        else:
            row = _fill(model, context, **extra)
        context[label] = row
        created.setdefault(label, []).append(row.pk)
        if label == "utforare.Daganteckning":
            correction = _fill(model, context, rattar=row)
            created[label].append(correction.pk)
    created["arenden.Handelse"] = list(arende.handelser.values_list("pk", flat=True))
    return created


def _existing(created: dict[str, list[int]]) -> dict[str, list[int]]:
    return {
        label: sorted(apps.get_model(label).objects.filter(pk__in=pks).values_list("pk", flat=True))
        for label, pks in created.items()
    }


def _journal_chain(cast, arende: Arende) -> list[Journalanteckning]:
    first = services.journal_skriv(
        actor=cast["socialsekreterare"],
        arende=arende,
        datum=date(2020, 1, 10),
        rubrik="Hembesök",
        text="Träffade Testa.",
    )
    second = services.journal_felmarkera(
        actor=cast["socialsekreterare"], anteckning=first, skal="Fel dag.", rattelse_text="Rätt."
    )
    third = services.journal_felmarkera(
        actor=cast["socialsekreterare"], anteckning=second, skal="Fel igen.", rattelse_text="Nu."
    )
    return [first, second, third]


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_gallra_deletes_the_case_and_every_record_of_it_and_nothing_else(cast, make_case):
    gone = make_case(closed("2020-06-01"), case_id="GALLRAS")
    kept = make_case(closed("2020-06-01"), case_id="KVAR")
    gone_rows = _fill_case(gone, cast["boendestodjare"])
    kept_rows = _fill_case(kept, cast["boendestodjare"])
    chain = _journal_chain(cast, gone)
    _journal_chain(cast, kept)
    kept_before = _existing(kept_rows)
    kept_person = kept.person

    result = arende_gallra(actor=cast["enhetschef"], arende=gone, bekraftelse="GALLRAS")

    assert not Arende.objects.filter(arende_id="GALLRAS").exists()
    assert {label: pks for label, pks in _existing(gone_rows).items() if pks} == {}
    assert not Journalanteckning.objects.filter(pk__in=[e.pk for e in chain]).exists()
    assert not Person.objects.filter(pk=gone.person_id).exists()
    assert _existing(kept_rows) == kept_before
    assert Journalanteckning.objects.filter(arende=kept).count() == 4
    assert Person.objects.filter(pk=kept_person.pk).exists()
    assert result.person_raderad
    assert result.raderade["arenden.Arende"] == 1
    assert result.raderade["arenden.Journalanteckning"] == 4
    assert result.raderade["utforare.Daganteckning"] == 2


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_gallra_keeps_the_person_with_another_case(cast, make_case, distrikt):
    gone = make_case(closed("2020-06-01"), case_id="GALLRAS")
    services.arende_oppna(
        actor=cast["socialsekreterare"], person=gone.person, insats="boendestod", distrikt=distrikt
    )
    result = arende_gallra(actor=cast["enhetschef"], arende=gone, bekraftelse="GALLRAS")
    assert not result.person_raderad
    assert Person.objects.filter(pk=gone.person_id).exists()


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_ACC_LOGG_gallring_is_logged_and_the_logs_outlive_the_case(cast, make_case):
    arende = make_case(closed("2020-06-01"), case_id="GALLRAS")
    entry = services.journal_skriv(
        actor=cast["socialsekreterare"],
        arende=arende,
        datum=date(2020, 1, 10),
        rubrik="Hembesök",
        text="Känsliga uppgifter.",
    )
    access_record(actor=cast["socialsekreterare"], arenden=[arende], view="arende")
    case_pk = arende.pk

    arende_gallra(actor=cast["enhetschef"], arende=arende, bekraftelse="GALLRAS")

    row = AuditLog.objects.get(atgard="arende_gallra")
    assert row.aktor == cast["enhetschef"]
    assert (row.objekttyp, row.objekt_id, row.arende_ref) == (
        "arenden.Arende",
        str(case_pk),
        "GALLRAS",
    )
    assert row.fore["avslutad"] == "2020-06-01"
    assert row.fore["raderade"]["arenden.Journalanteckning"] == 1
    assert "Testa" not in str(row.fore) and "Känsliga" not in str(row.fore)
    written = AuditLog.objects.get(atgard="journal_skriv", objekt_id=str(entry.pk))
    assert (written.arende_id, written.arende_ref, written.fore, written.efter) == (
        None,
        "GALLRAS",
        None,
        None,
    )
    assert written.aktor == cast["socialsekreterare"]
    read = AccessLog.objects.get(vy="arende")
    assert (read.arende_id, read.arende_ref, read.aktor) == (
        None,
        "GALLRAS",
        cast["socialsekreterare"],
    )


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_gallra_refuses_an_open_case(cast, make_case):
    arende = make_case([BESLUT], case_id="OPEN")
    with pytest.raises(ValidationError) as error:
        arende_gallra(actor=cast["enhetschef"], arende=arende, bekraftelse="OPEN")
    assert error.value.messages == ["Ärendet är inte avslutat och kan inte gallras."]
    assert Arende.objects.filter(pk=arende.pk).exists()


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_gallra_refuses_a_case_within_the_period(cast, make_case):
    arende = make_case(closed("2021-04-20"), case_id="LAST-DAY")
    with pytest.raises(ValidationError) as error:
        arende_gallra(actor=cast["enhetschef"], arende=arende, bekraftelse="LAST-DAY")
    assert error.value.messages == [
        "Ärendet avslutades 2021-04-20; gallringsfristen är 5 år och ärendet kan gallras "
        "tidigast 2026-04-21."
    ]
    assert Arende.objects.filter(pk=arende.pk).exists()
    assert not AuditLog.objects.filter(atgard="arende_gallra").exists()


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_gallra_refuses_a_wrong_confirmation(cast, make_case):
    arende = make_case(closed("2020-06-01"), case_id="G-1")
    for typed in ("", "G-2", "g-1"):
        with pytest.raises(ValidationError) as error:
            arende_gallra(actor=cast["enhetschef"], arende=arende, bekraftelse=typed)
        assert error.value.message_dict == {
            "bekraftelse": ["Skriv ärendets id, G-1, för att bekräfta att ärendet ska gallras."]
        }
    assert Arende.objects.filter(pk=arende.pk).exists()


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    "role", ["socialsekreterare", "forste_socialsekreterare", "inspektor", "utforarchef"]
)
def test_only_the_enhetschef_may_gallra(cast, make_case, role):
    arende = make_case(closed("2020-06-01"), case_id="G-1")
    with pytest.raises(PermissionDenied):
        arende_gallra(actor=cast[role], arende=arende, bekraftelse="G-1")
    assert Arende.objects.filter(pk=arende.pk).exists()


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_enhetschef_may_not_gallra_a_protected_case_not_granted(cast, make_case):
    arende = make_case(closed("2020-06-01"), case_id="G-1", skyddad=True)
    with pytest.raises(PermissionDenied):
        arende_gallra(actor=cast["enhetschef"], arende=arende, bekraftelse="G-1")
    assert Arende.objects.filter(pk=arende.pk).exists()


# --- Nothing else can delete case data ----------------------------------------------------

# Foreign keys to a case that are not PROTECT, and why.
NOT_PROTECT = {
    "arenden.Bevakning.arende": "computed from the events and recomputed on every change",
    "arenden.Varning.arende": "computed from the events and recomputed on every change",
    "arenden.Utkast.arende": "a user's unsaved form, removed when the form is saved",
    "audit.AuditLog.arende": "SET_NULL: the change log outlives a gallrat case",
    "audit.AccessLog.arende": "SET_NULL: the access log outlives a gallrat case",
}


def _relations_to(model: type[models.Model]) -> list[Any]:
    """Return the fields of other models that point at `model`, related_name "+" included."""
    return [
        relation.field
        for relation in model._meta.get_fields(include_hidden=True)
        if relation.auto_created and not relation.concrete and relation.is_relation
    ]


def _foreign_keys_to(model: type[models.Model]) -> dict[str, Any]:
    return {
        f"{field.model._meta.label}.{field.name}": field.remote_field.on_delete
        for field in _relations_to(model)
    }


def test_every_foreign_key_to_a_case_is_protect():
    keys = _foreign_keys_to(Arende)
    assert set(NOT_PROTECT) <= set(keys)
    assert {k for k, on_delete in keys.items() if on_delete is not models.PROTECT} == set(
        NOT_PROTECT
    )
    assert keys["audit.AuditLog.arende"] is models.SET_NULL
    assert keys["audit.AccessLog.arende"] is models.SET_NULL


def _reachable(start: type[models.Model]) -> set[str]:
    """Return the models whose rows point, directly or through others, at `start`'s rows."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        model = todo.pop()
        for field in _relations_to(model):
            related = field.model
            label = related._meta.label
            if related._meta.app_label == "audit" or label in seen:
                continue
            seen.add(label)
            todo.append(related)
    return seen


def test_gallring_knows_every_model_that_holds_case_data():
    assert _reachable(Arende) == {label for label, _ in GALLRINGSORDNING}
    assert _reachable(Person) - _reachable(Arende) - {"arenden.Arende"} == {
        label for label, _ in PERSONENS_POSTER
    }


# Every `.delete(` outside the tests, and why it may delete. A new one must be added here,
# with its reason, or go through arende_gallra.
ALLOWED_DELETES = {
    ("arenden/gallring.py", "_delete"): "the retention service (arende_gallra)",
    ("arenden/services/handelser.py", "bevakningar_berakna"): "stored bevakningar are recomputed",
    ("arenden/omrakning.py", "bevakningar_berakna_alla"): "the same recomputation, in bulk",
    ("arenden/behorighet.py", "behorighet_aterkalla"): "a revoked grant, logged",
    ("arenden/views/steg.py", "steg"): "the user's draft, once the form is saved",
    ("uppfoljning/views/uppfoljning.py", "uppfoljning_ny"): "the saved form's draft",
    ("utforare/services/anteckningar.py", "daganteckningar_radera"): "daily notes, once summarised",
}


class _DeleteFinder(ast.NodeVisitor):
    """Collect (file, innermost function) of every delete call or DELETE statement."""

    def __init__(self, relative: str) -> None:
        self.relative = relative
        self.functions: list[str] = []
        self.found: set[tuple[str, str]] = set()

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.functions.append(node.name)
        self.generic_visit(node)
        self.functions.pop()

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function

    def _hit(self) -> None:
        self.found.add((self.relative, self.functions[-1] if self.functions else "<modul>"))

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Attribute) and node.func.attr in {"delete", "_raw_delete"}:
            self._hit()
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and "delete from" in node.value.lower():
            self._hit()


def _delete_calls() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        if "/tests/" in f"/{relative}" or "/migrations/" in relative or relative == "conftest.py":
            continue
        finder = _DeleteFinder(relative)
        finder.visit(ast.parse(path.read_text(encoding="utf-8")))
        found |= finder.found
    return found


def test_nothing_but_the_listed_code_deletes_rows():
    assert _delete_calls() == set(ALLOWED_DELETES)


# --- The pages ----------------------------------------------------------------------------


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_page_lists_the_cases_and_logs_each_read(client, cast, make_case):
    make_case(closed("2019-05-01"), case_id="PAST-1")
    make_case(closed("2020-02-03"), case_id="PAST-2")
    make_case(closed("2024-01-10"), case_id="RECENT")
    login(client, cast["enhetschef"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("arenden:gallring"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "PAST-1" in html and "PAST-2" in html and "RECENT" not in html
    assert "2 ärenden kan gallras" in html
    assert "2024-05-02" in html  # PAST-1 could be deleted from the day after five years
    assert len(queries) <= 8, [q["sql"] for q in queries.captured_queries]
    logged = set(
        AccessLog.objects.filter(vy="gallring").values_list("arende__arende_id", flat=True)
    )
    assert logged == {"PAST-1", "PAST-2"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role",
    [
        "socialsekreterare",
        "forste_socialsekreterare",
        "boendestodjare",
        "utforarchef",
        "inspektor",
        "administrator",
        "utomstaende",
    ],
)
def test_pages_refuse_every_other_role(client, cast, make_case, role):
    arende = make_case(closed("2019-05-01"), case_id="G-1")
    login(client, cast[role])
    assert client.get(reverse("arenden:gallring")).status_code == 403
    url = reverse("arenden:gallring_bekrafta", args=["G-1"])
    assert client.post(url, {"bekraftelse": "G-1"}).status_code == 403
    assert Arende.objects.filter(pk=arende.pk).exists()


@pytest.mark.django_db
def test_pages_send_the_anonymous_to_login(client):
    response = client.get(reverse("arenden:gallring"))
    assert response.status_code == 302 and "/logga-in/" in response["Location"]


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_confirmation_page_deletes_on_the_typed_id(client, cast, make_case):
    arende = make_case(closed("2019-05-01"), case_id="G-1")
    login(client, cast["enhetschef"])
    url = reverse("arenden:gallring_bekrafta", args=["G-1"])
    page = client.get(url).content.decode()
    assert "Gallra ärende G-1" in page and "2019-05-01" in page
    response = client.post(url, {"bekraftelse": " G-1 "}, follow=True)
    assert response.redirect_chain == [(reverse("arenden:gallring"), 302)]
    assert "Ärende G-1 är gallrat:" in response.content.decode()
    assert not Arende.objects.filter(pk=arende.pk).exists()


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_confirmation_page_refuses_a_wrong_id_with_a_message(client, cast, make_case):
    make_case(closed("2019-05-01"), case_id="G-1")
    login(client, cast["enhetschef"])
    url = reverse("arenden:gallring_bekrafta", args=["G-1"])
    response = client.post(url, {"bekraftelse": "G-2"})
    assert response.status_code == 400
    assert (
        "Skriv ärendets id, G-1, för att bekräfta att ärendet ska gallras."
        in response.content.decode()
    )
    empty = client.post(url, {"bekraftelse": ""})
    assert empty.status_code == 400
    assert "Skriv ärendets id för att bekräfta." in empty.content.decode()
    assert Arende.objects.filter(arende_id="G-1").exists()


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_confirmation_page_refuses_a_case_within_the_period(client, cast, make_case):
    make_case(closed("2024-01-10"), case_id="G-1")
    login(client, cast["enhetschef"])
    url = reverse("arenden:gallring_bekrafta", args=["G-1"])
    response = client.post(url, {"bekraftelse": "G-1"})
    assert response.status_code == 400
    assert "kan gallras tidigast 2029-01-11" in response.content.decode()
    assert Arende.objects.filter(arende_id="G-1").exists()


@pytest.mark.django_db
def test_confirmation_page_of_an_unknown_or_hidden_case_is_not_found(client, cast, make_case):
    make_case(closed("2019-05-01"), case_id="SKYDDAD", skyddad=True)
    login(client, cast["enhetschef"])
    for case_id in ("FINNS-EJ", "SKYDDAD"):
        url = reverse("arenden:gallring_bekrafta", args=[case_id])
        assert client.get(url).status_code == 404


# --- The command line ---------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("gallring", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        return int(exit.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_cli_lists_the_cases_past_the_period(make_case):
    make_case(closed("2019-05-01"), case_id="PAST-1")
    make_case(closed("2024-01-10"), case_id="RECENT")
    code, out, _ = run("--lista")
    assert code == 0
    assert "1 avslutat ärende har passerat gallringsfristen (5 år):" in out
    assert "PAST-1\tBoendestöd\tavslutat 2019-05-01\tkan gallras från 2024-05-02" in out
    assert "RECENT" not in out


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_cli_gallrar_with_ja_and_logs_without_a_user(make_case):
    make_case(closed("2019-05-01"), case_id="PAST-1")
    code, out, _ = run("--gallra", "PAST-1", "--ja")
    assert code == 0
    assert out.startswith("Ärende PAST-1 (avslutat 2019-05-01) är gallrat:")
    assert not Arende.objects.filter(arende_id="PAST-1").exists()
    row = AuditLog.objects.get(atgard="arende_gallra")
    assert (row.aktor, row.arende_ref) == (None, "PAST-1")


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_cli_bad_input_exits_2_with_a_message(make_case):
    make_case(closed("2019-05-01"), case_id="PAST-1")
    make_case(closed("2024-01-10"), case_id="RECENT")
    cases = [
        (("--gallra", "PAST-1"), "Lägg till --ja för att bekräfta."),
        (("--gallra", "FINNS-EJ", "--ja"), "uppfolj gallring: ärende FINNS-EJ finns inte"),
        (("--gallra", "RECENT", "--ja"), "kan gallras tidigast 2029-01-11"),
    ]
    for args, message in cases:
        code, _, err = run(*args)
        assert code == 2, args
        assert message in err, (args, err)
    assert Arende.objects.filter(arende_id__in=["PAST-1", "RECENT"]).count() == 2
