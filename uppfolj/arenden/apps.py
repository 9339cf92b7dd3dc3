from django.apps import AppConfig


class ArendenConfig(AppConfig):
    name = "uppfolj.arenden"
    verbose_name = "Ärenden"
