"""The tip box in the Wagtail admin: the "Tips" menu (tips, audit log, keys), shown only to the
Tips group and superusers, and its addresses under /admin/tips/ (namespace `tips_admin`).

The views are in `admin_views.py`; each one checks its own permission and answers 403 to
everyone else. The tip box's settings (SecureDrop address, …) are a Wagtail site setting,
registered in `models.py`, that only the Tips group may change.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from masthead.tips import admin_views

app_name = "tips_admin"

urlpatterns = [
    path("", admin_views.tip_index, name="index"),
    path("<int:tip_id>/", admin_views.tip_detail, name="detail"),
    path(
        "<int:tip_id>/messages/<int:number>/",
        admin_views.download_message,
        name="download_message",
    ),
    path("<int:tip_id>/replies/<int:number>/", admin_views.download_reply, name="download_reply"),
    path("<int:tip_id>/download/", admin_views.download_all, name="download_all"),
    path("<int:tip_id>/reply/", admin_views.tip_reply, name="reply"),
    path("<int:tip_id>/delete/", admin_views.tip_delete, name="delete"),
    path("audit/", admin_views.audit_log, name="audit"),
    path("keys/", admin_views.keys, name="keys"),
    path("keys/<int:key_id>/delete/", admin_views.key_delete, name="key_delete"),
    path("keys/test-tip/", admin_views.test_tip, name="test_tip"),
]


@hooks.register("register_admin_urls")
def register_tips_urls() -> list:
    return [path("tips/", include((urlpatterns, app_name), namespace=app_name))]


class TipsMenuItem(MenuItem):
    """Shown to whoever has `permission` (the Tips group has them all)."""

    def __init__(self, *args, permission: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(self.permission)


class TipsSubmenuMenuItem(SubmenuMenuItem):
    """The "Tips" menu: not even its title is shown to anyone outside the Tips group."""

    def is_shown(self, request: HttpRequest) -> bool:
        return any(request.user.has_perm(name) for name in admin_views.TIPS_PERMISSIONS)


@hooks.register("register_admin_menu_item")
def register_tips_menu_item() -> MenuItem:
    menu = Menu(
        items=[
            TipsMenuItem(
                "Tips",
                reverse("tips_admin:index"),
                name="tips-list",
                icon_name="lock",
                order=100,
                permission=admin_views.VIEW_TIPS,
            ),
            TipsMenuItem(
                "Keys",
                reverse("tips_admin:keys"),
                name="tips-keys",
                icon_name="key",
                order=200,
                permission=admin_views.VIEW_KEYS,
            ),
            TipsMenuItem(
                "Audit log",
                reverse("tips_admin:audit"),
                name="tips-audit",
                icon_name="history",
                order=300,
                permission=admin_views.VIEW_AUDIT,
            ),
        ]
    )
    return TipsSubmenuMenuItem("Tips", menu, name="tips", icon_name="lock", order=280)
