"""No lost update: two staff editing the same summary draft; the second save is refused."""

from __future__ import annotations

import html as html_lib
import re
from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client

from uppfolj.audit.models import AuditLog
from uppfolj.utforare.models import Sammanstallning
from uppfolj.utforare.services import anteckningar as services

from .test_daganteckningar import BESLUT, TODAY, UPPDRAG, VERKSTALLT, login, url

pytestmark = pytest.mark.django_db

TEXTS = {
    "tidsanvandning": "Tiden räckte.",
    "malarbete_individ": "Hen är nöjd.",
    "malarbete_utforare": "Framsteg i köket.",
    "klagomal": "Inga.",
}
PERIOD = {"fran": "2026-02-01", "till": "2026-04-19"}
KONFLIKT_STODPEDAGOG = (
    "Sammanställningen har ändrats av Stodpedagog kl 10:00 sedan du öppnade den. Dina "
    "ändringar är inte sparade – här är de, jämför och spara igen."
)


@pytest.fixture
def draft(make_case, cast) -> Sammanstallning:
    arende = make_case([BESLUT, UPPDRAG, VERKSTALLT])
    return services.sammanstallning_spara(
        actor=cast["boendestodjare"],
        arende=arende,
        period_fran=date(2026, 2, 1),
        period_till=date(2026, 4, 19),
        **TEXTS,
    )


def page(draft: Sammanstallning) -> str:
    return url(draft.arende, "utforare:sammanstallning", draft.pk)


def grundversion(html: str) -> str:
    found = re.search(r'name="grundversion" value="(\d+)"', html)
    assert found, "the form carries the version it was opened at"
    return found.group(1)


def text(response: Any) -> str:
    return html_lib.unescape(response.content.decode())


@time_machine.travel(TODAY, tick=False)
def test_saving_from_an_older_version_raises_the_conflict(cast, draft):
    edit = {
        "actor": cast["stodpedagog"],
        "arende": draft.arende,
        "period_fran": draft.period_fran,
        "period_till": draft.period_till,
        "sammanstallning": draft,
    }
    saved = services.sammanstallning_spara(**edit, **{**TEXTS, "klagomal": "Ett."}, grundversion=1)
    assert saved.version == 2
    with pytest.raises(services.SammanstallningKonflikt) as error:
        services.sammanstallning_spara(**edit, **{**TEXTS, "klagomal": "Två."}, grundversion=1)
    assert str(error.value) == KONFLIKT_STODPEDAGOG
    draft.refresh_from_db()
    assert (draft.version, draft.klagomal, draft.andrad_av) == (2, "Ett.", cast["stodpedagog"])


@time_machine.travel(TODAY, tick=False)
def test_the_second_of_two_editors_gets_the_conflict_with_their_input_kept(cast, draft):
    first = login(Client(), cast["stodpedagog"])
    second = login(Client(), cast["boendestodjare"])
    assert grundversion(first.get(page(draft)).content.decode()) == "1"
    assert grundversion(second.get(page(draft)).content.decode()) == "1"
    audit_before = set(AuditLog.objects.values_list("pk", flat=True))

    saved = {**TEXTS, **PERIOD, "atgard": "spara", "grundversion": "1"}
    saved["malarbete_individ"] = "Hen vill laga mat själv."
    assert first.post(page(draft), saved).status_code == 302

    mine = {**TEXTS, **PERIOD, "atgard": "spara", "grundversion": "1"}
    mine["klagomal"] = "Klagade på att personalen kom sent."
    response = second.post(page(draft), mine)

    html = text(response)
    assert response.status_code == 409
    assert KONFLIKT_STODPEDAGOG in html
    assert "Klagade på att personalen kom sent.</textarea>" in html
    assert grundversion(html) == "2"
    assert "Den sparade versionen, ändrad av Stodpedagog 2026-04-20 10:00" in html
    assert "<dd>Hen vill laga mat själv.</dd>" in html
    draft.refresh_from_db()
    assert (draft.version, draft.malarbete_individ, draft.klagomal) == (
        2,
        "Hen vill laga mat själv.",
        "Inga.",
    )
    new_rows = AuditLog.objects.exclude(pk__in=audit_before)
    assert list(new_rows.values_list("atgard", "aktor")) == [
        ("sammanstallning_spara", cast["stodpedagog"].pk)
    ]

    # Saving again, now knowingly over version 2.
    assert second.post(page(draft), {**mine, "grundversion": "2"}).status_code == 302
    draft.refresh_from_db()
    assert (draft.version, draft.klagomal) == (3, "Klagade på att personalen kom sent.")


@time_machine.travel(TODAY, tick=False)
def test_a_transfer_from_a_stale_form_is_refused_too(cast, draft):
    services.sammanstallning_spara(
        actor=cast["stodpedagog"],
        arende=draft.arende,
        period_fran=draft.period_fran,
        period_till=draft.period_till,
        sammanstallning=draft,
        grundversion=1,
        **TEXTS,
    )
    client = login(Client(), cast["boendestodjare"])
    response = client.post(
        page(draft), {**TEXTS, **PERIOD, "atgard": "overfor", "grundversion": "1"}
    )
    assert response.status_code == 409
    draft.refresh_from_db()
    assert draft.status == "utkast"


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("value", ["", "x", "-1"])
def test_a_form_without_its_version_is_refused(cast, draft, value):
    client = login(Client(), cast["boendestodjare"])
    response = client.post(page(draft), {**TEXTS, **PERIOD, "grundversion": value})
    assert response.status_code == 400
    assert (
        "Sidan saknar uppgift om vilken version du utgick från. Ladda om sidan och försök igen."
    ) in text(response)
    draft.refresh_from_db()
    assert draft.version == 1
