"""Who sees what of donations: the Finance group (supporters, their e-mail addresses, gifts),
and what Editors get (the Supporters section without e-mail addresses, campaigns, the Support
settings).

`apply_supporter_roles` runs in this app's data migration (with historical models) and again
after `masthead.editorial.roles.apply_roles` in `load_demo`, which resets the Editors' rights.
"""

from django.apps.registry import Apps

from masthead.editorial.roles import permissions

FINANCE = "Finance"
EDITORS = "Editors"

FINANCE_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("supporters", "view_donor"),
    ("supporters", "view_donor_email"),
    ("supporters", "view_gift"),
    ("supporters", "view_recurringdonation"),
]
EDITOR_PERMISSIONS = [
    ("supporters", "view_donor"),
    ("supporters", "add_campaign"),
    ("supporters", "change_campaign"),
    ("supporters", "delete_campaign"),
    ("supporters", "change_supportsettings"),
]


def apply_supporter_roles(apps: Apps) -> None:
    Group = apps.get_model("auth", "Group")
    finance, _created = Group.objects.get_or_create(name=FINANCE)
    finance.permissions.add(*permissions(apps, FINANCE_PERMISSIONS))
    editors, _created = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(*permissions(apps, EDITOR_PERMISSIONS))


def remove_supporter_roles(apps: Apps) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.filter(name=FINANCE).delete()
    editors = Group.objects.filter(name=EDITORS).first()
    if editors is not None:
        for app_label, codename in EDITOR_PERMISSIONS:
            editors.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
