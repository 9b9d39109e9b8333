from django.apps import AppConfig


class RelatedConfig(AppConfig):
    name = "masthead.related"
    verbose_name = "Related articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from masthead.related import signals

        signals.connect()
