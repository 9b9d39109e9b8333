from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "masthead.pagecache"
    verbose_name = "Full-page cache"

    def ready(self) -> None:
        from masthead.pagecache import dependencies, invalidation

        dependencies.connect()
        invalidation.connect()
