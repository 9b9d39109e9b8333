"""Unknown addresses get the designed 404 page; crashes get the plain 500 page."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_unknown_address_gets_the_designed_not_found_page(client, small_newsroom):
    response = client.get("/no/such/story/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We couldn't find that page" in html
    assert "The Test Ledger" in html  # it is the newsroom's page, with its header
    assert 'href="/canada/"' in html


def test_crash_page_is_plain_and_self_contained():
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in html
    assert "<link" not in html and "<script" not in html  # nothing that could fail again
