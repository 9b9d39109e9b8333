"""`manage.py import_subscribers FILE [--language xx] [--frequency f] [--dry-run]`: the admin's
CSV import (see `masthead.newsletter.importing`) from the command line, for big lists."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from masthead.newsletter import importing
from masthead.newsletter.models import FREQUENCIES


class Command(BaseCommand):
    help = (
        "Import newsletter subscribers from a CSV export (Mailchimp, Substack, Ghost, "
        "Buttondown, Kit, MailerLite, or one address per line). They are subscribed at once: "
        "import only people who opted in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CSV file.")
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="For rows without a language of ours (default: %(default)s).",
        )
        parser.add_argument(
            "--frequency",
            default=None,
            choices=[code for code, _label in FREQUENCIES],
            help="How often new subscribers get mail (default: the usual weekly digest).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would happen; change nothing."
        )

    def handle(self, *args, **options) -> None:
        try:
            with open(options["file"], "rb") as file:
                report = importing.import_subscribers(
                    file,
                    default_language=options["language"],
                    default_frequency=options["frequency"],
                    dry_run=options["dry_run"],
                )
        except OSError as error:
            raise CommandError(f"Can't read {options['file']}: {error.strerror}") from error
        except importing.ImportFileError as error:
            raise CommandError(str(error)) from error
        for title, outcomes in report.sections():
            if title in ("Updated", "Skipped") or options["verbosity"] > 1:
                for outcome in outcomes:
                    self.stdout.write(
                        f"{title.lower()}: line {outcome.line}: {outcome.email}: {outcome.reason}"
                    )
        prefix = "Dry run, nothing changed: " if report.dry_run else ""
        self.stdout.write(self.style.SUCCESS(f"{prefix}{report.summary()} (read {report.layout})."))
