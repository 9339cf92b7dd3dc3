from django.apps import AppConfig


class UppfoljningConfig(AppConfig):
    name = "uppfolj.uppfoljning"
    verbose_name = "Uppföljning och stödnivåer"
