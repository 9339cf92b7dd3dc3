"""Provider-side demo data, added through the same services a user would call."""

from __future__ import annotations

from datetime import date, timedelta

from uppfolj.accounts.models import User
from uppfolj.arenden import services
from uppfolj.arenden.demo import make_personnummer
from uppfolj.arenden.models import Arende

from .services.uppdrag import kontaktpersonal_tilldela


def load_provider_demo(today: date) -> None:
    """Give the demo provider contact staff on its cases and one new uppdrag in the inbox."""
    social_worker = User.objects.get(username="socialsekreterare", is_demo=True)
    pedagogue = User.objects.get(username="stodpedagog", is_demo=True)
    staff = [User.objects.get(username="boendestodjare", is_demo=True), pedagogue]
    provider = pedagogue.utforare
    district = social_worker.distrikt
    assert provider is not None and district is not None
    # Contact staff on the provider's running cases (003: at least two per individual).
    running = (
        Arende.objects.filter(utforare=provider, handelser__typ="verkstallt")
        .exclude(handelser__typ="avslut")
        .exclude(person__skyddad_identitet=True)
        .distinct()
    )
    for arende in running:
        started = arende.handelser.filter(typ="verkstallt").order_by("datum").first()
        assert started is not None
        for member in staff:
            kontaktpersonal_tilldela(
                actor=pedagogue, arende=arende, personal=member, fran=started.datum
            )
    # A new case taken from application to uppdrag this week, waiting in the inbox.
    person = services.person_registrera(
        actor=social_worker,
        personnummer=make_personnummer(date(1987, 5, 14), 412, True),
        fornamn="Linnéa",
        efternamn="Ekström",
        kon="kvinna",
        fodd=date(1987, 5, 14),
        adress="Tunnlandsvägen 12",
        postnummer="168 36",
        ort="Bromma",
    )
    arende = services.arende_oppna(
        actor=social_worker,
        person=person,
        insats="boendestod",
        distrikt=district,
        verksamhetsomrade="socialpsykiatri",
    )
    start = today - timedelta(days=6)
    services.ansokan_registrera(
        actor=social_worker,
        arende=arende,
        datum=start,
        sokande="Den enskilde",
        form="skriftlig",
        begard_minuter_per_vecka=180,
    )
    services.utredning_registrera(
        actor=social_worker,
        arende=arende,
        datum=start + timedelta(days=2),
        behov={"hemliv": "Behöver stöd att komma igång med tvätt, städning och inköp."},
        analys="Behovet av boendestöd tre timmar i veckan är styrkt.",
    )
    services.kommunicering_registrera(
        actor=social_worker, arende=arende, datum=start + timedelta(days=3), avbojd=False
    )
    services.beslut_fatta(
        actor=social_worker,
        arende=arende,
        datum=start + timedelta(days=4),
        utfall="bifall",
        fran=start + timedelta(days=4),
        till=None,
        aterkallelseforbehall=False,
        minuter_per_vecka=180,
        motivering="Behovet av stöd i hemlivet är styrkt i utredningen.",
    )
    services.uppdrag_skicka(
        actor=social_worker,
        arende=arende,
        datum=today,
        utforare=provider,
        mal="Klara tvätt, städning och inköp på egen hand.",
        personligt_mal="Att kunna bjuda hem min syster på middag.",
        livsomraden=["hemliv"],
        aktiviteter="Veckoplanering, gemensam tvätt och städning.",
        delmal="Tvättar själv varannan vecka inom tre månader.",
    )
