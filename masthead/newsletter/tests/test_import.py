"""Importing subscribers from CSV: each newsletter service's export layout, messy files (BOM,
Windows-1252, semicolons and tabs, quoted line breaks, blank lines, repeats, bad and malicious
addresses), people who left the previous service or left us, the report's line numbers, running
it twice, the admin's upload page and `manage.py import_subscribers`."""

import io
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from masthead.newsletter import importing
from masthead.newsletter.models import DAILY, WEEKLY, Subscriber

pytestmark = pytest.mark.django_db


def run(text: str | bytes, **options) -> importing.ImportReport:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return importing.import_subscribers(io.BytesIO(data), **options)


def statuses() -> dict[str, str]:
    return dict(Subscriber.objects.values_list("email", "status"))


def lines(outcomes) -> list[tuple[int, str]]:
    return [(outcome.line, outcome.email) for outcome in outcomes]


# --- Each service's layout --------------------------------------------------------------------


def test_mailchimp(settings):
    report = run(
        "Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,CONFIRM_TIME,LANGUAGE\r\n"
        "ana@example.org,Ana,Ferreira,2,2024-05-03 14:22:01,2024-05-03 14:25:10,pt\r\n"
        "Bo@Example.org,Bo,,1,2023-01-10 08:00:00,,fr-FR\r\n"
        "cy@example.org,,,1,,,\r\n"
    )

    ana = Subscriber.objects.get(email="ana@example.org")
    assert len(report.added) == 3 and not report.skipped
    assert ana.name == "Ana Ferreira" and ana.language == "pt" and ana.is_receiving
    assert ana.source == Subscriber.IMPORT
    assert timezone.localtime(ana.created_at).replace(tzinfo=None) == datetime(
        2024, 5, 3, 14, 22, 1
    )
    assert timezone.localtime(ana.confirmed_at).replace(tzinfo=None) == datetime(
        2024, 5, 3, 14, 25, 10
    )
    bo = Subscriber.objects.get(email="bo@example.org")
    assert bo.name == "Bo" and bo.language == "fr" and bo.created_at.year == 2023
    cy = Subscriber.objects.get(email="cy@example.org")
    assert cy.language == settings.LANGUAGE_CODE and cy.name == ""


def test_mailchimp_unsubscribed_and_cleaned_exports():
    run("Email Address,First Name,UNSUB_TIME\nleft@example.org,Lee,2024-02-01 10:00:00\n")
    run("Email Address,First Name,CLEAN_TIME\ngone@example.org,Gus,2024-02-01 10:00:00\n")

    assert statuses() == {
        "left@example.org": Subscriber.UNSUBSCRIBED,
        "gone@example.org": Subscriber.BOUNCING,
    }


def test_substack():
    report = run(
        "email,created_at,active_subscription,email_disabled\n"
        "paid@example.org,2024-03-01T09:30:00.000Z,true,false\n"
        "free@example.org,2024-03-02T09:30:00.000Z,false,false\n"
        "disabled@example.org,2024-03-03T09:30:00.000Z,false,true\n"
    )

    assert statuses() == {
        "paid@example.org": Subscriber.SUBSCRIBED,
        "free@example.org": Subscriber.SUBSCRIBED,  # not paying isn't unsubscribing
        "disabled@example.org": Subscriber.UNSUBSCRIBED,
    }
    assert Subscriber.objects.get(email="free@example.org").created_at == datetime(
        2024, 3, 2, 9, 30, tzinfo=UTC
    )
    assert "never mailed" in report.added[2].reason


def test_ghost():
    run(
        "id,email,name,note,subscribed_to_emails,complimentary_plan,stripe_customer_id,"
        "created_at,deleted_at,labels,tiers\n"
        "1,reader@example.org,Rea Der,,true,false,,2022-11-15T10:00:00.000Z,,,\n"
        "2,quiet@example.org,Qui Et,,false,false,,2022-11-16T10:00:00.000Z,,,\n"
    )

    assert statuses() == {
        "reader@example.org": Subscriber.SUBSCRIBED,
        "quiet@example.org": Subscriber.UNSUBSCRIBED,
    }
    assert Subscriber.objects.get(email="reader@example.org").name == "Rea Der"


