from django.apps import AppConfig


class GranskningConfig(AppConfig):
    name = "uppfolj.granskning"
    verbose_name = "Granskning"
