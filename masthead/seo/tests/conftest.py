"""A section and an author that the structured-data, social-card and canonical tests share."""

import pytest


@pytest.fixture
def harbour(newsroom):
    return newsroom.section("Harbour", intro="Ports, ships and the people who work them.")


@pytest.fixture
def rosa(newsroom):
    return newsroom.author("Rosa Quill", role="Ports reporter", bio="<p>Rosa covers ports.</p>")
