"""Provider-side demo data, added through the same services a user would call."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from uppfolj.accounts.models import User
from uppfolj.arenden import services
from uppfolj.arenden.demo import make_personnummer
from uppfolj.arenden.models import Arende

from .models import Besok, Daganteckning
from .services.anteckningar import daganteckning_skriv
from .services.besok import besok_registrera
from .services.uppdrag import kontaktpersonal_tilldela

# Visit times of the demo's weekly rhythm: (weekday, start hour, length in minutes); the
# last two fall outside office hours (domain/tid.py), as 004 found for some providers.
BESOKSRYTM = ((0, 10, 60), (3, 14, 60), (2, 19, 45), (5, 11, 60))


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
    _besok_och_avbokningar(list(running.order_by("pk")), staff, pedagogue, today)
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


def _besok_och_avbokningar(
    running: list[Arende], staff: list[User], pedagogue: User, today: date
) -> None:
    """Fill the time register of the last six weeks, so the audit's visit figures
    (besök utanför kontorstid, personal per individ) and cancellations have data."""
    for index, arende in enumerate(running[:12]):
        started = arende.handelser.filter(typ="verkstallt").order_by("datum").first()
        assert started is not None
        # Every case gets the two day visits; every third also an evening or weekend one.
        rytm = BESOKSRYTM if index % 3 == 0 else BESOKSRYTM[:2]
        for week in range(6, 0, -1):
            monday = today - timedelta(days=today.weekday() + 7 * week)
            for number, (weekday, hour, minutes) in enumerate(rytm):
                day = monday + timedelta(days=weekday)
                if day < started.datum:
                    continue
                start = timezone.make_aware(datetime.combine(day, time(hour)))
                besok_registrera(
                    actor=pedagogue,
                    arende=arende,
                    personal=staff[(week + number + index) % len(staff)],
                    start=start,
                    slut=start + timedelta(minutes=minutes),
                    plats=Besok.Plats.HEMMA,
                )
        if index % 4 == 1:
            # Three cancellations in a month: 004's routine says the social worker is told.
            for week in (4, 3, 2):
                daganteckning_skriv(
                    actor=pedagogue,
                    arende=arende,
                    datum=today - timedelta(days=7 * week),
                    typ=Daganteckning.Typ.AVBOKNING,
                    text="Den enskilde avbokade besöket samma morgon, mådde inte bra.",
                )
