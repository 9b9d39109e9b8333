"""What is never kept: editors' pages, previews, the editor itself, forms with CSRF tokens,
errors, other methods and arbitrary queries."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_cookie(db) -> str:
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw-12345!")
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def test_a_signed_in_editor_always_gets_a_fresh_private_page(web, small_newsroom, editor_cookie):
    anonymous = web.get("/canada/")
    assert anonymous.cache == "miss"
    for _ in range(2):
        editor = web.get("/canada/", cookie=f"csrftoken=abc; {editor_cookie}")
        assert editor.status == 200
        assert editor.cache == "bypass"
        assert "private" in editor.headers["cache-control"]
    # What the editor saw (Wagtail's user bar and all) never reaches anonymous readers.
    assert web.get("/canada/").body == anonymous.body


def test_the_editor_and_previews_are_never_cached(web, small_newsroom, editor_cookie):
    article = small_newsroom.home.get_children().get(slug="canada").get_children().first()
    assert web.get("/admin/login/").cache == "bypass"
    preview = web.get(f"/admin/pages/{article.pk}/view_draft/", cookie=editor_cookie)
    assert preview.status == 200
    assert preview.cache == "bypass"
    assert web.get(f"/admin/pages/{article.pk}/view_draft/", cookie=editor_cookie).cache == (
        "bypass"
    )


def test_a_page_with_a_csrf_form_is_rendered_for_each_reader(web, support_page, fake_stripe):
    first = web.get(support_page.url)
    assert first.status == 200
    assert 'name="csrfmiddlewaretoken"' in first.text
    second = web.get(support_page.url)
    assert second.cache == "bypass"
    # Each reader gets their own token (and cookie), never someone else's.
    assert "set-cookie" in first.headers or "set-cookie" in second.headers


def test_errors_and_other_methods_are_not_kept(web, small_newsroom):
    assert web.get("/no-such-page/").status == 404
    assert web.get("/no-such-page/").cache == "bypass"
    posted = web.request("POST", "/canada/")
    assert posted.cache == "bypass"


def test_a_reader_with_a_flash_message_gets_a_fresh_page(web, small_newsroom):
    web.get("/")
    assert web.get("/", cookie="messages=abc").cache == "bypass"


def test_turned_off_nothing_is_cached(small_newsroom, settings):
    from masthead.pagecache.wsgi import wrap

    settings.MASTHEAD_PAGE_CACHE = False
    sentinel = object()
    assert wrap(sentinel) is sentinel
