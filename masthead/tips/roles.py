"""Who may open the tip box in the admin: the "Tips" group (and superusers), nobody else;
not Editors, not Writers. Members see the list, download the encrypted messages, reply, delete,
and manage the newsroom's public keys; every one of those actions is written to the audit log.

`apply_tip_roles` runs in this app's data migration and again in `load_demo`.
"""

from django.apps.registry import Apps

from masthead.editorial.roles import permissions

TIPS = "Tips"

TIPS_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("tips", "view_tip"),
    ("tips", "change_tip"),  # reply
    ("tips", "delete_tip"),
    ("tips", "view_newsroomkey"),
    ("tips", "add_newsroomkey"),
    ("tips", "delete_newsroomkey"),
    ("tips", "view_tipauditentry"),
    ("tips", "change_tipboxsettings"),
]


def apply_tip_roles(apps: Apps) -> None:
    Group = apps.get_model("auth", "Group")
    tips, _created = Group.objects.get_or_create(name=TIPS)
    tips.permissions.add(*permissions(apps, TIPS_PERMISSIONS))


def remove_tip_roles(apps: Apps) -> None:
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=TIPS).delete()
