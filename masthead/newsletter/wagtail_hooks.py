"""Newsletters in the Wagtail admin: the "Newsletter" menu (issues, subscribers, counts and
growth, import), the issues' snippet viewset (with the e-mail's live preview and a link to each
issue's send page) and the subscribers' model viewset (search, filters, CSV export).

The pages of their own (send, preview, counts, import) are in `admin_views.py`.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList, PageChooserPanel
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.snippets.action_menu import ActionMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from masthead.newsletter import admin_views
from masthead.newsletter.models import NewsletterIssue, Subscriber, normalize_email
from masthead.supporters.reports import spreadsheet_safe

# --- Issues -----------------------------------------------------------------------------------


class NewsletterIssueViewSet(SnippetViewSet):
    model = NewsletterIssue
    icon = "mail"
    menu_label = "Issues"
    list_display = ["subject", "language", "created_at"]
    list_filter = ["language"]
    search_fields = ["subject"]
    search_backend_name = None
    panels = [
        FieldPanel("subject"),
        FieldPanel("language"),
        FieldPanel("intro"),
        InlinePanel(
            "issue_articles",
            label="Stories",
            panels=[PageChooserPanel("article", page_type="newsroom.ArticlePage")],
        ),
    ]


register_snippet(NewsletterIssueViewSet)


@hooks.register("after_create_snippet")
def remember_who_wrote_the_issue(request: HttpRequest, instance) -> None:
    if isinstance(instance, NewsletterIssue) and instance.created_by_id is None:
        instance.created_by = request.user
        instance.save(update_fields=["created_by"])


@hooks.register("register_snippet_listing_buttons")
def issue_send_button(snippet, user, next_url=None):
    if isinstance(snippet, NewsletterIssue) and user.has_perm(admin_views.DRAFT_PERMISSION):
        yield Button(
            "Send…",
            reverse("newsletter_issue_send", args=[snippet.pk]),
            icon_name="mail",
            priority=5,
        )


class SendIssueMenuItem(ActionMenuItem):
    """ "Send…" in the edit view's action menu: to the issue's send page."""

    name = "action-newsletter-send"
    label = "Send…"
    icon_name = "mail"

    def is_shown(self, context) -> bool:
        return context.get("view") == "edit" and context.get("instance") is not None

    def get_url(self, parent_context) -> str:
        return reverse("newsletter_issue_send", args=[parent_context["instance"].pk])


@hooks.register("register_snippet_action_menu_item")
def register_send_issue_menu_item(model):
    return SendIssueMenuItem(order=90) if model is NewsletterIssue else None


# --- Subscribers ------------------------------------------------------------------------------


class SubscriberIndexView(IndexView):
    def preprocess_field_value(self, field, value, export_format):
        if export_format == self.FORMAT_CSV and hasattr(value, "isoformat"):
            return timezone.localtime(value).isoformat(timespec="seconds")
        value = super().preprocess_field_value(field, value, export_format)
        csv = export_format == self.FORMAT_CSV
        return spreadsheet_safe(value) if csv and isinstance(value, str) else value


class SubscriberForm(WagtailAdminModelForm):
    """Adding or editing one subscriber by hand. Added by an editor means subscribed (no
    confirmation e-mail): the help text says whose responsibility consent then is."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance._state.adding and not self.is_bound:
            self.initial["status"] = Subscriber.SUBSCRIBED
        if "email" in self.fields:
            self.fields["email"].help_text = (
                "Add only someone who asked to get the newsletter: you are responsible for "
                "their consent. Added here, they are subscribed at once, without a "
                "confirmation e-mail."
            )

    def clean_email(self) -> str:
        return normalize_email(self.cleaned_data["email"])

    def save(self, commit: bool = True) -> Subscriber:
        subscriber: Subscriber = super().save(commit=False)
        now = timezone.now()
        if subscriber._state.adding:
            subscriber.source = Subscriber.ADMIN
        if subscriber.status == Subscriber.SUBSCRIBED:
            # Put back on the list by an editor: no longer counted as gone or as bouncing.
            subscriber.confirmed_at = subscriber.confirmed_at or now
            subscriber.unsubscribed_at = None
            if self.initial.get("status") == Subscriber.BOUNCING:
                subscriber.bounce_count = 0
        if subscriber.status == Subscriber.UNSUBSCRIBED and subscriber.unsubscribed_at is None:
            subscriber.unsubscribed_at = now
        if commit:
            subscriber.save()
        return subscriber


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "user"
    menu_label = "Subscribers"
    add_to_admin_menu = False
    index_view_class = SubscriberIndexView
    list_display = [
        "email",
        "name",
        "language",
        "frequency",
        "status",
        "created_at",
        "confirmed_at",
    ]
    list_filter = ["status", "language", "frequency", "source"]
    search_fields = ["email", "name"]
    search_backend_name = None
    list_export = [
        "email",
        "name",
        "language",
        "frequency",
        "status",
        "created_at",
        "confirmed_at",
    ]
    # Plain column names, which `importing` reads back (a round trip keeps everyone's status).
    export_headings = {field: field for field in list_export}
    export_filename = "newsletter-subscribers"
    list_per_page = 50
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("email"),
            FieldPanel("name"),
            FieldPanel("language"),
            FieldPanel("frequency"),
            FieldPanel("status"),
        ],
        base_form_class=SubscriberForm,
    )


