from django.apps import AppConfig


class TipsConfig(AppConfig):
    name = "masthead.tips"
    verbose_name = "Tips"
    default_auto_field = "django.db.models.BigAutoField"
