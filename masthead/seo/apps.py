from django.apps import AppConfig


class SeoConfig(AppConfig):
    name = "masthead.seo"
    verbose_name = "Search engines and sharing"
    default_auto_field = "django.db.models.BigAutoField"
