from django.apps import AppConfig


class TipsConfig(AppConfig):
    name = "masthead.tips"
    verbose_name = "Tips"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from masthead.tips import checks  # noqa: F401 - registers the system checks
