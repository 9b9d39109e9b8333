"""Donations in Wagtail: the live supporter count for editor's notes, and the Supporters
section of the admin (dashboard, list, export; see `admin_views.py`), with a panel on the
admin's home page while Stripe isn't configured."""

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component

from masthead.supporters import admin_views, figures, stripe_api


@hooks.register("masthead_supporter_count")
def supporter_count() -> int:
    return figures.supporter_count()


@hooks.register("register_admin_urls")
def register_supporters_urls() -> list:
    return [
        path("supporters/", admin_views.dashboard, name="supporters_dashboard"),
        path("supporters/list/", admin_views.supporter_list, name="supporters_list"),
        path("supporters/<int:donor_id>/", admin_views.supporter_detail, name="supporters_detail"),
        path("supporters/export/gifts.csv", admin_views.export_gifts, name="supporters_export"),
    ]


class SupportersMenuItem(MenuItem):
    """Shown to whoever may see supporters (Editors, Finance)."""

    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(admin_views.VIEW_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_supporters_menu_item() -> MenuItem:
    menu = Menu(
        items=[
            SupportersMenuItem(
                _("Overview"), reverse("supporters_dashboard"), icon_name="view", order=100
            ),
            SupportersMenuItem(
                _("All supporters"), reverse("supporters_list"), icon_name="group", order=200
            ),
        ]
    )
    return SubmenuMenuItem(_("Supporters"), menu, name="supporters", icon_name="group", order=260)


class StripeSetupPanel(Component):
    """On the admin's home page while donations are closed: what is missing, and where to
    read more."""

    name = "supporters_stripe_setup"
    order = 50
    template_name = "supporters/admin/home_panel.html"

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict:
        return {
            "missing": stripe_api.missing_settings(),
            "dashboard_url": reverse("supporters_dashboard"),
        }


@hooks.register("construct_homepage_panels")
def add_stripe_setup_panel(request: HttpRequest, panels: list) -> None:
    if not stripe_api.is_configured() and request.user.has_perm(admin_views.VIEW_PERMISSION):
        panels.append(StripeSetupPanel())