def test_buttondown():
    report = run(
        "email,creation_date,subscriber_type,notes,tags\n"
        "reg@example.org,2021-06-01 12:00:00.000000+00:00,regular,,\n"
        "prem@example.org,2021-06-02 12:00:00.000000+00:00,premium,,\n"
        "unsub@example.org,2021-06-03 12:00:00.000000+00:00,unsubscribed,,\n"
        "never@example.org,2021-06-04 12:00:00.000000+00:00,unactivated,,\n"
    )

    assert statuses() == {
        "reg@example.org": Subscriber.SUBSCRIBED,
        "prem@example.org": Subscriber.SUBSCRIBED,
        "unsub@example.org": Subscriber.UNSUBSCRIBED,
    }
    assert lines(report.skipped) == [(5, "never@example.org")]
    assert "never confirmed" in report.skipped[0].reason


def test_kit_convertkit():
    run(
        "first_name,email,created_at,status\n"
        "Kai,kai@example.org,2020-01-05 10:11:12 UTC,active\n"
        "Kim,kim@example.org,2020-01-06 10:11:12 UTC,cancelled\n"
        "Kit,kit@example.org,2020-01-07 10:11:12 UTC,bounced\n"
    )

    assert statuses() == {
        "kai@example.org": Subscriber.SUBSCRIBED,
        "kim@example.org": Subscriber.UNSUBSCRIBED,
        "kit@example.org": Subscriber.BOUNCING,
    }
    assert Subscriber.objects.get(email="kai@example.org").name == "Kai"


def test_mailerlite():
    run(
        "Email,Name,Subscribed,Language\n"
        "mia@example.org,Mia,05/03/2024,Français\n"
        "max@example.org,Max,2024-05-04 08:00:00,German\n"
        "mo@example.org,Mo,1714723200,Klingon\n",
        default_language="es",
    )

    people = {s.email: s for s in Subscriber.objects.all()}
    assert people["mia@example.org"].language == "fr"
    assert (
        people["mia@example.org"].created_at.month,
        people["mia@example.org"].created_at.day,
    ) == (
        5,
        3,
    )  # month first, as US services write it
    assert people["max@example.org"].language == "de"
    assert people["mo@example.org"].language == "es"  # unknown: the default chosen
    assert people["mo@example.org"].created_at.year == 2024  # a Unix timestamp


@pytest.mark.parametrize("header", [True, False])
def test_a_bare_list_of_addresses(header):
    text = ("email\n" if header else "") + "one@example.org\nTWO@example.org\n\nthree@example.org\n"

    report = run(text)

    assert set(statuses()) == {"one@example.org", "two@example.org", "three@example.org"}
    first = 2 if header else 1
    assert lines(report.added) == [
        (first, "one@example.org"),
        (first + 1, "two@example.org"),
        (first + 3, "three@example.org"),  # after the blank line
    ]


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("fr", "fr"),
        ("fr-FR", "fr"),
        ("pt_BR", "pt"),
        ("zh-CN", "zh-hans"),
        ("zh-Hans", "zh-hans"),
        ("French", "fr"),
        ("Français", "fr"),
        ("русский", "ru"),
        ("Spanish", "es"),
        ("ES", "es"),
        ("zh-TW", "en"),
        ("tlh", "en"),
        ("", "en"),
    ],
)
def test_languages_written_every_way(written, code):
    assert importing.language_code(written, default="en") == code


# --- Messy files ------------------------------------------------------------------------------


def test_utf8_with_a_bom_and_semicolons():
    data = "\ufeffE-mail;Name;Language\r\nzoe@example.org;Zoé Ä;de\r\n".encode()

    report = run(data)

    assert report.layout.startswith("columns “E-mail”")
    assert Subscriber.objects.get(email="zoe@example.org").name == "Zoé Ä"


