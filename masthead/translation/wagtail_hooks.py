"""The translation pieces of the admin: the status view, its menu item, the bulk action."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from masthead.translation import views
from masthead.translation.bulk_actions import TranslateBulkAction


@hooks.register("register_admin_urls")
def register_status_url():
    return [path("translations/", views.translation_status, name="translation_status")]


@hooks.register("register_admin_menu_item")
def register_status_menu_item():
    return MenuItem(_("Translations"), reverse("translation_status"), icon_name="globe", order=250)


hooks.register("register_bulk_action", TranslateBulkAction)
