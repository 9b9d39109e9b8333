from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "masthead.newsroom"
    label = "newsroom"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        from masthead.newsroom import tasks

        tasks.connect()
