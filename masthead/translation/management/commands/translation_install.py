"""`manage.py translation_install PATH.argosmodel [PATH ...]`: install Argos Translate models."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from masthead.translation.engines import pair_name, reset_engine
from masthead.translation.packages import PackageError, install_package


class Command(BaseCommand):
    help = (
        "Install Argos Translate model packages (.argosmodel files) for machine translation. "
        "A package replaces the one installed for the same pair of languages."
    )

    def add_arguments(self, parser):
        parser.add_argument("archives", nargs="+", type=Path, metavar="PATH")

    def handle(self, *args, archives: list[Path], **options):
        errors = []
        for archive in archives:
            try:
                package = install_package(archive)
            except PackageError as error:
                errors.append(f"{archive}: {error}")
                continue
            self.stdout.write(
                self.style.SUCCESS(
                    f"Installed {pair_name(package.source, package.target)} "
                    f"({package.name}, version {package.version or 'unknown'})"
                )
            )
        reset_engine()
        if settings.MASTHEAD_TRANSLATION_ENGINE != "argos" and len(errors) < len(archives):
            self.stdout.write(
                f"Note: MASTHEAD_TRANSLATION_ENGINE is {settings.MASTHEAD_TRANSLATION_ENGINE!r}; "
                "installed models are used when it is 'argos'."
            )
        if errors:
            raise CommandError("Not installed:\n" + "\n".join(errors))