def test_windows_1252_with_tabs():
    data = "Email\tName\nrene@example.org\tRené Müller, Œuvres €\n".encode("cp1252")

    run(data)

    assert Subscriber.objects.get(email="rene@example.org").name == "René Müller, Œuvres €"


def test_quoted_line_breaks_extra_columns_repeats_and_bad_rows():
    text = (
        "Email Address,First Name,Notes,Whatever\n"  # 1
        'ok@example.org,Ola,"a note\nover two lines",x\n'  # 2-3
        "\n"  # 4
        "OK@Example.org,Ola again,,\n"  # 5: the same address
        "not-an-address,Nobody,,\n"  # 6
        '"evil@example.org\nBcc: all@example.org",Mallory,,\n'  # 7-8
        ",No address,,\n"  # 9
        "last@example.org,Last,,,,,extra,cells\n"  # 10
    )

    report = run(text)

    assert lines(report.added) == [(2, "ok@example.org"), (10, "last@example.org")]
    skipped = {outcome.line: outcome.reason for outcome in report.skipped}
    assert skipped[5] == "repeats line 2"
    assert skipped[6] == "not a valid e-mail address"
    assert "header injection" in skipped[7]
    assert skipped[9] == "no e-mail address"
    assert set(statuses()) == {"ok@example.org", "last@example.org"}
    assert Subscriber.objects.get(email="ok@example.org").name == "Ola"


def test_a_file_without_addresses_is_refused_and_changes_nothing():
    with pytest.raises(importing.ImportFileError, match="No column of e-mail addresses"):
        run("Name,City\nAna,Lisbon\n")
    with pytest.raises(importing.ImportFileError, match="empty"):
        run(b"")
    assert not Subscriber.objects.exists()


# --- People already here ----------------------------------------------------------------------


def test_who_unsubscribed_here_stays_unsubscribed_and_pending_ones_are_confirmed():
    Subscriber.objects.create(email="left@example.org", status=Subscriber.UNSUBSCRIBED)
    Subscriber.objects.create(email="waiting@example.org", status=Subscriber.PENDING)
    Subscriber.objects.create(
        email="happy@example.org", name="Hap", status=Subscriber.SUBSCRIBED, language="it"
    )
    Subscriber.objects.create(email="noname@example.org", status=Subscriber.SUBSCRIBED)

    report = run(
        "email,name,language\n"
        "left@example.org,Lef,en\n"
        "waiting@example.org,Wai,en\n"
        "happy@example.org,Someone Else,de\n"
        "noname@example.org,Now Named,en\n"
    )

    assert statuses()["left@example.org"] == Subscriber.UNSUBSCRIBED
    assert statuses()["waiting@example.org"] == Subscriber.SUBSCRIBED
    happy = Subscriber.objects.get(email="happy@example.org")
    assert (happy.name, happy.language) == ("Hap", "it")  # never overwritten
    assert Subscriber.objects.get(email="noname@example.org").name == "Now Named"
    assert lines(report.unchanged) == [(2, "left@example.org"), (4, "happy@example.org")]
    assert "unsubscribed here" in report.unchanged[0].reason
    assert lines(report.updated) == [(3, "waiting@example.org"), (5, "noname@example.org")]


def test_importing_twice_adds_nobody_the_second_time():
    text = "email,name\na@example.org,A\nb@example.org,B\n"

    first = run(text, default_frequency=DAILY)
    second = run(text)

    assert first.summary() == "2 added, 0 updated, 0 unchanged, 0 skipped"
    assert second.summary() == "0 added, 0 updated, 2 unchanged, 0 skipped"
    assert Subscriber.objects.count() == 2
    assert set(Subscriber.objects.values_list("frequency", flat=True)) == {DAILY}


def test_a_dry_run_reports_but_changes_nothing():
    report = run("email\na@example.org\nb@example.org\n", dry_run=True)

    assert len(report.added) == 2 and report.dry_run
    assert not Subscriber.objects.exists()


