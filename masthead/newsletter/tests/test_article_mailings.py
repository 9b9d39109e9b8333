"""A story's first publication e-mails the "every article" subscribers once, after the delay,
each in their language where a translation exists (through the real postman and a real SMTP
server)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from wagtail.models import PageViewRestriction, Site

from masthead.newsletter import postman
from masthead.newsletter.models import (
    DAILY,
    EVERY_ARTICLE,
    WEEKLY,
    Mailing,
    NewsletterSettings,
    Subscriber,
)
from masthead.testing.translation import translate_page


@pytest.fixture
def desk(newsroom, settings):
    settings.MASTHEAD_NEWSLETTER_RATE_PER_MINUTE = 0
    newsletter = NewsletterSettings.for_site(Site.objects.get(is_default_site=True))
    newsletter.article_delay_minutes = 20
    newsletter.save()
    return newsroom, newsroom.section("World"), newsroom.author("Ana Ferreira")


def subscribe(email: str, language: str = "en", frequency: str = EVERY_ARTICLE) -> Subscriber:
    return Subscriber.objects.create(
        email=email, language=language, frequency=frequency, status=Subscriber.SUBSCRIBED
    )


def when_the_delay_has_passed() -> None:
    Mailing.objects.filter(status=Mailing.SCHEDULED).update(
        send_after=timezone.now() - timedelta(seconds=1)
    )


def test_a_first_publication_queues_one_mailing_after_the_delay(desk):
    newsroom, section, ana = desk
    before = timezone.now()
    story = newsroom.article(section, "Council votes", [ana])

    mailing = Mailing.objects.get()
    assert mailing.key == f"article:{story.translation_key}"
    assert (mailing.kind, mailing.status, mailing.article_id) == (
        Mailing.ARTICLE,
        Mailing.SCHEDULED,
        story.pk,
    )
    assert before + timedelta(minutes=20) <= mailing.send_after
    assert mailing.send_after <= timezone.now() + timedelta(minutes=20)

    # An edit re-published, a translation published, unpublish and publish again: still one.
    story.title = "Council votes, again"
    story.save_revision().publish()
    translate_page(story, "fr", "de")
    story.unpublish()
    story.refresh_from_db()
    story.save_revision().publish()
    assert Mailing.objects.count() == 1
    assert Mailing.objects.get().send_after == mailing.send_after


def test_nothing_goes_out_before_the_delay_then_every_article_subscribers_get_it(desk, smtp_server):
    newsroom, section, ana = desk
    subscribe("eve@example.org")
    subscribe("daily@example.org", frequency=DAILY)
    subscribe("weekly@example.org", frequency=WEEKLY)
    Subscriber.objects.create(email="pending@example.org", frequency=EVERY_ARTICLE)
    story = newsroom.article(section, "Council votes", [ana], dek="A narrow majority.")

    postman.run_once(time_budget=None)
    assert smtp_server.inbox.mails == []

    when_the_delay_has_passed()
    postman.run_once(time_budget=None)
    postman.run_once(time_budget=None)

    assert [mail.recipients for mail in smtp_server.inbox.mails] == [["eve@example.org"]]
    mail = smtp_server.inbox.mails[0]
    assert mail.subject == "Council votes"
    assert "A narrow majority." in mail.html and "A narrow majority." in mail.text
    assert f"{settings.WAGTAILADMIN_BASE_URL}{story.url}" in mail.text
    assert Mailing.objects.get().status == Mailing.DONE


def test_each_reader_gets_their_language_or_the_original_with_a_note(desk, smtp_server):
    newsroom, section, ana = desk
    subscribe("anne@example.org", language="fr")
    subscribe("hans@example.org", language="de")
    subscribe("eve@example.org", language="en")
    story = newsroom.article(section, "Council votes", [ana])
    translate_page(story, "fr")  # the French translation arrives within the delay

    when_the_delay_has_passed()
    postman.run_once(time_budget=None)

    french = smtp_server.inbox.to("anne@example.org")[0]
    assert french.subject == "[fr] Council votes"
    assert f"{settings.WAGTAILADMIN_BASE_URL}/fr/world/council-votes/" in french.text

    german = smtp_server.inbox.to("hans@example.org")[0]
    assert german.subject == "Council votes"
    with translation.override("de"):
        note = gettext(
            "This story is not yet available %(in_reader_language)s; here it is %(in_original)s."
        ) % {
            "in_reader_language": pgettext("shown in a language", "in German"),
            "in_original": pgettext("shown in a language", "in English"),
        }
    assert note in german.text
    assert f"{settings.WAGTAILADMIN_BASE_URL}/world/council-votes/" in german.text

    english = smtp_server.inbox.to("eve@example.org")[0]
    assert english.subject == "Council votes" and "[fr]" not in english.text
    assert len(smtp_server.inbox.mails) == 3


def test_a_story_withdrawn_or_made_private_before_the_delay_is_not_mailed(desk, smtp_server):
    newsroom, section, ana = desk
    subscribe("eve@example.org")
    withdrawn = newsroom.article(section, "Withdrawn story", [ana])
    withdrawn.unpublish()
    members = newsroom.section("Members")
    hidden = newsroom.article(members, "Members story", [ana])
    PageViewRestriction.objects.create(page=members, restriction_type="login")

    when_the_delay_has_passed()
    postman.run_once(time_budget=None)

    assert smtp_server.inbox.mails == []
    statuses = dict(Mailing.objects.values_list("article_id", "status"))
    assert statuses == {withdrawn.pk: Mailing.EMPTY, hidden.pk: Mailing.EMPTY}


def test_a_story_published_in_a_private_section_queues_nothing(desk):
    newsroom, _section, ana = desk
    members = newsroom.section("Members")
    PageViewRestriction.objects.create(page=members, restriction_type="login")
    newsroom.article(members, "Members story", [ana])
    assert not Mailing.objects.exists()


def test_backdated_stories_are_never_mailed(desk, smtp_server):
    newsroom, section, ana = desk
    subscribe("eve@example.org")
    # Imported with its old date: first published 5 days ago, no mailing at all.
    newsroom.article(section, "Imported story", [ana], timezone.now() - timedelta(days=5))
    assert not Mailing.objects.exists()
    # Published, then backdated (the demo loader does this): its mailing finds nothing to send.
    story = newsroom.article(section, "Demo story", [ana])
    type(story).objects.filter(pk=story.pk).update(
        first_published_at=timezone.now() - timedelta(days=5),
        last_published_at=timezone.now() - timedelta(days=5),
    )

    when_the_delay_has_passed()
    postman.run_once(time_budget=None)

    assert smtp_server.inbox.mails == []
    assert Mailing.objects.get().status == Mailing.EMPTY
