"""What an import did, item by item where it matters, as the command prints it at the end.

Counts per kind (created, updated, unchanged, skipped, failed), then the lists a person has to
read: what failed and why, what was skipped and why, what was changed on the way in (renamed
slugs, scheduled posts made drafts), missing media and unknown shortcodes. Long lists are cut
after `LIST_LIMIT` lines with a count of the rest.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

LIST_LIMIT = 50

KINDS = ["authors", "sections", "tags", "posts", "pages", "images", "redirects"]
OUTCOMES = ["created", "updated", "unchanged", "skipped", "failed"]


@dataclass
class Report:
    site: str = ""
    wxr_version: str = ""
    dry_run: bool = False
    seconds: float = 0.0
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    failures: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    skipped_types: Counter = field(default_factory=Counter)
    notes: list[tuple[str, str]] = field(default_factory=list)
    # Media and blocks Masthead has no place for: kept as links or left out.
    dropped: list[tuple[str, str]] = field(default_factory=list)
    # (address, why, the first items using it, how many more do)
    missing_media: list[tuple[str, str, list[str], int]] = field(default_factory=list)
    unknown_shortcodes: dict[str, list[str]] = field(default_factory=dict)
    file_error: str = ""
    follow_ups: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str, number: int = 1) -> None:
        self.counts[kind][outcome] += number

    def fail(self, kind: str, item: str, message: str) -> None:
        self.count(kind, "failed")
        self.failures.append((item, message))

    def skip(self, kind: str, item: str, reason: str) -> None:
        self.count(kind, "skipped")
        self.skipped.append((item, reason))

    def note(self, item: str, message: str) -> None:
        self.notes.append((item, message))

    def shortcodes(self, item: str, names: list[str]) -> None:
        for name in names:
            self.unknown_shortcodes.setdefault(name, []).append(item)

    def lines(self) -> list[str]:
        title = "Dry run: nothing was written." if self.dry_run else "Import finished."
        lines = [
            f"{title} WordPress site {self.site or '(unnamed)'}, WXR {self.wxr_version or '?'}, "
            f"{self.seconds:.1f} s.",
            "",
        ]
        width = max(len(outcome) for outcome in OUTCOMES)
        lines.append(f"{'':<10}" + "".join(f"{outcome:>{width + 2}}" for outcome in OUTCOMES))
        for kind in KINDS:
            counts = self.counts.get(kind, Counter())
            lines.append(
                f"{kind:<10}" + "".join(f"{counts[outcome]:>{width + 2}}" for outcome in OUTCOMES)
            )
        if self.skipped_types:
            kinds = ", ".join(
                f"{number} {post_type}" for post_type, number in sorted(self.skipped_types.items())
            )
            lines += ["", f"Not imported (types Masthead has no place for): {kinds}."]
        if self.file_error:
            lines += ["", f"The file could not be read to the end: {self.file_error}"]
        sections = [
            ("Failed (nothing of these was written; fix and run again)", self.failures),
            ("Skipped", self.skipped),
            ("Changed on the way in", self.notes),
            ("Kept as a link or left out", self.dropped),
        ]
        for heading, entries in sections:
            if entries:
                lines += ["", f"{heading}: {len(entries)}"]
                lines += _limited([f"  {item}: {message}" for item, message in entries])
        if self.missing_media:
            lines += ["", f"Missing media: {len(self.missing_media)} file(s)"]
            lines += _limited(
                [
                    f"  {url} ({reason}; used by {_used_by(users, more)})"
                    for url, reason, users, more in self.missing_media
                ]
            )
        if self.unknown_shortcodes:
            lines += [
                "",
                f"Unknown shortcodes, kept as text: {len(self.unknown_shortcodes)}",
            ]
            lines += _limited(
                [
                    f"  [{name}] in {len(items)} item(s), e.g. {items[0]}"
                    for name, items in sorted(
                        self.unknown_shortcodes.items(), key=lambda pair: -len(pair[1])
                    )
                ]
            )
        if self.follow_ups:
            lines += ["", *self.follow_ups]
        return lines


def _limited(lines: list[str]) -> list[str]:
    if len(lines) <= LIST_LIMIT:
        return lines
    return [*lines[:LIST_LIMIT], f"  ... and {len(lines) - LIST_LIMIT} more"]


def _used_by(users: list[str], more: int) -> str:
    if not users:
        return "nothing"
    shown = ", ".join(users[:3])
    more += max(len(users) - 3, 0)
    return shown + (f" and {more} more" if more else "")
