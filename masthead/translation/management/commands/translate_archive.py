"""Queue machine translation of existing articles (e.g. after an import) for the worker.

Resumable: an article already translated, reviewed or waiting in the queue for a language is
not queued again, so running the command again after an interruption picks up where it
stopped.
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from wagtail.models import Locale

from masthead.translation.languages import reader_locales
from masthead.translation.models import TranslationRecord
from masthead.translation.status import original_articles
from masthead.translation.tasks import queue_translations

DONE_STATES = {
    TranslationRecord.QUEUED,
    TranslationRecord.MACHINE,
    TranslationRecord.REVIEWED,
    TranslationRecord.OUT_OF_DATE,
}


class Command(BaseCommand):
    help = "Queue machine translation of every published original article."

    def add_arguments(self, parser):
        parser.add_argument(
            "--since", help="Only articles first published on or after this date (YYYY-MM-DD)."
        )
        parser.add_argument("--language", help="Only this language (e.g. fr); default: all.")

    def handle(self, *args, since=None, language=None, **options):
        articles = original_articles().live()
        if since:
            try:
                day = datetime.date.fromisoformat(since)
            except ValueError as error:
                raise CommandError(
                    f"--since must be a date like 2024-05-31, not {since!r}."
                ) from error
            start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
            articles = articles.filter(first_published_at__gte=start)
        locales = reader_locales()
        codes = [locale.language_code for locale in locales]
        if language and language not in codes:
            raise CommandError(f"Unknown language {language!r}; choose one of {', '.join(codes)}.")
        if language:
            locales = [locale for locale in locales if locale.language_code == language]

        articles = list(articles)
        total, queued = len(articles), 0
        for number, article in enumerate(articles, start=1):
            wanted = [
                locale
                for locale in locales
                if locale.pk != article.locale_id and not self.done(article, locale)
            ]
            if wanted:
                queue_translations(article, wanted)
                queued += len(wanted)
            self.progress(number, total)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Queued {queued} translation(s) of {total} article(s); the worker does the rest."
            )
        )

    @staticmethod
    def done(article, locale: Locale) -> bool:
        record = TranslationRecord.objects.filter(
            object_id=article.translation_key, locale=locale
        ).first()
        if record is None:
            return article.get_translation_or_none(locale) is not None
        return record.state in DONE_STATES

    def progress(self, number: int, total: int, width: int = 30) -> None:
        filled = width * number // total if total else width
        self.stdout.write(f"\r[{'#' * filled}{'-' * (width - filled)}] {number}/{total}", ending="")
        self.stdout.flush()
