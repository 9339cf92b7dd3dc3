"""Queries compiled once per shape (uppfolj/lib/kompilerad.py) give every user their own
rows: the worklist built for one social worker, then run for another of the same shape,
shows the second one's cases and only those the rules let them see (ACC-SKYDDAD,
ACC-SEKRETESSGRANS), with the filters they chose; a case opened through a compiled query
is opened only for whom it is visible; a case's rows read by compiled queries are the
ORM's rows, with the related rows they select and prefetch."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from uppfolj.accounts.models import Distrikt, Roll, User
from uppfolj.arenden.models import Arende, Behorighet
from uppfolj.arenden.rader import arendets_rader, synligt_arende
from uppfolj.arenden.selectors import (
    _sista_beslut,
    _sista_uppdrag,
    bevakningsrader,
    mina_bevakningar,
    mina_bevakningsrader,
)
from uppfolj.arenden.tests.test_fast_paths import TODAY, running_case
from uppfolj.lib import kompilerad
from uppfolj.utforare.models import Delmal
from uppfolj.utforare.services.plan import plan_senaste
from uppfolj.utforare.services.uppdrag import uppdrag_acceptera
from uppfolj.utforare.tests import uppdrag_helpers
from uppfolj.utforare.tests.plan_fixtures import spara_plan


@pytest.fixture(autouse=True)
def _empty_cache() -> Any:
    """Every test starts with nothing compiled, as a fresh process does."""
    kompilerad._byggda.clear()
    yield
    kompilerad._byggda.clear()


def compiled_and_orm(user: User, **filters: Any) -> tuple[list[Any], list[Any]]:
    return (
        mina_bevakningsrader(user=user, **filters),
        bevakningsrader(mina_bevakningar(user=user, **filters)),
    )


@time_machine.travel(TODAY)
@pytest.mark.django_db
def test_ACC_SKYDDAD_a_worklist_compiled_for_one_worker_gives_another_their_own_cases(
    cast, make_case
):
    first = cast["socialsekreterare"]
    second = User.objects.create_user(
        username="andra", password="x", roll=Roll.SOCIALSEKRETERARE, distrikt=first.distrikt
    )
    own = running_case(make_case, first)
    theirs = running_case(make_case, second)
    protected = running_case(make_case, second, skyddad=True)

    rows, orm = compiled_and_orm(first)  # builds the shape, with the first worker
    assert rows == orm and {r.arende_id for r in rows} == {own.arende_id}

    rows, orm = compiled_and_orm(second)
    assert rows == orm
    # Their protected case is not theirs to see without a grant (ACC-SKYDDAD) …
    assert {r.arende_id for r in rows} == {theirs.arende_id}
    Behorighet.objects.create(arende=protected, anvandare=second, beviljad_av=first)
    # … and is once it is granted, through the same compiled query.
    rows, orm = compiled_and_orm(second)
    assert rows == orm
    assert {r.arende_id for r in rows} == {theirs.arende_id, protected.arende_id}
    shapes = [key for key in kompilerad._byggda if key[1][0] == "mina_bevakningar"]
    assert len(shapes) == 1, "one shape for two workers of the same role"
    assert all(isinstance(r.forfaller, date) for r in rows), "dates converted as the ORM does"


@time_machine.travel(TODAY)
@pytest.mark.django_db
def test_ACC_SEKRETESSGRANS_a_worker_of_another_district_sees_none_of_this_ones_cases(
    cast, make_case
):
    worker = cast["socialsekreterare"]
    running_case(make_case, worker)
    compiled_and_orm(worker)
    # Still responsible for the case on paper, but moved to another district.
    worker.distrikt = Distrikt.objects.create(namn="Annat distrikt")
    worker.save()
    assert compiled_and_orm(worker) == ([], [])
    # Without a district a worker sees nothing at all, and no query is sent for it.
    worker.distrikt = None
    worker.save()
    with CaptureQueriesContext(connection) as captured:
        assert mina_bevakningsrader(user=worker) == []
    assert captured.captured_queries == []


@time_machine.travel(TODAY)
@pytest.mark.django_db
def test_the_filters_of_the_worklist_take_each_call_its_own_values(cast, make_case):
    worker = cast["socialsekreterare"]
    running_case(make_case, worker)
    running_case(make_case, worker, insats="socialt_boende_med_stod")
    everything, _ = compiled_and_orm(worker)
    assert {r.insats for r in everything} == {"boendestod", "socialt_boende_med_stod"}
    for insats in ("boendestod", "socialt_boende_med_stod"):
        rows, orm = compiled_and_orm(worker, insats=insats)
        assert rows == orm and rows and {r.insats for r in rows} == {insats}
    regel = everything[0].regel
    rows, orm = compiled_and_orm(worker, regel=regel)
    assert rows == orm and {r.regel for r in rows} == {regel}
    rows, orm = compiled_and_orm(worker, distrikt_id=worker.distrikt_id + 1000)
    assert rows == orm == []
    rows, orm = compiled_and_orm(worker, distrikt_id=worker.distrikt_id)
    assert rows == everything


@pytest.mark.django_db
def test_a_query_is_built_once_per_key_and_run_with_each_calls_values(cast):
    built = []

    def bygg(roll: str) -> Any:
        built.append(roll)
        return User.objects.filter(roll=roll).order_by("username").values_list("username")

    for _ in range(3):
        rows = kompilerad.kor("anvandare", bygg, {"roll": Roll.ENHETSCHEF})
        assert rows == [("enhetschef",)]
    assert kompilerad.kor("anvandare", bygg, {"roll": Roll.INSPEKTOR}) == [("inspektor",)]
    assert len(built) == 1


@pytest.mark.django_db
def test_a_value_the_orm_would_change_cannot_be_compiled(cast):
    def bygg(namn: str) -> Any:
        # `icontains` wraps the value in %…%: a marker changed on its way in.
        return User.objects.filter(username__icontains=namn).values_list("username")

    with pytest.raises(ValueError, match="changed a marker"):
        kompilerad.kor("sok", bygg, {"namn": "enhet"})


def test_only_ids_and_texts_can_vary():
    with pytest.raises(TypeError):
        kompilerad.markor("datum", TODAY, 0)
    with pytest.raises(TypeError):
        kompilerad.markor("aktiv", True, 0)


# --- A case's rows as model instances (uppfolj/arenden/rader.py) ---------------------------


def shape(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """An instance's field values and the related objects it holds (but the case)."""
    values = {k: v for k, v in obj.__dict__.items() if not k.startswith("_")}
    cache = {
        k: (type(v).__name__, getattr(v, "pk", v))
        for k, v in obj._state.fields_cache.items()
        if k != "arende"
    }
    return values, cache


