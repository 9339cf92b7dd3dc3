from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "uppfolj.accounts"
    verbose_name = "Användare och organisation"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from uppfolj.accounts.middleware import stamp_session_at_login

        user_logged_in.connect(stamp_session_at_login, dispatch_uid="uppfolj_session_stamp")
