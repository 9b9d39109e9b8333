"""Every way a tip can go wrong gets a clear page with the right status, the source's message
kept in the form, and nothing stored: an empty tip, a message too long, too many or too large
files, a busy tip box, a bot, a post from another site, and a GET of the follow-up address."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from masthead.tips import abuse, submissions, views
from masthead.tips.models import Tip, TipMessage

pytestmark = pytest.mark.django_db

SUBMIT = "/tips/"
RETURN = "/tips/return/"
FOLLOW_UP = "/tips/return/message/"
MEGABYTE = 1024 * 1024
KEPT = "Kept words: the contract was signed on 3 May."


def nothing_stored() -> bool:
    return not Tip.objects.exists() and not TipMessage.objects.exists()


def assert_form_back(response, *, problem: str) -> str:
    assert response.status_code == 400
    html = response.content.decode()
    assert problem in html
    assert f">{KEPT}</textarea>" in html
    assert "choose them again" in html
    assert response["Cache-Control"] == "private, no-store"
    return html


def files(*sizes: int) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(f"scan-{n}.jpg", b"\xff" * size) for n, size in enumerate(sizes)]


def test_an_empty_tip_is_refused(client, newsroom, newsroom_key):
    response = client.post(SUBMIT, {"message": "  \r\n ", "remove_hidden_data": "on"})
    assert response.status_code == 400
    assert "Write a message or choose at least one file." in response.content.decode()
    assert nothing_stored()


def test_a_message_over_the_limit_is_refused_and_kept(client, newsroom, newsroom_key, settings):
    settings.MASTHEAD_TIPS_MAX_MESSAGE_CHARS = len(KEPT) - 1
    response = client.post(SUBMIT, {"message": KEPT})
    assert_form_back(response, problem=f"it has {len(KEPT)} characters and the limit is")
    assert nothing_stored()
    # Line breaks count once, as the textarea counts them.
    settings.MASTHEAD_TIPS_MAX_MESSAGE_CHARS = 5
    assert client.post(SUBMIT, {"message": "ab\r\ncd"}).status_code == 200


def test_too_many_files_are_refused(client, newsroom, newsroom_key, settings):
    settings.MASTHEAD_TIPS_MAX_FILES = 2
    response = client.post(SUBMIT, {"message": KEPT, "files": files(10, 10, 10)})
    assert_form_back(response, problem="You chose too many files: send at most 2 with one message.")
    assert nothing_stored()


def test_a_file_over_the_size_limit_is_refused_by_name(client, newsroom, newsroom_key, settings):
    settings.MASTHEAD_TIPS_MAX_FILE_MB = 1
    response = client.post(SUBMIT, {"message": KEPT, "files": files(10, MEGABYTE + 1)})
    assert_form_back(response, problem="“scan-1.jpg” is larger than 1 MB.")
    assert nothing_stored()


def test_files_over_the_total_limit_are_refused(client, newsroom, newsroom_key, settings):
    settings.MASTHEAD_TIPS_MAX_FILE_MB = 1
    settings.MASTHEAD_TIPS_MAX_TOTAL_MB = 1
    response = client.post(SUBMIT, {"message": KEPT, "files": files(600_000, 600_000, 10)})
    assert_form_back(
        response, problem="Your files together are larger than 1 MB (“scan-1.jpg” did not fit)."
    )
    assert nothing_stored()


@pytest.fixture
def frozen_clock(monkeypatch):
    """The abuse counters' clock stopped mid-window, so no minute or hour rolls over."""
    monkeypatch.setattr(abuse.time, "time", lambda: 1_800_000_030.0)


def test_a_busy_tip_box_says_so_and_keeps_the_message(
    client, newsroom, newsroom_key, settings, frozen_clock
):
    settings.MASTHEAD_TIPS_MESSAGES_PER_HOUR = 1
    assert client.post(SUBMIT, {"message": "the first tip this hour"}).status_code == 200
    response = client.post(SUBMIT, {"message": KEPT})
    assert response.status_code == 429
    html = response.content.decode()
    assert "The tip box is busy. Nothing was sent. Please try again in a few minutes." in html
    assert f">{KEPT}</textarea>" in html
    assert TipMessage.objects.count() == 1


