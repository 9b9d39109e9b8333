"""The demo's newsletter: a few dozen fictional subscribers (example.org / example.net addresses,
in several languages and frequencies, spread over the last months so the growth chart shows
something; a few still pending, one unsubscribed) and one draft issue with three demo stories.

Safe to run again: subscribers are matched by address and the issue by subject, and nothing
that exists is changed. Nothing is sent: no mailing is created here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.utils import timezone
from wagtail.models import Page

from masthead.newsletter.models import (
    DAILY,
    EVERY_ARTICLE,
    WEEKLY,
    IssueArticle,
    NewsletterIssue,
    Subscriber,
)

DEMO_ISSUE_SUBJECT = "This week in the newsroom"
DEMO_ISSUE_INTRO = (
    "<p>Hello, and thank you for reading. This week our reporters followed the money, the "
    "water and the vote: three stories we think you shouldn't miss.</p>"
    "<p>Reply to this e-mail to tell us what we should look into next.</p>"
)

# (first name, last name, language): clearly made-up people.
DEMO_PEOPLE = [
    ("Demo", "Reader", "en"),
    ("Ada", "Example", "en"),
    ("Bram", "Sample", "en"),
    ("Cleo", "Placeholder", "en"),
    ("Dev", "Testperson", "en"),
    ("Eli", "Fictional", "en"),
    ("Fay", "Madeup", "en"),
    ("Gus", "Pretend", "en"),
    ("Hana", "Nobody", "en"),
    ("Ivo", "Imaginary", "en"),
    ("Camille", "Exemple", "fr"),
    ("Lucien", "Fictif", "fr"),
    ("Manon", "Essai", "fr"),
    ("Théo", "Démo", "fr"),
    ("Greta", "Beispiel", "de"),
    ("Jonas", "Muster", "de"),
    ("Lena", "Probe", "de"),
    ("Giulia", "Esempio", "it"),
    ("Marco", "Prova", "it"),
    ("Inês", "Exemplo", "pt"),
    ("Tiago", "Teste", "pt"),
    ("Olga", "Primerova", "ru"),
    ("Ivan", "Testov", "ru"),
    ("Lucía", "Ejemplo", "es"),
    ("Mateo", "Prueba", "es"),
    ("Sofía", "Muestra", "es"),
    ("Wei", "Shili", "zh-hans"),
    ("Lin", "Ceshi", "zh-hans"),
    ("Mei", "Yangben", "zh-hans"),
    ("Noor", "Sample", "en"),
    ("Otto", "Dummy", "de"),
    ("Paula", "Ficticia", "es"),
]
FREQUENCY_CYCLE = [WEEKLY, EVERY_ARTICLE, DAILY, WEEKLY, WEEKLY, EVERY_ARTICLE]
PENDING_EVERY = 9  # every ninth person hasn't confirmed yet
UNSUBSCRIBED_INDEX = 5  # and one has left


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def demo_subscribers(now: datetime) -> list[Subscriber]:
    """The demo's subscribers, unsaved: spread over the last ten months, most recent last."""
    people = []
    for index, (first, last, language) in enumerate(DEMO_PEOPLE):
        domain = "example.org" if index % 2 == 0 else "example.net"
        created_at = now - timedelta(days=300 - index * 9, hours=index)
        subscriber = Subscriber(
            email=_ascii(f"{first}.{last}@{domain}".lower()),
            name=f"{first} {last}",
            language=language,
            frequency=FREQUENCY_CYCLE[index % len(FREQUENCY_CYCLE)],
            source=Subscriber.IMPORT if index < 8 else Subscriber.FORM,
            created_at=created_at,
        )
        if index % PENDING_EVERY == PENDING_EVERY - 1:
            subscriber.status = Subscriber.PENDING
        else:
            subscriber.status = Subscriber.SUBSCRIBED
            subscriber.confirmed_at = created_at + timedelta(minutes=7)
        if index == UNSUBSCRIBED_INDEX:
            subscriber.status = Subscriber.UNSUBSCRIBED
            subscriber.unsubscribed_at = now - timedelta(days=40)
        people.append(subscriber)
    return people


def demo_issue(articles: Sequence[Page], now: datetime) -> NewsletterIssue | None:
    """A draft issue with three of the demo's stories, unless it exists already."""
    if NewsletterIssue.objects.filter(subject=DEMO_ISSUE_SUBJECT).exists():
        return None
    stories = [page.specific for page in articles if page.live][:3]
    issue = NewsletterIssue(
        subject=DEMO_ISSUE_SUBJECT, language="en", intro=DEMO_ISSUE_INTRO, created_at=now
    )
    issue.issue_articles = [
        IssueArticle(article=story, sort_order=order) for order, story in enumerate(stories)
    ]
    issue.save()
    return issue


def load_demo_newsletter(articles: Sequence[Page], now: datetime | None = None) -> list[str]:
    """Add what is missing of the demo's newsletter; returns what was added (for the report)."""
    now = now or timezone.now()
    created = []
    people = demo_subscribers(now)
    known = set(
        Subscriber.objects.filter(email__in=[p.email for p in people]).values_list(
            "email", flat=True
        )
    )
    new = [person for person in people if person.email not in known]
    if new:
        Subscriber.objects.bulk_create(new)
        created.append(f"{len(new)} demo newsletter subscribers")
    if demo_issue(articles, now) is not None:
        created.append(f"the draft newsletter issue “{DEMO_ISSUE_SUBJECT}”")
    return created
