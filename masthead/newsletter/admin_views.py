"""The newsroom's side of newsletters in the Wagtail admin, beyond what the viewsets in
`wagtail_hooks.py` give: an issue's e-mail preview, its send page (a test to oneself, then a
segment of subscribers, with a confirmation step and the progress of the send), the counts and
growth of the list, and the CSV import.

Who may do what: issues are drafted by anyone with `newsletter.change_newsletterissue`
(Editors, the Newsletter group); only `newsletter.send_newsletterissue` sends to subscribers.
The counts need `newsletter.view_subscriber`, the import `newsletter.import_subscribers`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied, permission_required

from masthead.newsletter import importing, reports
from masthead.newsletter.composing import Composed, compose
from masthead.newsletter.models import FREQUENCIES, Delivery, Mailing, NewsletterIssue, Subscriber

logger = logging.getLogger(__name__)

DRAFT_PERMISSION = "newsletter.change_newsletterissue"
SEND_PERMISSION = "newsletter.send_newsletterissue"
VIEW_SUBSCRIBERS_PERMISSION = "newsletter.view_subscriber"
IMPORT_PERMISSION = "newsletter.import_subscribers"


# --- Preview ----------------------------------------------------------------------------------


def compose_issue(issue: NewsletterIssue) -> Composed | None:
    """The issue's content in its own language; works on an unsaved issue (live preview)."""
    return compose(Mailing(kind=Mailing.ISSUE, issue=issue), issue.language)


def issue_preview_html(issue: NewsletterIssue) -> str:
    """The whole e-mail as a subscriber would see it, with placeholder links."""
    from masthead.newsletter import messages as newsletter_messages

    composed = compose_issue(issue)
    if composed is None:
        return "<!DOCTYPE html><p>Nothing to show yet: write an introduction or add stories.</p>"
    return newsletter_messages.render_html(composed, None)


def serve_issue_preview(request: HttpRequest, issue: NewsletterIssue) -> HttpResponse:
    """Wagtail's preview panel (and the preview page) of an issue."""
    response = HttpResponse(issue_preview_html(issue))
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required(DRAFT_PERMISSION)
def issue_preview(request: HttpRequest, issue_id: int) -> HttpResponse:
    return serve_issue_preview(request, get_object_or_404(NewsletterIssue, pk=issue_id))


# --- Sending ----------------------------------------------------------------------------------


class SegmentForm(forms.Form):
    """Who an issue goes to: one language or all, one frequency or all."""

    language = forms.ChoiceField(
        choices=[("", "All languages"), *settings.LANGUAGES], required=False
    )
    frequency = forms.ChoiceField(choices=[("", "All frequencies"), *FREQUENCIES], required=False)


@dataclass(frozen=True)
class Segment:
    language: str | None
    frequency: str | None
    receiving: int  # subscribers of the segment who get newsletters
    already: int  # of those, how many this issue has already been sent (or is being sent) to

    @property
    def to_send(self) -> int:
        return self.receiving - self.already

    def describe(self) -> str:
        """ "subscribers reading Français, every frequency", for the confirmation."""
        languages = dict(settings.LANGUAGES)
        language = f"reading {languages[self.language]}" if self.language else "in every language"
        frequency = str(dict(FREQUENCIES).get(self.frequency, "every frequency")).lower()
        return f"subscribers {language}, {frequency}"

    def query(self) -> str:
        return urlencode({"language": self.language or "", "frequency": self.frequency or ""})


def issue_mailing(issue: NewsletterIssue) -> Mailing | None:
    return Mailing.objects.filter(key=f"issue:{issue.pk}").first()


def segment_of(issue: NewsletterIssue, language: str | None, frequency: str | None) -> Segment:
    """How many subscribers a send to this segment reaches, and how many already got it."""
    receiving = Subscriber.objects.receiving()
    if language:
        receiving = receiving.filter(language=language)
    if frequency:
        receiving = receiving.filter(frequency=frequency)
    mailing = issue_mailing(issue)
    already = 0 if mailing is None else receiving.filter(deliveries__mailing=mailing).count()
    return Segment(language, frequency, receiving.count(), already)


def progress_of(mailing: Mailing | None) -> dict[str, int]:
    """Deliveries of the issue's mailing by status (pending, sent, failed, skipped)."""
    counts = dict.fromkeys((status for status, _label in Delivery.STATUSES), 0)
    if mailing is not None:
        for row in mailing.deliveries.values("status").annotate(count=Count("id")):
            counts[row["status"]] = row["count"]
    return counts


def send_test_copy(issue: NewsletterIssue, address: str) -> str | None:
    """Send one copy of the issue to `address`; the error to show, or None when it went."""
    from masthead.newsletter import messages as newsletter_messages

    if not address:
        return (
            "Your account has no e-mail address: add one in your account settings to get a "
            "test copy."
        )
    composed = compose_issue(issue)
    if composed is None:
        return "Nothing to send yet: write an introduction or add stories."
    try:
        newsletter_messages.send_test(composed, address)
    except ValidationError:
        return f"Your account's e-mail address ({address}) isn't valid: correct it first."
    except Exception as error:  # a server down or refusing, a provider's API error
        from masthead.newsletter.postman import describe

        reason = describe(error)  # without any e-mail address in it
        logger.warning("Test of newsletter issue %s failed: %s", issue.pk, reason)
        return f"The mail server did not take the test copy: {reason}"
    return None


