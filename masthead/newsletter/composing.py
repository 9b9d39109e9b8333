"""What each mailing says, in one language: the subject and the body (HTML with inline styles,
and plain text) of a new story, a digest, or an editor's issue.

The body here is the *inside* of the e-mail; `masthead.newsletter.messages` wraps it in the
layout every newsletter shares (outlet name, postal address, unsubscribe and preferences links)
and adds the headers. The postman composes each mailing once per language, not per subscriber.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import strip_tags

from masthead.newsletter.models import Mailing


@dataclass(frozen=True)
class Composed:
    """A mailing's content in one language."""

    subject: str
    html: str  # the body's HTML (inline styles; no <html>/<body>: the layout adds those)
    text: str  # the same as plain text
    language: str  # the language it is actually written in (may differ from the one asked for)


def compose(mailing: Mailing, language: str) -> Composed | None:
    """`mailing`'s content for subscribers reading `language`, or None when there is nothing
    to send (a digest of a quiet period, a story since unpublished)."""
    if mailing.kind == Mailing.ISSUE and mailing.issue is not None:
        return _compose_issue(mailing, language)
    return None


def _compose_issue(mailing: Mailing, language: str) -> Composed:
    issue = mailing.issue
    return Composed(
        subject=issue.subject,
        html=f"<div>{issue.intro}</div>",
        text=strip_tags(issue.intro),
        language=issue.language,
    )
