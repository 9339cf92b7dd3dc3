from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "uppfolj.audit"
    verbose_name = "Logg"
