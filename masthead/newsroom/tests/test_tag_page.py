"""A tag's page: the published stories with that tag."""

import pytest

pytestmark = pytest.mark.django_db


def test_lists_tagged_stories(client, newsroom):
    section = newsroom.section("Canada")
    writer = newsroom.author("Tag Writer")
    newsroom.article(section, "Port audit", [writer], tags=("ports",))
    newsroom.article(section, "Rail strike", [writer], tags=("labour",))
    newsroom.article(section, "Draft on ports", [writer], tags=("ports",), publish=False)

    html = client.get("/tags/ports/").content.decode()
    assert "Port audit" in html
    assert "Rail strike" not in html
    assert "Draft on ports" not in html


def test_unknown_or_unused_tag_is_not_found(client, newsroom):
    section = newsroom.section("Canada")
    newsroom.article(section, "Only a draft", [], tags=("secret",), publish=False)
    assert client.get("/tags/no-such-tag/").status_code == 404
    assert client.get("/tags/secret/").status_code == 404
