"""A source sends a tip: the page's advice comes first, the codename is shown once, and what the
database holds is ciphertext that only the newsroom's private key opens, to the same bytes."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from masthead.tips import codenames
from masthead.tips.models import Tip, TipBoxSettings, TipMessage
from masthead.tips.views import TIP_PAGE_POLICY

pytestmark = pytest.mark.django_db

SUBMIT = "/tips/"
ONION = "examplenewsabcdefghijklmnopqrstuvwxyz234567examplenewsabcd.onion"
CODENAME = re.compile(r'<p class="tip-codename" lang="en">([a-z -]+)</p>')


def codename_on(response) -> str:
    return CODENAME.search(response.content.decode()).group(1)


def assert_tip_headers(response, *, indexable: bool = False) -> None:
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "strict-origin"
    assert response["Content-Security-Policy"] == TIP_PAGE_POLICY
    assert ("X-Robots-Tag" in response) is not indexable
    if not indexable:
        assert response["X-Robots-Tag"] == "noindex"
    assert "Set-Cookie" not in response
    assert response.cookies == {}


@pytest.fixture
def securedrop(newsroom):
    settings = TipBoxSettings.for_site(newsroom.site)
    settings.securedrop_address = ONION
    settings.signal_contact = "tipsdesk.42"
    settings.save()
    return settings


def test_the_page_gives_the_advice_first_then_the_form(client, newsroom, newsroom_key, securedrop):
    for prefix in ("", "/fr", "/zh-hans"):
        response = client.get(f"{prefix}{SUBMIT}")
        assert response.status_code == 200
        assert_tip_headers(response, indexable=True)
    response = client.get(SUBMIT)
    html = response.content.decode()
    advice = html.index("What this tip box protects")
    assert advice < html.index("What it does not protect") < html.index('<form class="tip-form"')
    assert "encrypted to our newsroom's key before they are stored" in html
    assert "not a high-security whistleblowing system" in html
    assert "Never use a work computer or phone" in html
    # The onion address is text to copy, never a link.
    assert f'<code class="tip-address">{ONION}</code>' in html
    assert f'href="{ONION}' not in html and f"http://{ONION}" not in html
    assert "tipsdesk.42" in html
    # The form: the message first, several files with their limits, scrubbing on by default.
    form = html[html.index('<form class="tip-form"') :]
    assert form.index('name="message"') < form.index('name="files"')
    assert 'enctype="multipart/form-data"' in form
    assert '<input type="file" name="files" id="tip-files" multiple' in form
    assert "Up to 10 files, each at most 25 MB and 50 MB together." in form
    assert 'name="remove_hidden_data" id="tip-scrub" aria-describedby="tip-scrub-hint" checked' in (
        form
    )
    assert "Remove hidden data from my files (recommended)" in form
    assert "<script" not in html.replace('<script type="application/ld+json">', "")


def test_without_securedrop_the_page_sends_people_in_danger_to_tor_browser(
    client, newsroom, newsroom_key
):
    html = client.get(SUBMIT).content.decode()
    assert "Open this page in Tor Browser" in html
    assert '<code class="tip-address">http://testserver/tips/</code>' in html
    assert "SecureDrop" not in html


def test_the_footer_of_reader_pages_links_to_the_tip_page(client, small_newsroom):
    html = client.get("/fr/newsletter/").content.decode()
    assert '<a href="/fr/tips/">' in html


def test_a_tip_round_trip_stores_only_ciphertext_that_the_newsroom_key_opens(
    client, newsroom, newsroom_key, securedrop
):
    marker = "MARKER-7f3a9c-the-minister-signed"
    document = b"%PDF-1.4 pretend document " + marker.encode() + b"\x00\xff\x10"
    response = client.post(
        SUBMIT,
        {
            "message": f"{marker}\r\nsecond line",
            "files": [SimpleUploadedFile("minutes.pdf", document, "application/pdf")],
            "website": "",
            # "remove_hidden_data" left out: the source unticked it.
        },
    )
    assert response.status_code == 200
    assert_tip_headers(response)
    codename = codename_on(response)
    assert len(codename.split(" ")) == 7
    assert all(word in codenames.words() for word in codename.split(" "))
    html = response.content.decode()
    assert "the only way to come back" in html
    assert "we cannot recover it" in html
    assert '<a href="/tips/return/">' in html
    assert "sent as they were" not in html  # nothing was asked to be scrubbed

    stored = TipMessage.objects.get()
    ciphertext = bytes(stored.ciphertext)
    assert marker.encode() not in ciphertext
    assert codename.encode() not in ciphertext
    bundle = newsroom_key.open_bundle(ciphertext)
    assert bundle["message.txt"] == f"{marker}\nsecond line".encode()
    assert bundle["files/minutes.pdf"] == document  # the original, untouched
    assert "files/minutes.pdf: original" in bundle["about.txt"].decode()
    assert stored.file_count == 1
    # The codename is not stored; only a hash finds the tip again.
    tip = Tip.objects.get()
    assert codenames.derive(codename).lookup == tip.lookup


def test_files_the_source_wants_scrubbed_go_through_scrubbing(client, newsroom, newsroom_key):
    from masthead.tips import scrubbing

    def not_possible(attachment, time_limit=None):
        attachment.treatment = "not scrubbed"
        attachment.note = "no cleaner for this kind of file"
        return attachment

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scrubbing, "scrub", not_possible)
        response = client.post(
            SUBMIT,
            {
                "message": "",
                "files": [SimpleUploadedFile("notes.odt", b"ODT bytes")],
                "remove_hidden_data": "on",
            },
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert "so they were sent as they were" in html
    assert "<li>notes.odt</li>" in html
    (message,) = TipMessage.objects.all()
    assert (
        "files/notes.odt: not scrubbed"
        in newsroom_key.open_bundle(message.ciphertext)["about.txt"].decode()
    )


def test_a_closed_tip_box_shows_no_form_and_accepts_nothing(client, newsroom, no_newsroom_key):
    response = client.get(SUBMIT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The tip box is closed for now" in html
    assert "<textarea" not in html and 'name="files"' not in html
    response = client.post(SUBMIT, {"message": "hello", "remove_hidden_data": "on"})
    assert response.status_code == 503
    assert_tip_headers(response)
    assert "The tip box is closed" in response.content.decode()
    assert not Tip.objects.exists() and not TipMessage.objects.exists()


def test_no_tip_box_answer_sets_a_cookie(client, newsroom, newsroom_key):
    responses = [
        client.get(SUBMIT),
        client.post(SUBMIT, {"message": "a tip", "remove_hidden_data": "on"}),
        client.post(SUBMIT, {"message": ""}),
        client.get("/tips/return/"),
        client.post("/tips/return/", {"codename": "not it"}),
    ]
    for response in responses:
        assert "Set-Cookie" not in response
        assert response.cookies == {}
    assert client.cookies == {}
