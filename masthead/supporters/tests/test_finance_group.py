"""The Finance group and what Editors may do with donations, as the data migration sets them."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse

from masthead.supporters.roles import apply_supporter_roles, remove_supporter_roles

pytestmark = pytest.mark.django_db


def codenames(group: Group) -> set[str]:
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_finance_sees_supporters_their_addresses_and_gifts():
    finance = Group.objects.get(name="Finance")

    assert codenames(finance) == {
        "wagtailadmin.access_admin",
        "supporters.view_donor",
        "supporters.view_donor_email",
        "supporters.view_gift",
        "supporters.view_recurringdonation",
    }


def test_editors_see_supporters_and_run_campaigns_but_not_addresses():
    editors = codenames(Group.objects.get(name="Editors"))

    assert {
        "supporters.view_donor",
        "supporters.add_campaign",
        "supporters.change_campaign",
        "supporters.delete_campaign",
        "supporters.change_supportsettings",
    } <= editors
    assert "supporters.view_donor_email" not in editors
    assert "newsroom.change_newsroomsettings" in editors  # their editorial rights stay


def test_writers_get_nothing_about_donations():
    writers = codenames(Group.objects.get(name="Writers"))

    assert not {name for name in writers if name.startswith("supporters.")}


def test_editors_can_open_campaigns_and_the_support_settings(client, django_user_model, newsroom):
    editor = django_user_model.objects.create_user(username="editor", password="x")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)

    campaigns = client.get(reverse("wagtailsnippets_supporters_campaign:list"))
    support_settings = client.get(
        reverse("wagtailsettings:edit", args=["supporters", "supportsettings", newsroom.site.pk])
    )

    assert campaigns.status_code == 200
    assert support_settings.status_code == 200


def test_a_finance_member_gets_the_supporters_section(client, django_user_model, newsroom):
    accountant = django_user_model.objects.create_user(username="accountant", password="x")
    accountant.groups.add(Group.objects.get(name="Finance"))
    client.force_login(accountant)

    home = client.get(reverse("wagtailadmin_home"))
    dashboard = client.get(reverse("supporters_dashboard"))

    assert home.status_code == 200 and reverse("supporters_dashboard") in home.content.decode()
    assert dashboard.status_code == 200
    assert "only the Finance group sees them" not in dashboard.content.decode()


def test_the_migration_reverses_and_applies_again():
    remove_supporter_roles(apps)

    assert not Group.objects.filter(name="Finance").exists()
    editors = codenames(Group.objects.get(name="Editors"))
    assert "supporters.view_donor" not in editors
    assert "newsroom.change_newsroomsettings" in editors

    apply_supporter_roles(apps)
    apply_supporter_roles(apps)  # twice changes nothing

    assert Group.objects.filter(name="Finance").count() == 1
    assert len(codenames(Group.objects.get(name="Finance"))) == 5
    assert "supporters.view_donor" in codenames(Group.objects.get(name="Editors"))
