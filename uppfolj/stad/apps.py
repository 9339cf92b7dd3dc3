from django.apps import AppConfig


class StadConfig(AppConfig):
    """The synthetic city: `uppfolj generate`, for benchmarks and load tests. No models."""

    name = "uppfolj.stad"
    verbose_name = "Syntetisk stad"
