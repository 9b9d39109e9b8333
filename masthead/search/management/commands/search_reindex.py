"""`manage.py search_reindex`: index every published article again, in every language."""

from django.core.management.base import BaseCommand

from masthead.search.index import rebuild


class Command(BaseCommand):
    help = "Rebuild the reader search index from the published articles."

    def handle(self, *args, **options) -> None:
        count = rebuild()
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} published articles."))
