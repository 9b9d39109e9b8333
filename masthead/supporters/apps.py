from django.apps import AppConfig


class SupportersConfig(AppConfig):
    name = "masthead.supporters"
    verbose_name = "Supporters"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from masthead.supporters import signals

        signals.connect()
