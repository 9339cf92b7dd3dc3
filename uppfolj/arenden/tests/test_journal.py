"""The journal: append-only entries, marked wrong with a correction; who may read and write."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from uppfolj.arenden import services
from uppfolj.arenden.models import Journalanteckning
from uppfolj.audit.models import AccessLog, AuditLog
from uppfolj.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TODAY = "2026-04-20 10:00 +02:00"
BESLUT = {
    "date": "2026-03-02",
    "type": "beslut",
    "utfall": "bifall",
    "from": "2026-03-02",
    "minuter_per_vecka": 180,
    "aterkallelseforbehall": False,
}
AUTHORITY = ("socialsekreterare", "forste_socialsekreterare", "enhetschef")
NOT_READERS = (
    "boendestodjare",
    "stodpedagog",
    "utforarchef",
    "boendestodjare_annan",
    "administrator",
    "utomstaende",
)


def login(client: Client, user) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def url(arende, name: str = "arenden:journal", *args) -> str:
    return reverse(name, args=[arende.arende_id, *args])


@pytest.fixture
def arende(make_case):
    return make_case([BESLUT], case_id="A-1")


def write(cast, arende, datum=date(2026, 4, 10), rubrik="Hembesök", text="Träffade Testa."):
    return services.journal_skriv(
        actor=cast["socialsekreterare"], arende=arende, datum=datum, rubrik=rubrik, text=text
    )


@time_machine.travel(TODAY, tick=False)
def test_anonymous_is_sent_to_login(client, cast, arende):
    entry = write(cast, arende)
    for response in (
        client.get(url(arende)),
        client.post(url(arende, "arenden:journal_skriv"), {"rubrik": "x"}),
        client.post(url(arende, "arenden:journal_felmarkera", entry.pk), {"skal": "x"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert Journalanteckning.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
def test_social_worker_writes_an_entry_audited_and_logged(client, cast, arende):
    login(client, cast["socialsekreterare"])
    response = client.post(
        url(arende, "arenden:journal_skriv"),
        {"datum": "2026-04-17", "rubrik": "Telefonsamtal", "text": "Åsa ringde om hyran."},
    )
    entry = Journalanteckning.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(arende) + f"#anteckning-{entry.pk}"
    assert (entry.datum, entry.rubrik, entry.skriven_av) == (
        date(2026, 4, 17),
        "Telefonsamtal",
        cast["socialsekreterare"],
    )
    audit = AuditLog.objects.get(atgard="journal_skriv")
    assert audit.aktor == cast["socialsekreterare"] and audit.arende == arende
    assert audit.efter["text"] == "Åsa ringde om hyran."
    html = client.get(url(arende)).content.decode()
    assert "Anteckningen är sparad i journalen." in html
    assert "Telefonsamtal" in html and "Åsa ringde om hyran." in html
    assert "Skriven av Socialsekreterare" in html
    views = list(AccessLog.objects.order_by("id").values_list("aktor__username", "vy"))
    assert views == [("socialsekreterare", "journal_skriv"), ("socialsekreterare", "journal")]


@time_machine.travel(TODAY, tick=False)
def test_entries_are_shown_in_date_order(client, cast, arende):
    write(cast, arende, datum=date(2026, 4, 15), rubrik="Andra")
    write(cast, arende, datum=date(2026, 3, 5), rubrik="Första")
    write(cast, arende, datum=date(2026, 4, 18), rubrik="Tredje")
    html = login(client, cast["enhetschef"]).get(url(arende)).content.decode()
    assert html.index("Första") < html.index("Andra") < html.index("Tredje")


@time_machine.travel(TODAY, tick=False)
def test_wrong_entry_stays_visible_struck_through_and_linked_to_its_correction(
    client, cast, arende
):
    entry = write(cast, arende, text="Besöket skedde i Solna.")
    login(client, cast["forste_socialsekreterare"])
    response = client.post(
        url(arende, "arenden:journal_felmarkera", entry.pk),
        {"skal": "Fel ort angiven.", "rattelse_text": "Besöket skedde i Bromma."},
    )
    correction = Journalanteckning.objects.get(rattar=entry)
    assert response.status_code == 302
    assert response["Location"] == url(arende) + f"#anteckning-{correction.pk}"
    entry.refresh_from_db()
    assert entry.ar_felaktig and entry.felmarkerad_av == cast["forste_socialsekreterare"]
    assert entry.text == "Besöket skedde i Solna."
    assert correction.rubrik == "Rättelse: Hembesök" and correction.datum == entry.datum
    assert list(AuditLog.objects.order_by("id").values_list("atgard", flat=True))[-2:] == [
        "journal_felmarkera",
        "journal_skriv",
    ]
    html = client.get(url(arende)).content.decode()
    assert "<del>Besöket skedde i Solna.</del>" in html
    assert "Markerad som felaktig</strong> av Forste 2026-04-20 10:00" in html
    assert "Skäl: Fel ort angiven." in html
    assert f'<a href="#anteckning-{correction.pk}">Se rättelsen</a>' in html
    assert f'Rättar anteckningen <a href="#anteckning-{entry.pk}">2026-04-10 Hembesök</a>' in html
    assert "Besöket skedde i Bromma." in html
    # Only the correction can still be marked wrong: one form, not two.
    assert html.count("<summary>Markera som felaktig</summary>") == 1


@time_machine.travel(TODAY, tick=False)
def test_marking_wrong_needs_a_reason_and_the_corrected_text(client, cast, arende):
    entry = write(cast, arende)
    login(client, cast["socialsekreterare"])
    response = client.post(
        url(arende, "arenden:journal_felmarkera", entry.pk), {"skal": " ", "rattelse_text": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Skriv varför anteckningen är felaktig." in html
    assert "Skriv den rättade anteckningen." in html
    entry.refresh_from_db()
    assert not entry.ar_felaktig
    assert Journalanteckning.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
def test_an_entry_is_marked_wrong_only_once(client, cast, arende):
    entry = write(cast, arende)
    services.journal_felmarkera(
        actor=cast["socialsekreterare"], anteckning=entry, skal="Fel", rattelse_text="Rätt"
    )
    login(client, cast["socialsekreterare"])
    response = client.post(
        url(arende, "arenden:journal_felmarkera", entry.pk),
        {"skal": "Igen", "rattelse_text": "Igen"},
    )
    assert response.status_code == 400
    assert "Anteckningen är redan markerad som felaktig." in response.content.decode()
    assert Journalanteckning.objects.count() == 2


@time_machine.travel(TODAY, tick=False)
def test_new_entry_invalid_input_is_refused_with_swedish_messages(client, cast, arende):
    login(client, cast["socialsekreterare"])
    response = client.post(url(arende, "arenden:journal_skriv"), {})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ange datum." in html and "Skriv en rubrik." in html and "Skriv anteckningen." in html
    response = client.post(
        url(arende, "arenden:journal_skriv"),
        {"datum": "2026-04-21", "rubrik": "Sen", "text": "Text"},
    )
    assert response.status_code == 400
    assert "Datumet får inte ligga i framtiden." in response.content.decode()
    assert not Journalanteckning.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_there_is_no_way_to_edit_or_delete(client, cast, arende):
    entry = write(cast, arende)
    login(client, cast["enhetschef"])
    html = client.get(url(arende)).content.decode()
    assert "Ändra" not in html and "Ta bort" not in html
    assert client.delete(url(arende)).status_code == 405
    assert client.post(url(arende), {"rubrik": "x"}).status_code == 405
    other = write(cast, arende)
    # The correcting form never changes the entry's own text.
    client.post(
        url(arende, "arenden:journal_felmarkera", other.pk),
        {"skal": "Fel", "rattelse_text": "Ny text"},
    )
    other.refresh_from_db()
    assert other.text == "Träffade Testa."
    assert Journalanteckning.objects.filter(pk=entry.pk, text="Träffade Testa.").exists()


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("role", AUTHORITY)
def test_authority_roles_read_and_write(client, cast, arende, role):
    write(cast, arende)
    login(client, cast[role])
    html = client.get(url(arende)).content.decode()
    assert "Hembesök" in html
    assert "Ny anteckning" in html and "Markera som felaktig" in html
    response = client.post(
        url(arende, "arenden:journal_skriv"), {"datum": "2026-04-20", "rubrik": "R", "text": "T"}
    )
    assert response.status_code == 302


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("role", NOT_READERS)
def test_provider_staff_and_others_may_not_read_or_write(client, cast, arende, role):
    entry = write(cast, arende)
    login(client, cast[role])
    assert client.get(url(arende)).status_code == 403
    response = client.post(
        url(arende, "arenden:journal_skriv"), {"datum": "2026-04-20", "rubrik": "R", "text": "T"}
    )
    assert response.status_code == 403
    response = client.post(
        url(arende, "arenden:journal_felmarkera", entry.pk), {"skal": "x", "rattelse_text": "y"}
    )
    assert response.status_code == 403
    assert Journalanteckning.objects.count() == 1
    assert not AccessLog.objects.filter(aktor=cast[role], nekad=False).exists()


@time_machine.travel(TODAY, tick=False)
def test_inspector_reads_with_a_stated_reason_and_may_not_write(client, cast, arende):
    entry = write(cast, arende)
    login(client, cast["inspektor"])
    response = client.get(url(arende))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Skäl att läsa journalen" in html and "Hembesök" not in html
    response = client.post(url(arende), {"skal": ""})
    assert response.status_code == 400
    assert "Ange varför du läser journalen." in response.content.decode()
    html = client.post(url(arende), {"skal": "Tillsyn 2026:14"}).content.decode()
    assert "Hembesök" in html
    assert "Ny anteckning" not in html and "Markera som felaktig" not in html
    read = AccessLog.objects.get(aktor=cast["inspektor"])
    assert (read.vy, read.skal) == ("journal", "Tillsyn 2026:14")
    response = client.post(
        url(arende, "arenden:journal_skriv"), {"datum": "2026-04-20", "rubrik": "R", "text": "T"}
    )
    assert response.status_code == 403
    response = client.post(
        url(arende, "arenden:journal_felmarkera", entry.pk), {"skal": "x", "rattelse_text": "y"}
    )
    assert response.status_code == 403
    assert Journalanteckning.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
def test_protected_case_is_not_found_without_a_grant(client, cast, make_case):
    skyddat = make_case([BESLUT], case_id="SKYDD-1", skyddad=True)
    services.behorighet_bevilja(
        actor=cast["forste_socialsekreterare"], arende=skyddat, anvandare=cast["enhetschef"]
    )
    login(client, cast["socialsekreterare"])
    assert client.get(url(skyddat)).status_code == 404
    response = client.post(
        url(skyddat, "arenden:journal_skriv"), {"datum": "2026-04-20", "rubrik": "R", "text": "T"}
    )
    assert response.status_code == 404
    assert login(Client(), cast["inspektor"]).get(url(skyddat)).status_code == 404
    assert login(Client(), cast["enhetschef"]).get(url(skyddat)).status_code == 200
    assert not Journalanteckning.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_an_entry_of_another_case_is_not_found(client, cast, arende, make_case):
    other = make_case([BESLUT], case_id="B-2")
    entry = write(cast, other)
    login(client, cast["socialsekreterare"])
    response = client.post(
        url(arende, "arenden:journal_felmarkera", entry.pk), {"skal": "x", "rattelse_text": "y"}
    )
    assert response.status_code == 404
    entry.refresh_from_db()
    assert not entry.ar_felaktig


@time_machine.travel(TODAY, tick=False)
def test_case_page_links_to_the_journal_for_authority_and_inspector_only(client, cast, arende):
    journal_link = f'href="{url(arende)}"'
    html = login(client, cast["socialsekreterare"]).get(url(arende, "arenden:arende")).content
    assert journal_link in html.decode()
    html = login(Client(), cast["boendestodjare"]).get(url(arende, "arenden:arende")).content
    assert journal_link not in html.decode()


@time_machine.travel(TODAY, tick=False)
def test_query_count_does_not_grow_with_the_entries(client, cast, arende):
    entry = write(cast, arende)
    services.journal_felmarkera(
        actor=cast["socialsekreterare"], anteckning=entry, skal="Fel", rattelse_text="Rätt"
    )
    login(client, cast["socialsekreterare"])
    with CaptureQueriesContext(connection) as few:
        client.get(url(arende))
    for _ in range(5):
        other = write(cast, arende)
        services.journal_felmarkera(
            actor=cast["socialsekreterare"], anteckning=other, skal="Fel", rattelse_text="Rätt"
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url(arende))
    assert len(many) == len(few)
