from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "masthead.feeds"
    verbose_name = "Feeds"
    default_auto_field = "django.db.models.BigAutoField"
