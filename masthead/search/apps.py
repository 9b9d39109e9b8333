from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "masthead.search"
    verbose_name = "Search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from masthead.search.index import connect_signals

        connect_signals()