subscriber_viewset = SubscriberViewSet(
    "newsletter_subscribers", url_prefix="newsletter/subscribers"
)


@hooks.register("register_admin_viewset")
def register_subscriber_viewset() -> ModelViewSet:
    return subscriber_viewset


# --- Pages of their own, and the menu ---------------------------------------------------------


@hooks.register("register_admin_urls")
def register_newsletter_urls() -> list:
    return [
        path(
            "newsletter/issues/<int:issue_id>/send/",
            admin_views.issue_send,
            name="newsletter_issue_send",
        ),
        path(
            "newsletter/issues/<int:issue_id>/preview/",
            admin_views.issue_preview,
            name="newsletter_issue_preview",
        ),
        path("newsletter/report/", admin_views.subscriber_report, name="newsletter_report"),
        path("newsletter/import/", admin_views.subscriber_import, name="newsletter_import"),
    ]


class PermissionMenuItem(MenuItem):
    """Shown to whoever has one of `permissions`."""

    def __init__(self, *args, permissions: tuple[str, ...], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.permissions = permissions

    def is_shown(self, request: HttpRequest) -> bool:
        return any(request.user.has_perm(permission) for permission in self.permissions)


@hooks.register("register_admin_menu_item")
def register_newsletter_menu_item() -> MenuItem:
    issue_permissions = tuple(
        f"newsletter.{action}_newsletterissue" for action in ("view", "add", "change")
    )
    subscriber_permissions = (admin_views.VIEW_SUBSCRIBERS_PERMISSION,)
    menu = Menu(
        items=[
            PermissionMenuItem(
                "Issues",
                reverse("wagtailsnippets_newsletter_newsletterissue:list"),
                icon_name="mail",
                order=100,
                permissions=issue_permissions,
            ),
            PermissionMenuItem(
                "Subscribers",
                reverse("newsletter_subscribers:index"),
                icon_name="user",
                order=200,
                permissions=subscriber_permissions,
            ),
            PermissionMenuItem(
                "Counts and growth",
                reverse("newsletter_report"),
                icon_name="view",
                order=300,
                permissions=subscriber_permissions,
            ),
            PermissionMenuItem(
                "Import from CSV",
                reverse("newsletter_import"),
                icon_name="upload",
                order=400,
                permissions=(admin_views.IMPORT_PERMISSION,),
            ),
        ]
    )
    return SubmenuMenuItem("Newsletter", menu, name="newsletter", icon_name="mail", order=270)