@permission_required(DRAFT_PERMISSION)
def issue_send(request: HttpRequest, issue_id: int) -> HttpResponse:
    """An issue's send page: GET shows the segment's count and the progress; POST sends a test
    (action=test), asks for confirmation (action=review) or sends (action=send)."""
    issue = get_object_or_404(NewsletterIssue, pk=issue_id)
    data = request.POST if request.method == "POST" else request.GET
    form = SegmentForm(data or None)
    valid = form.is_valid() if form.is_bound else True
    language = (form.cleaned_data.get("language") or None) if form.is_bound and valid else None
    frequency = (form.cleaned_data.get("frequency") or None) if form.is_bound and valid else None
    segment = segment_of(issue, language, frequency)
    send_url = reverse("newsletter_issue_send", args=[issue.pk])
    back = f"{send_url}?{segment.query()}"
    can_send = request.user.has_perm(SEND_PERMISSION)

    if request.method == "POST":
        action = request.POST.get("action")
        if action == "test":
            error = send_test_copy(issue, request.user.email)
            if error:
                messages.error(request, error)
            else:
                messages.success(request, f"A test copy went to {request.user.email}.")
            return redirect(back)
        if action in ("review", "send"):
            if not can_send:
                return permission_denied(request)
            if not valid:
                messages.error(request, "Choose a language and a frequency from the lists.")
                return redirect(send_url)
            if segment.to_send == 0:
                messages.warning(request, "Nobody in this segment is left to send it to.")
                return redirect(back)
            if action == "send" and request.POST.get("confirmed") == "yes":
                return _start_sending(request, issue, segment, back)
            return render(
                request,
                "newsletter/admin/issue_send_confirm.html",
                {"issue": issue, "segment": segment, "form": form, "send_url": send_url},
            )
        messages.error(request, "Unknown action.")
        return redirect(back)

    mailing = issue_mailing(issue)
    return render(
        request,
        "newsletter/admin/issue_send.html",
        {
            "issue": issue,
            "form": form if form.is_bound else SegmentForm(),
            "segment": segment,
            "segment_valid": valid,
            "can_send": can_send,
            "mailing": mailing,
            "progress": progress_of(mailing),
            "send_url": send_url,
            "edit_url": reverse("wagtailsnippets_newsletter_newsletterissue:edit", args=[issue.pk]),
            "preview_url": reverse("newsletter_issue_preview", args=[issue.pk]),
            "user_email": request.user.email,
        },
    )


def _start_sending(
    request: HttpRequest, issue: NewsletterIssue, segment: Segment, back: str
) -> HttpResponse:
    from masthead.newsletter import postman

    if compose_issue(issue) is None:
        messages.error(request, "Nothing to send yet: write an introduction or add stories.")
        return redirect(back)
    postman.start_issue(issue, segment.language, segment.frequency)
    logger.info(
        "User %s sent newsletter issue %s to language=%s frequency=%s (%s subscribers)",
        request.user.pk,
        issue.pk,
        segment.language or "all",
        segment.frequency or "all",
        segment.to_send,
    )
    messages.success(
        request,
        f"“{issue.subject}” is on its way to {segment.to_send} subscriber"
        f"{'' if segment.to_send == 1 else 's'}.",
    )
    return redirect(back)


# --- Counts and growth ------------------------------------------------------------------------


@permission_required(VIEW_SUBSCRIBERS_PERMISSION)
def subscriber_report(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    growth = reports.growth_by_month(12, now)
    return render(
        request,
        "newsletter/admin/report.html",
        {
            "counts": reports.subscriber_counts(),
            "growth": growth,
            "chart": reports.growth_chart(growth),
            "subscribers_url": reverse("newsletter_subscribers:index"),
        },
    )


# --- Import -----------------------------------------------------------------------------------


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="An export from Mailchimp, Substack, Ghost, Buttondown, Kit, MailerLite, or a "
        "plain list of addresses (one per line). At most "
        f"{importing.MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
    )
    language = forms.ChoiceField(
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        label="Language",
        help_text="For rows whose language the file doesn't give (or gives as one we don't have).",
    )
    frequency = forms.ChoiceField(
        choices=FREQUENCIES,
        initial=Subscriber._meta.get_field("frequency").default,
        label="Frequency",
        help_text="How often the new subscribers get mail (they can change it themselves).",
    )
    dry_run = forms.BooleanField(
        required=False,
        label="Only check the file",
        help_text="Show what the import would do without changing anything.",
    )
    consent = forms.BooleanField(
        label="These people asked to get our newsletter",
        help_text="They opted in at the service the file comes from; you are responsible for "
        "their consent. They get no confirmation e-mail.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > importing.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / (1024 * 1024):.1f} MB; the limit is "
                f"{importing.MAX_UPLOAD_BYTES // (1024 * 1024)} MB. Split it into smaller files."
            )
        return upload


@permission_required(IMPORT_PERMISSION)
def subscriber_import(request: HttpRequest) -> HttpResponse:
    report = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                report = importing.import_subscribers(
                    form.cleaned_data["file"],
                    default_language=form.cleaned_data["language"],
                    default_frequency=form.cleaned_data["frequency"],
                    dry_run=form.cleaned_data["dry_run"],
                )
            except importing.ImportFileError as error:
                form.add_error("file", str(error))
            else:
                logger.info(
                    "User %s imported subscribers%s: %s",
                    request.user.pk,
                    " (dry run)" if report.dry_run else "",
                    report.summary(),
                )
    else:
        form = ImportForm()
    return render(
        request,
        "newsletter/admin/import.html",
        {
            "form": form,
            "report": report,
            "shown": importing.REPORT_ROWS_SHOWN,
            "shown_slice": f":{importing.REPORT_ROWS_SHOWN}",
            "subscribers_url": reverse("newsletter_subscribers:index"),
        },
    )