def test_too_many_codename_attempts_make_the_box_busy(
    client, newsroom, newsroom_key, settings, frozen_clock
):
    settings.MASTHEAD_TIPS_SIGNINS_PER_MINUTE = 2
    new = submissions.open_tip("hello", [])
    for _ in range(2):
        assert client.post(RETURN, {"codename": "wrong words"}).status_code == 400
    response = client.post(RETURN, {"codename": new.codename})  # right, but one too many
    assert response.status_code == 429
    assert "The tip box is busy" in response.content.decode()


def test_a_follow_up_with_a_problem_keeps_its_message_and_token(
    client, newsroom, newsroom_key, settings
):
    new = submissions.open_tip("hello", [])
    token = views.follow_up_token(new.tip)
    settings.MASTHEAD_TIPS_MAX_FILE_MB = 1
    response = client.post(
        FOLLOW_UP, {"token": token, "message": KEPT, "files": files(MEGABYTE + 1)}
    )
    html = assert_form_back(response, problem="is larger than 1 MB")
    assert f'name="token" value="{token}"' in html
    assert new.tip.messages.count() == 1
    response = client.post(FOLLOW_UP, {"token": token, "message": ""})
    assert response.status_code == 400
    assert "Write a message or choose at least one file." in response.content.decode()
    assert new.tip.messages.count() == 1


def test_a_bot_filling_the_honeypot_sees_success_but_nothing_is_stored(
    client, newsroom, newsroom_key
):
    html = client.get(SUBMIT).content.decode()
    assert (
        '<p class="tip-trap" aria-hidden="true"><label for="tip-website">Leave this field empty'
        in (html)
    )
    response = client.post(SUBMIT, {"message": "buy pills", "website": "http://spam.example"})
    assert response.status_code == 200
    assert 'class="tip-codename"' in response.content.decode()
    assert nothing_stored()


@pytest.mark.parametrize("path", [SUBMIT, RETURN, FOLLOW_UP])
@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "https://www.example.org"},
    ],
)
def test_a_post_from_another_site_is_refused(client, newsroom, newsroom_key, path, headers):
    new = submissions.open_tip("hello", [])
    data = {"message": "forged", "codename": new.codename, "token": views.follow_up_token(new.tip)}
    response = client.post(path, data, **headers)
    assert response.status_code == 403
    assert "This request came from another website, so we ignored it." in (
        response.content.decode()
    )
    assert response["Content-Security-Policy"] == views.TIP_PAGE_POLICY
    assert TipMessage.objects.count() == 1


def test_our_own_pages_posts_get_through(client, newsroom, newsroom_key):
    for headers in (
        {"HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_ORIGIN": "http://testserver"},
        {},
    ):
        assert client.post(SUBMIT, {"message": "ours"}, **headers).status_code == 200


def test_the_follow_up_address_only_takes_posts(client, newsroom, newsroom_key):
    response = client.get(FOLLOW_UP)
    assert response.status_code == 405
    assert response["Cache-Control"] == "private, no-store"
    assert response.cookies == {}


@pytest.fixture
def temporary_upload_files(monkeypatch) -> list[str]:
    """Records every upload Django would have written to a temporary file on disk."""
    from django.core.files.uploadhandler import TemporaryFileUploadHandler

    spooled: list[str] = []
    original = TemporaryFileUploadHandler.new_file

    def new_file(self, field_name, file_name, *args, **kwargs):
        spooled.append(file_name)
        return original(self, field_name, file_name, *args, **kwargs)

    monkeypatch.setattr(TemporaryFileUploadHandler, "new_file", new_file)
    return spooled


def test_a_large_file_never_reaches_a_temporary_file(
    client, newsroom, newsroom_key, temporary_upload_files
):
    # Past Django's 2.5 MB in-memory threshold, where it would spool to /tmp by default.
    big = SimpleUploadedFile("ledger.pdf", b"%PDF-1.4 " + b"x" * (3 * MEGABYTE))
    response = client.post(SUBMIT, {"message": KEPT, "files": [big]})
    assert response.status_code == 200
    assert TipMessage.objects.get().file_count == 1
    assert temporary_upload_files == []


def test_a_post_to_an_unknown_tip_address_spools_nothing_either(
    newsroom, newsroom_key, temporary_upload_files
):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.cookies["csrftoken"] = "x" * 32  # the CSRF check of other pages reads the body
    big = SimpleUploadedFile("ledger.pdf", b"%PDF-1.4 " + b"x" * (3 * MEGABYTE))
    response = browser.post("/tips/no-such-page/", {"files": [big]})
    assert response.status_code in (403, 404, 405)
    assert temporary_upload_files == []
    assert nothing_stored()
