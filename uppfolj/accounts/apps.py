from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "uppfolj.accounts"
    verbose_name = "Användare och organisation"
