"""`manage.py translation_status`: the engine in use, its models, and which pairs it can do."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from masthead.translation.engines import (
    ENGLISH,
    Engine,
    get_engine,
    language_name,
    masthead_languages,
    pair_name,
)
from masthead.translation.engines.libretranslate import LibreTranslateEngine
from masthead.translation.packages import scan_packages

CELL = 9  # the width of a column of the route table


class Command(BaseCommand):
    help = "Show the machine translation engine, its models, and the language pairs it covers."

    def handle(self, *args, **options):
        engine = get_engine()
        if isinstance(engine, LibreTranslateEngine):
            self._libretranslate(engine)
        else:
            if engine is None:
                self.stdout.write("Engine: none (machine translation is off).")
            else:
                self.stdout.write(
                    f"Engine: argos (models in {settings.MASTHEAD_TRANSLATION_MODELS_DIR})"
                )
            self._argos_packages()
        if engine is not None:
            self._routes(engine)

    def _argos_packages(self) -> None:
        scan = scan_packages()
        self.stdout.write("")
        if scan.packages:
            self.stdout.write(f"Installed models ({len(scan.packages)}):")
            for package in scan.packages:
                pair = pair_name(package.source, package.target)
                self.stdout.write(f"  {pair:<36} {package.label}")
        else:
            self.stdout.write(
                "No models installed. Install some with manage.py translation_install."
            )
        for folder, problem in scan.problems:
            self.stdout.write(self.style.WARNING(f"  Not used: {folder}: {problem}"))
        installed = {(package.source, package.target) for package in scan.packages}
        others = [code for code in masthead_languages() if code != ENGLISH]
        missing = [
            pair
            for code in others
            for pair in ((ENGLISH, code), (code, ENGLISH))
            if pair not in installed
        ]
        self.stdout.write("")
        if missing:
            self.stdout.write(f"Missing English models ({len(missing)} of {2 * len(others)}):")
            for pair in missing:
                self.stdout.write(f"  {pair_name(*pair)}")
        else:
            self.stdout.write("Every language has models to and from English.")

    def _libretranslate(self, engine: LibreTranslateEngine) -> None:
        self.stdout.write(f"Engine: libretranslate (server {engine.url or 'not set'})")
        pairs = engine.pairs()
        self.stdout.write("")
        if pairs is None:
            self.stdout.write(self.style.WARNING(engine.problem()))
            return
        self.stdout.write("The server translates:")
        for source in masthead_languages():
            targets = [code for code in masthead_languages() if code in pairs.get(source, ())]
            names = ", ".join(language_name(target) for target in targets) or "nothing"
            self.stdout.write(f"  {language_name(source)} → {names}")

    def _routes(self, engine: Engine) -> None:
        codes = masthead_languages()
        self.stdout.write("")
        self.stdout.write(
            'Routes (rows: from, columns: into; "direct", "via en" through English, "-" none):'
        )
        self.stdout.write(" " * CELL + "".join(f"{code:<{CELL}}" for code in codes).rstrip())
        counts = {"direct": 0, "via en": 0, "-": 0}
        for source in codes:
            cells = []
            for target in codes:
                if source == target:
                    cells.append("")
                    continue
                route = engine.route(source, target)
                cell = "-" if route is None else "direct" if len(route.hops) == 1 else "via en"
                counts[cell] += 1
                cells.append(cell)
            self.stdout.write(f"{source:<{CELL}}" + "".join(f"{c:<{CELL}}" for c in cells).rstrip())
        self.stdout.write(
            f"{counts['direct']} direct, {counts['via en']} via English, "
            f"{counts['-']} unavailable of {len(codes) * (len(codes) - 1)} pairs."
        )
