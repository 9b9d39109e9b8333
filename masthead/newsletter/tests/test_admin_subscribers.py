"""The subscriber list in the admin: who may see it (the Newsletter group, not Editors or
Writers), searching and filtering, adding someone by hand, and the CSV export (filters kept,
cells that a spreadsheet would run as formulas defused)."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from masthead.newsletter.models import DAILY, EVERY_ARTICLE, WEEKLY, Subscriber

pytestmark = pytest.mark.django_db

LIST_URL = "newsletter_subscribers:index"


def signed_in(client, django_user_model, group: str):
    user = django_user_model.objects.create_user(username=f"{group.lower()}-user", password="x")
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return user


@pytest.fixture
def people():
    rows = [
        ("ana.ferreira@example.org", "Ana Ferreira", "pt", WEEKLY, Subscriber.SUBSCRIBED, "form"),
        ("bruno@example.org", "Bruno Costa", "pt", DAILY, Subscriber.PENDING, "form"),
        (
            "claire@example.net",
            "Claire Dubois",
            "fr",
            EVERY_ARTICLE,
            Subscriber.SUBSCRIBED,
            "import",
        ),
        ("dieter@example.net", "Dieter Ferreira", "de", WEEKLY, Subscriber.UNSUBSCRIBED, "admin"),
        (
            "=cmd@example.org",
            '=HYPERLINK("http://evil.example")',
            "en",
            WEEKLY,
            "subscribed",
            "form",
        ),
        ("eve@example.org", "+SUM(1,2)", "en", WEEKLY, Subscriber.SUBSCRIBED, "form"),
        ("fay@example.org", "-2+3", "en", WEEKLY, Subscriber.SUBSCRIBED, "form"),
        ("gil@example.org", "@import", "en", WEEKLY, Subscriber.SUBSCRIBED, "form"),
    ]
    return [
        Subscriber.objects.create(
            email=email,
            name=name,
            language=language,
            frequency=frequency,
            status=status,
            source=source,
        )
        for email, name, language, frequency, status, source in rows
    ]


def listed(response) -> set[str]:
    html = response.content.decode()
    return {person.email for person in Subscriber.objects.all() if person.email in html}


@pytest.mark.parametrize("group", ["Writers", "Editors"])
def test_writers_and_editors_cannot_see_who_subscribed(client, django_user_model, people, group):
    signed_in(client, django_user_model, group)

    listing = client.get(reverse(LIST_URL))
    export = client.get(reverse(LIST_URL), {"export": "csv"})
    home = client.get(reverse("wagtailadmin_home")).content.decode()

    assert listing.status_code == 302 and export.status_code == 302
    assert "ana.ferreira@example.org" not in export.content.decode()
    assert reverse(LIST_URL) not in home


def test_editors_get_the_issues_in_their_menu(client, django_user_model):
    signed_in(client, django_user_model, "Editors")

    home = client.get(reverse("wagtailadmin_home")).content.decode()

    assert reverse("wagtailsnippets_newsletter_newsletterissue:list") in home


def test_the_newsletter_group_sees_the_list_and_its_menu(client, django_user_model, people):
    signed_in(client, django_user_model, "Newsletter")

    listing = client.get(reverse(LIST_URL))
    home = client.get(reverse("wagtailadmin_home")).content.decode()

    assert listing.status_code == 200
    assert listed(listing) == {person.email for person in people}
    for url in (reverse(LIST_URL), reverse("newsletter_report"), reverse("newsletter_import")):
        assert url in home


def test_search_by_address_or_name(client, django_user_model, people):
    signed_in(client, django_user_model, "Newsletter")

    by_name = client.get(reverse(LIST_URL), {"q": "ferreira"})
    by_address = client.get(reverse(LIST_URL), {"q": "claire@"})

    assert listed(by_name) == {"ana.ferreira@example.org", "dieter@example.net"}
    assert listed(by_address) == {"claire@example.net"}


def test_filters_by_status_language_frequency_and_source(client, django_user_model, people):
    signed_in(client, django_user_model, "Newsletter")

    portuguese = client.get(reverse(LIST_URL), {"language": "pt"})
    pending = client.get(reverse(LIST_URL), {"status": "pending"})
    every_article = client.get(reverse(LIST_URL), {"frequency": EVERY_ARTICLE})
    added_by_hand = client.get(reverse(LIST_URL), {"source": "admin"})

    assert listed(portuguese) == {"ana.ferreira@example.org", "bruno@example.org"}
    assert listed(pending) == {"bruno@example.org"}
    assert listed(every_article) == {"claire@example.net"}
    assert listed(added_by_hand) == {"dieter@example.net"}


def test_an_editor_of_the_list_adds_someone_who_is_subscribed_at_once(
    client, django_user_model, people
):
    signed_in(client, django_user_model, "Newsletter")
    form = client.get(reverse("newsletter_subscribers:add")).content.decode()

    response = client.post(
        reverse("newsletter_subscribers:add"),
        {
            "email": "  Nina.New@Example.ORG ",
            "name": "Nina New",
            "language": "it",
            "frequency": DAILY,
            "status": Subscriber.SUBSCRIBED,
        },
    )

    assert "you are responsible for their consent" in form
    assert response.status_code == 302
    nina = Subscriber.objects.get(email="nina.new@example.org")
    assert nina.source == Subscriber.ADMIN and nina.is_receiving
    assert nina.confirmed_at is not None and nina.language == "it"


def test_the_same_address_in_other_case_is_refused(client, django_user_model, people):
    signed_in(client, django_user_model, "Newsletter")

    response = client.post(
        reverse("newsletter_subscribers:add"),
        {
            "email": "Claire@Example.NET",
            "language": "fr",
            "frequency": WEEKLY,
            "status": Subscriber.SUBSCRIBED,
        },
    )

    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Subscriber.objects.filter(email="claire@example.net").count() == 1


def test_an_address_with_a_line_break_is_refused(client, django_user_model):
    signed_in(client, django_user_model, "Newsletter")

    response = client.post(
        reverse("newsletter_subscribers:add"),
        {
            "email": "mallory@example.org\nBcc: everyone@example.org",
            "language": "en",
            "frequency": WEEKLY,
            "status": Subscriber.SUBSCRIBED,
        },
    )

    assert response.status_code == 200
    assert not Subscriber.objects.exists()


def exported(client, **filters) -> list[dict[str, str]]:
    response = client.get(reverse(LIST_URL), {"export": "csv", **filters})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "newsletter-subscribers" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_export_has_every_column_and_keeps_the_filters(client, django_user_model, people):
    signed_in(client, django_user_model, "Newsletter")

    portuguese = exported(client, language="pt")

    assert list(portuguese[0]) == [
        "email",
        "name",
        "language",
        "frequency",
        "status",
        "created_at",
        "confirmed_at",
    ]
    assert sorted((row["email"], row["status"]) for row in portuguese) == [
        ("ana.ferreira@example.org", "subscribed"),
        ("bruno@example.org", "pending"),
    ]
    ana = next(row for row in portuguese if row["email"] == "ana.ferreira@example.org")
    assert ana["name"] == "Ana Ferreira" and ana["frequency"] == WEEKLY
    assert ana["created_at"].startswith(str(people[0].created_at.year))


def test_the_export_defuses_spreadsheet_formulas(client, django_user_model, people):
    signed_in(client, django_user_model, "Newsletter")

    rows = {row["email"]: row["name"] for row in exported(client, language="en")}

    assert rows == {
        "'=cmd@example.org": '\'=HYPERLINK("http://evil.example")',
        "eve@example.org": "'+SUM(1,2)",
        "fay@example.org": "'-2+3",
        "gil@example.org": "'@import",
    }


def codenames(group: str) -> set[str]:
    return {
        f"{app_label}.{codename}"
        for app_label, codename in Group.objects.get(name=group).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_the_roles_keep_addresses_to_the_newsletter_group():
    newsletter, editors, writers = (
        codenames("Newsletter"),
        codenames("Editors"),
        codenames("Writers"),
    )

    assert {
        "wagtailadmin.access_admin",
        "newsletter.view_subscriber",
        "newsletter.add_subscriber",
        "newsletter.change_subscriber",
        "newsletter.delete_subscriber",
        "newsletter.import_subscribers",
        "newsletter.send_newsletterissue",
        "newsletter.change_newsletterissue",
    } <= newsletter
    assert {
        "newsletter.add_newsletterissue",
        "newsletter.change_newsletterissue",
        "newsletter.view_newsletterissue",
        "newsletter.send_newsletterissue",
    } <= editors
    assert not {name for name in editors if name.endswith(("subscriber", "subscribers"))}
    assert not {name for name in writers if name.startswith("newsletter.")}


def test_load_demo_applies_the_roles_again(django_user_model):
    from django.apps import apps

    from masthead.editorial.roles import apply_roles
    from masthead.newsletter.roles import apply_newsletter_roles

    apply_roles(apps)  # resets the Editors' rights, as load_demo does first
    apply_newsletter_roles(apps)

    assert "newsletter.send_newsletterissue" in codenames("Editors")