def same_as_the_orm(nyckel: str, fragan: Any, *arenden: Arende) -> None:
    for arende in arenden:  # the first compiles the shape, the others reuse it
        compiled = arendets_rader(nyckel, fragan, arende)
        orm = list(fragan(arende))
        assert [shape(o) for o in compiled] == [shape(o) for o in orm]
        assert all(o.arende is arende for o in compiled), "the case is not read again"


@time_machine.travel(uppdrag_helpers.TODAY)
@pytest.mark.django_db
def test_a_cases_rows_are_the_orms_whatever_case_compiled_the_query(
    cast, make_case, utforare_tilldelad
):
    first = uppdrag_helpers.skicka_uppdrag(make_case, cast, utforare_tilldelad).arende
    second = uppdrag_helpers.skicka_uppdrag(make_case, cast, utforare_tilldelad).arende
    uppdrag_acceptera(actor=cast["utforarchef"], uppdrag=second.uppdrag_set.get())
    spara_plan(cast["boendestodjare"], second)
    # Related rows by the related manager, a filter, the order; the latest row with its
    # decision-maker; the uppdrag with its provider and the provider's answer (none for the
    # first case: a reverse one-to-one left empty); the plan with its sub-goals prefetched.
    same_as_the_orm(
        "t-handelser",
        lambda a: a.handelser.exclude(typ="ansokan").order_by("-datum"),
        first,
        second,
    )
    same_as_the_orm("t-beslut", _sista_beslut, first, second)
    same_as_the_orm("t-uppdrag", _sista_uppdrag, first, second)
    assert not hasattr(arendets_rader("t-uppdrag", _sista_uppdrag, first)[0], "svar")
    svar = arendets_rader("t-uppdrag", _sista_uppdrag, second)[0].svar
    assert svar.besvarat_av == cast["utforarchef"]
    plan = plan_senaste(second)
    assert plan is not None and [d.pk for d in plan.delmal.all()] == [
        d.pk for d in Delmal.objects.filter(plan=plan)
    ]
    with CaptureQueriesContext(connection) as captured:
        list(plan.delmal.all())
    assert captured.captured_queries == [], "the sub-goals come with the plan"
    assert plan_senaste(first) is None


@pytest.mark.django_db
def test_a_query_that_reads_more_of_the_case_than_its_ids_does_not_compile(cast, make_case):
    arende = running_case(make_case, cast["socialsekreterare"])
    with pytest.raises(Arende.DoesNotExist):
        arendets_rader("t-insats", lambda a: a.handelser.filter(typ=a.insats), arende)


@time_machine.travel(TODAY)
@pytest.mark.django_db
def test_ACC_SKYDDAD_ACC_SEKRETESSGRANS_the_case_is_opened_only_for_whom_it_is_visible(
    cast, make_case, utforare_annan
):
    worker = cast["socialsekreterare"]
    own = running_case(make_case, worker)
    protected = running_case(make_case, worker, skyddad=True)
    elsewhere = User.objects.create_user(
        username="annan",
        password="x",
        roll=Roll.SOCIALSEKRETERARE,
        distrikt=Distrikt.objects.create(namn="Annat distrikt"),
    )
    assert synligt_arende(worker, own.arende_id) == own
    assert synligt_arende(elsewhere, own.arende_id) is None  # same shape, another district
    assert synligt_arende(worker, protected.arende_id) is None
    Behorighet.objects.create(arende=protected, anvandare=worker, beviljad_av=worker)
    found = synligt_arende(worker, protected.arende_id)
    assert found == protected and found.person.skyddad_identitet
    assert synligt_arende(cast["inspektor"], own.arende_id) == own
    assert synligt_arende(cast["boendestodjare"], own.arende_id) == own  # the case's provider
    assert synligt_arende(cast["boendestodjare_annan"], own.arende_id) is None
    assert synligt_arende(cast["administrator"], own.arende_id) is None
    assert synligt_arende(worker, "finns-inte") is None
