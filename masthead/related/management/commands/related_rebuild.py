"""`manage.py related_rebuild [--locale CODE]`: recompute every live article's related list."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale

from masthead.related.compute import rebuild


class Command(BaseCommand):
    help = "Recompute the stored 'More Articles' list of every live article."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--locale", help="Only this language code (e.g. fr).")

    def handle(self, *args, locale: str | None = None, **options) -> None:
        if locale and not Locale.objects.filter(language_code=locale).exists():
            raise CommandError(f"No locale {locale!r}.")
        count = rebuild(locale)
        self.stdout.write(f"Recomputed the related articles of {count} article(s).")
