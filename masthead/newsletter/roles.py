"""Who may do what with newsletters. Subscribers' addresses are personal data: only the
"Newsletter" group (and superusers) sees, edits, imports or exports the list. Editors write
and send issues, and see how many a send reaches, but not who is on the list.

`apply_newsletter_roles` runs in this app's data migration (with historical models) and again
after `masthead.editorial.roles.apply_roles` in `load_demo`, which resets the Editors' rights.
"""

from django.apps.registry import Apps

from masthead.editorial.roles import permissions

NEWSLETTER = "Newsletter"
EDITORS = "Editors"

ISSUE_PERMISSIONS = [
    ("newsletter", "add_newsletterissue"),
    ("newsletter", "change_newsletterissue"),
    ("newsletter", "view_newsletterissue"),
    ("newsletter", "send_newsletterissue"),
]
NEWSLETTER_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("newsletter", "view_subscriber"),
    ("newsletter", "add_subscriber"),
    ("newsletter", "change_subscriber"),
    ("newsletter", "delete_subscriber"),
    ("newsletter", "import_subscribers"),
    *ISSUE_PERMISSIONS,
    ("newsletter", "delete_newsletterissue"),
    ("newsletter", "change_newslettersettings"),
]
EDITOR_PERMISSIONS = ISSUE_PERMISSIONS


def apply_newsletter_roles(apps: Apps) -> None:
    Group = apps.get_model("auth", "Group")
    newsletter, _created = Group.objects.get_or_create(name=NEWSLETTER)
    newsletter.permissions.add(*permissions(apps, NEWSLETTER_PERMISSIONS))
    editors, _created = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(*permissions(apps, EDITOR_PERMISSIONS))


def remove_newsletter_roles(apps: Apps) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.filter(name=NEWSLETTER).delete()
    editors = Group.objects.filter(name=EDITORS).first()
    if editors is not None:
        for app_label, codename in EDITOR_PERMISSIONS:
            editors.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
