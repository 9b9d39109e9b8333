"""`manage.py import_wordpress export.xml [--media-dir DIR] [--fetch-media] [--dry-run]`."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from masthead.wordpress.importer import ImportOptions, import_wordpress
from masthead.wordpress.wxr import WxrError


class ProgressBar:
    """`[#####-----] 1,234 / 20,000 posts and pages  412/s` on one line redrawn in a terminal;
    elsewhere (a log file, CI) a line at every tenth of the way."""

    WIDTH = 30

    def __init__(self, out: TextIO, *, enabled: bool = True) -> None:
        self.out = out
        self.enabled = enabled
        self.terminal = hasattr(out, "isatty") and out.isatty()
        self.started = time.perf_counter()
        self.last_drawn = 0.0
        self.last_tenth = -1
        self.drawn = False

    def update(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        now = time.perf_counter()
        if self.terminal:
            if now - self.last_drawn < 0.1 and done < total:
                return
            self.last_drawn = now
            self.out.write("\r" + self.line(done, total, now))
            self.drawn = True
        else:
            tenth = done * 10 // total
            if tenth != self.last_tenth:
                self.last_tenth = tenth
                self.out.write(self.line(done, total, now) + "\n")
        self.out.flush()

    def line(self, done: int, total: int, now: float) -> str:
        filled = self.WIDTH * done // total
        rate = done / max(now - self.started, 1e-6)
        return (
            f"[{'#' * filled}{'-' * (self.WIDTH - filled)}] "
            f"{done:,} / {total:,} posts and pages  {rate:,.0f}/s"
        )

    def finish(self) -> None:
        if self.drawn:
            self.out.write("\n")
            self.out.flush()


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools → Export → All content, a WXR file): authors, "
        "categories as sections, tags, posts as articles, pages, their images, and redirects "
        "from the old addresses. Running it again updates what changed and copies nothing "
        "twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("export", type=Path, help="The WXR file WordPress exported.")
        parser.add_argument(
            "--media-dir",
            type=Path,
            help="A copy of the old site's wp-content/uploads folder, where images are found.",
        )
        parser.add_argument(
            "--fetch-media",
            action="store_true",
            help="Download images the media folder lacks from the old site (off by default: "
            "nothing is fetched otherwise).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read everything and print the report, but write nothing.",
        )
        parser.add_argument(
            "--language",
            default="",
            help="The language code the content is in (default: the site's main language).",
        )

    def handle(self, *args, **options) -> None:
        export: Path = options["export"]
        if not export.is_file():
            raise CommandError(f"There is no file {export}.")
        media_dir = options["media_dir"]
        if media_dir is not None and not media_dir.is_dir():
            raise CommandError(f"The media folder {media_dir} does not exist.")
        progress = ProgressBar(self.stderr._out, enabled=options["verbosity"] > 0)
        chosen = ImportOptions(
            path=export,
            media_dir=media_dir,
            fetch_media=options["fetch_media"],
            dry_run=options["dry_run"],
            language=options["language"],
        )
        try:
            report = import_wordpress(chosen, progress=progress.update)
        except WxrError as error:
            progress.finish()
            raise CommandError(str(error)) from error
        progress.finish()
        for line in report.lines():
            self.stdout.write(line)
        if report.failures:
            raise CommandError(
                f"{len(report.failures)} item(s) could not be imported: see the report above."
            )
        if report.file_error:
            raise CommandError("The file could not be read to the end: see the report above.")
