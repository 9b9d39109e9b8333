from django.apps import AppConfig


class TranslationConfig(AppConfig):
    name = "masthead.translation"
    verbose_name = "Translation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from masthead.translation import signals

        signals.connect()
