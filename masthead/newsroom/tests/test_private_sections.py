"""A section or story behind a view restriction (a password, signed-in readers only) is left
out of every public list: the navigation, the front page, sections, authors and tags."""

import pytest
from wagtail.models import PageViewRestriction

from masthead.newsroom.models import Author

pytestmark = pytest.mark.django_db


def restrict(page) -> None:
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )


def test_private_sections_and_stories_stay_out_of_public_lists(client, small_newsroom):
    ana = Author.objects.get(slug="ana-ferreira")
    canada = small_newsroom.home.get_children().get(slug="canada").specific
    members = small_newsroom.section("Members")
    small_newsroom.article(members, "Members briefing", [ana], tags=("ports",))
    small_newsroom.article(canada, "Locked scoop", [ana], tags=("ports",))
    small_newsroom.article(canada, "Open story", [ana], tags=("ports",))
    restrict(members)
    restrict(canada.get_children().get(slug="locked-scoop"))

    for path in ("/", "/canada/", "/authors/ana-ferreira/", "/tags/ports/"):
        page = client.get(path).content.decode()
        assert "Open story" in page, path
        assert "Members briefing" not in page, path
        assert "Locked scoop" not in page, path
    front = client.get("/").content.decode()
    assert 'href="/canada/"' in front
    assert 'href="/members/"' not in front
