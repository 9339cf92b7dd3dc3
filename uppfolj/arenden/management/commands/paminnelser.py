"""`uppfolj paminnelser [--datum YYYY-MM-DD] [--dry-run]`: the social workers' daily digest."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.mail import send_mail
from django.core.management.base import CommandParser
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from uppfolj.arenden.selectors import (
    PAMINNELSE_DAGAR,
    bevakningar_gruppera,
    paminnelse_mottagare,
    paminnelser,
)
from uppfolj.arenden.services import local_defaults
from uppfolj.arenden.templatetags.bevakningar import dagar_kvar
from uppfolj.audit.services import access_record
from uppfolj.domain.timeline import TimelineError, parse_date

from ._input import InputCommand, InputError


def digest_date(value: str | None) -> date:
    if value is None:
        return timezone.localdate()
    try:
        return parse_date(value, "--datum")
    except TimelineError as error:
        raise InputError(error.message) from None


def antal_meddelanden(count: int) -> str:
    return f"{count} {'e-postmeddelande' if count == 1 else 'e-postmeddelanden'}"


class Command(InputCommand):
    help = (
        "Skicka varje socialsekreterare med e-postadress ett mejl om försenade bevakningar "
        "och bevakningar som snart förfaller."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--datum", help="dagens datum för utskicket, ÅÅÅÅ-MM-DD (i dag)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="skicka inget, skriv bara ut vilka som skulle få mejl",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = digest_date(options["datum"])
        defaults = local_defaults()
        dry_run = options["dry_run"]
        sent = 0
        for user in paminnelse_mottagare():
            rows = list(paminnelser(user=user, today=today, defaults=defaults))
            if not rows:
                continue
            grupper = bevakningar_gruppera(rows, today, snart_dagar=PAMINNELSE_DAGAR)
            subject, body = self.message(user, grupper, today)
            if dry_run:
                self.stdout.write(f"{user.email}: {len(rows)} bevakningar")
            else:
                send_mail(subject, body, None, [user.email])
                # The e-mail shows these cases to the user: a read (ACC-LOGG).
                access_record(actor=user, arenden=grupper.arende_pks, view="paminnelse_epost")
            sent += 1
        if dry_run:
            self.stdout.write(f"Provkörning: {antal_meddelanden(sent)} skulle ha skickats.")
        else:
            self.stdout.write(f"Skickade {antal_meddelanden(sent)}.")

    def message(self, user: Any, grupper: Any, today: date) -> tuple[str, str]:
        def rad(b: Any) -> dict[str, Any]:
            return {
                "b": b,
                # E-mail is a less safe channel: a protected person is never named (ACC-SKYDDAD).
                "skyddad": b.arende.person.skyddad_identitet,
                "kvar": dagar_kvar(b, today),
                "lank": reverse("arenden:arende", kwargs={"arende_id": b.arende.arende_id}),
            }

        context = {
            "user": user,
            "today": today,
            "snart_dagar": PAMINNELSE_DAGAR,
            "forsenade": [rad(b) for b in grupper.forsenade],
            "snart": [rad(b) for b in grupper.snart],
            "senare": [rad(b) for b in grupper.senare],
        }
        parts = []
        if grupper.forsenade:
            parts.append(f"{len(grupper.forsenade)} försenade")
        if grupper.snart or grupper.senare:
            parts.append(f"{len(grupper.snart) + len(grupper.senare)} som snart förfaller")
        subject = f"Uppfölj: bevakningar {today:%Y-%m-%d} – {' och '.join(parts)}"
        body = render_to_string("arenden/bevakningar_paminnelse.txt", context)
        return subject, body.strip() + "\n"
