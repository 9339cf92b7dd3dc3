from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created

from uppfolj.domain.sortering import registrera_i_sqlite


def svensk_sortering_i_sqlite(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give each SQLite connection the Swedish collation that name columns are stored
    with (PostgreSQL has it from ICU)."""
    if connection.vendor == "sqlite":
        registrera_i_sqlite(connection.connection)


class AccountsConfig(AppConfig):
    name = "uppfolj.accounts"
    verbose_name = "Användare och organisation"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        connection_created.connect(svensk_sortering_i_sqlite, dispatch_uid="uppfolj_sortering")

        from uppfolj.accounts.middleware import stamp_session_at_login

        user_logged_in.connect(stamp_session_at_login, dispatch_uid="uppfolj_session_stamp")
