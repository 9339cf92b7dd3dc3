"""`uppfolj demo`: load the demo district on an empty database and list the demo users."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from uppfolj.arenden.demo import DEMO_PASSWORD, load_demo
from uppfolj.utforare.demo import load_provider_demo


class Command(BaseCommand):
    help = "Läs in demodata (användare och ärenden) om databasen saknar ärenden."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.UPPFOLJ_ALLOW_DEMO_LOGIN:
            raise CommandError("Demodata läses inte in i produktion (UPPFOLJ_ENV=production).")
        today = timezone.localdate()
        with transaction.atomic():
            users = load_demo(today)
            if users:
                load_provider_demo(today)
        if not users:
            self.stdout.write("Databasen har redan ärenden; demodata lästes inte in.")
            return
        self.stdout.write("Demodata inläst. Logga in på http://127.0.0.1:8000 som:")
        for user in users:
            self.stdout.write(f"  {user.username:<26} lösenord: {DEMO_PASSWORD}")
