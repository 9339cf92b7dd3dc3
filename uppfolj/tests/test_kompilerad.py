"""Queries compiled once per shape (uppfolj/lib/kompilerad.py) give every user their own
rows: the worklist built for one social worker, then run for another of the same shape,
shows the second one's cases and only those the rules let them see (ACC-SKYDDAD,
ACC-SEKRETESSGRANS), with the filters they chose."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from uppfolj.accounts.models import Distrikt, Roll, User
from uppfolj.arenden.models import Behorighet
from uppfolj.arenden.selectors import bevakningsrader, mina_bevakningar, mina_bevakningsrader
from uppfolj.arenden.tests.test_fast_paths import TODAY, running_case
from uppfolj.lib import kompilerad


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
