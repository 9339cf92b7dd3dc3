from django.apps import AppConfig


class UtforareConfig(AppConfig):
    name = "uppfolj.utforare"
    verbose_name = "Utförare"