def test_a_big_file_is_imported_in_chunks(monkeypatch):
    monkeypatch.setattr(importing, "CHUNK_ROWS", 7)
    text = "email\n" + "".join(f"reader{number}@example.org\n" for number in range(50))
    text += "reader3@example.org\n"  # a repeat across chunks

    report = run(text)

    assert Subscriber.objects.count() == 50
    assert lines(report.skipped) == [(52, "reader3@example.org")]


def test_our_own_export_reads_back_with_everyones_status():
    run(
        "email,name,language,frequency,status,created_at,confirmed_at\n"
        "s@example.org,S,fr,weekly,subscribed,2024-01-01T10:00:00+01:00,2024-01-01T10:05:00+01:00\n"
        "u@example.org,U,de,daily,unsubscribed,2024-01-01T10:00:00+01:00,\n"
        "b@example.org,B,it,weekly,bouncing,2024-01-01T10:00:00+01:00,\n"
        "p@example.org,P,es,weekly,pending,2024-01-01T10:00:00+01:00,\n"
    )

    assert statuses() == {
        "s@example.org": Subscriber.SUBSCRIBED,
        "u@example.org": Subscriber.UNSUBSCRIBED,
        "b@example.org": Subscriber.BOUNCING,
    }


# --- The admin's page and the command ---------------------------------------------------------


def signed_in(client, django_user_model, group: str):
    user = django_user_model.objects.create_user(username=f"{group.lower()}-user", password="x")
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)


def upload(client, data: bytes, **fields):
    form = {
        "file": SimpleUploadedFile("export.csv", data, content_type="text/csv"),
        "language": "fr",
        "frequency": WEEKLY,
        "consent": "on",
        **fields,
    }
    return client.post(reverse("newsletter_import"), form)


def test_the_upload_page_imports_and_reports_line_numbers(client, django_user_model):
    signed_in(client, django_user_model, "Newsletter")
    form = client.get(reverse("newsletter_import"))

    response = upload(client, b"Email,Name\nnew@example.org,New\nbroken,Bro\n")

    html = response.content.decode()
    assert form.status_code == 200 and "These people asked to get our newsletter" in (
        form.content.decode()
    )
    assert response.status_code == 200
    assert "1 added, 0 updated, 0 unchanged, 1 skipped" in html
    assert 'data-kind="skipped" data-line="3"' in html
    assert Subscriber.objects.get(email="new@example.org").language == "fr"


def test_the_upload_page_refuses_big_files_and_needs_consent(
    client, django_user_model, monkeypatch
):
    signed_in(client, django_user_model, "Newsletter")
    monkeypatch.setattr(importing, "MAX_UPLOAD_BYTES", 100)

    too_big = upload(client, b"email\n" + b"someone@example.org\n" * 10)
    no_consent = upload(client, b"email\nok@example.org\n", consent="")

    assert "the limit is" in too_big.content.decode()
    assert "This field is required" in no_consent.content.decode()
    assert not Subscriber.objects.exists()


def test_editors_cannot_import(client, django_user_model):
    signed_in(client, django_user_model, "Editors")

    response = upload(client, b"email\nsneaky@example.org\n")

    assert response.status_code == 302
    assert not Subscriber.objects.exists()


def test_the_management_command(tmp_path):
    export = tmp_path / "list.csv"
    export.write_bytes("email;name\nuno@example.org;Uno\nbad;Bad\n".encode("cp1252"))
    out = io.StringIO()

    call_command("import_subscribers", str(export), "--language", "it", "--dry-run", stdout=out)
    dry = out.getvalue()
    call_command("import_subscribers", str(export), "--language", "it", stdout=out)

    assert "Dry run, nothing changed: 1 added, 0 updated, 0 unchanged, 1 skipped" in dry
    assert "skipped: line 3: bad: not a valid e-mail address" in dry
    assert Subscriber.objects.get(email="uno@example.org").language == "it"
    with pytest.raises(CommandError, match="Can't read"):
        call_command("import_subscribers", str(tmp_path / "missing.csv"))
