"""The newsroom's side of donations in the Wagtail admin: the dashboard (figures, the chart of
recurring supporters, where gifts came from, what Stripe still needs), the supporters list, one
supporter's donations, and the gifts export (CSV).

Everyone with `supporters.view_donor` (Editors, Finance) sees these pages. Who supporters are
(names, e-mail addresses, searching by them) is shown only to those who also have
`supporters.view_donor_email` (the Finance group) or are superusers; everyone else sees
"Supporter #12". The figures themselves come from `reports.py`.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django import forms
from django.conf import settings
from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy, ngettext
from wagtail.admin import messages
from wagtail.admin.auth import permission_required
from wagtail.models import Page

from masthead.supporters import reports, stripe_api, webhooks
from masthead.supporters.charts import Chart, monthly_bar_chart
from masthead.supporters.models import Donor

logger = logging.getLogger(__name__)

VIEW_PERMISSION = "supporters.view_donor"
IDENTITY_PERMISSION = "supporters.view_donor_email"
ROWS_PER_PAGE = 50

SETTING_HELP = {
    "STRIPE_SECRET_KEY": gettext_lazy(
        "The secret key from Stripe's Dashboard, Developers → API keys: sk_live_… takes real "
        "money, sk_test_… is for trying it out (a restricted key, rk_…, works too)."
    ),
    "STRIPE_WEBHOOK_SECRET": gettext_lazy(
        "The signing secret (whsec_…) Stripe shows once you have added the webhook endpoint below."
    ),
    "STRIPE_PUBLISHABLE_KEY": gettext_lazy(
        "The publishable key from the same page (pk_live_… or pk_test_…), of the same mode as "
        "the secret key."
    ),
}


def can_see_identity(user: AbstractUser | AnonymousUser) -> bool:
    """Whether `user` may see who supporters are (names, e-mail addresses)."""
    return user.has_perm(IDENTITY_PERMISSION)  # superusers have every permission


# --- What Stripe still needs ------------------------------------------------------------------


@dataclass(frozen=True)
class StripeSetup:
    configured: bool
    livemode: bool
    missing: list[tuple[str, str]]  # environment variable, what to put in it
    webhook_url: str
    events: list[str]
    warnings: list[str]


def stripe_setup() -> StripeSetup:
    """What an operator still has to do for donations to work, for the admin to show."""
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    warnings = []
    secret, publishable = settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY
    if secret and publishable and stripe_api.livemode() != publishable.startswith("pk_live_"):
        warnings.append(
            gettext(
                "STRIPE_SECRET_KEY and STRIPE_PUBLISHABLE_KEY are of different modes (one live, "
                "one test): use the pair from the same mode."
            )
        )
    if "127.0.0.1" in base_url or "localhost" in base_url:
        warnings.append(
            gettext(
                "MASTHEAD_BASE_URL is %(url)s, which Stripe can't reach: set it to the site's "
                "public address (https://…) so the webhook endpoint below is right. To try "
                "donations on this computer, the Stripe CLI can forward events instead: "
                "stripe listen --forward-to %(webhook)s"
            )
            % {"url": base_url, "webhook": base_url + reverse("stripe_webhook")}
        )
    return StripeSetup(
        configured=stripe_api.is_configured(),
        livemode=stripe_api.livemode(),
        missing=[(name, str(SETTING_HELP[name])) for name in stripe_api.missing_settings()],
        webhook_url=base_url + reverse("stripe_webhook"),
        events=webhooks.ENDPOINT_EVENTS,
        warnings=warnings,
    )


# --- The chart ---------------------------------------------------------------------------------


def bar_chart(points: list[reports.MonthCount]) -> Chart:
    """A bar chart of supporters per month, to draw as SVG in the page."""
    return monthly_bar_chart(
        [
            (
                point.month,
                point.count,
                ngettext(
                    "%(month)s: %(count)s supporter",
                    "%(month)s: %(count)s supporters",
                    point.count,
                )
                % {"month": date_format(point.month, "YEAR_MONTH_FORMAT"), "count": point.count},
            )
            for point in points
        ]
    )


# --- Views ------------------------------------------------------------------------------------


@permission_required(VIEW_PERMISSION)
def dashboard(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    return render(
        request,
        "supporters/admin/dashboard.html",
        {
            "setup": stripe_setup(),
            "totals": reports.given_totals(now),
            "mrr": reports.monthly_recurring_revenue(),
            "counts": reports.supporter_counts(now),
            "chart": bar_chart(reports.supporters_by_month(12, now)),
            "churned": reports.churned_supporters(90, now),
            "articles": reports.top_articles(),
            "campaigns": reports.top_campaigns(),
            "unattributed": reports.unattributed_gifts(),
            "can_see_identity": can_see_identity(request.user),
            "export_form": ExportForm(),
        },
    )


@permission_required(VIEW_PERMISSION)
def supporter_list(request: HttpRequest) -> HttpResponse:
    identity = can_see_identity(request.user)
    query = request.GET.get("q", "")[:200]
    filter_name = request.GET.get("filter", "")
    if filter_name not in dict(reports.FILTERS):
        filter_name = ""
    found = reports.find_supporters(query, filter_name, can_see_identity=identity)
    page = Paginator(found, ROWS_PER_PAGE).get_page(request.GET.get("p"))
    return render(
        request,
        "supporters/admin/supporter_list.html",
        {
            "rows": reports.supporter_rows(page.object_list),
            "page": page,
            "query": query,
            "filter": filter_name,
            "filters": reports.FILTERS,
            "can_see_identity": identity,
            "livemode": stripe_api.livemode(),
        },
    )


@permission_required(VIEW_PERMISSION)
def supporter_detail(request: HttpRequest, donor_id: int) -> HttpResponse:
    donor = get_object_or_404(Donor, pk=donor_id)
    livemode = stripe_api.livemode()
    return render(
        request,
        "supporters/admin/supporter_detail.html",
        {
            "donor": donor,
            "history": reports.supporter_history(donor, livemode),
            "can_see_identity": can_see_identity(request.user),
            "livemode": livemode,
            "stripe_dashboard": "https://dashboard.stripe.com/" + ("" if livemode else "test/"),
        },
    )


class ExportForm(forms.Form):
    since = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class _Echo:
    """A file-like object that hands back what csv.writer writes, for streaming."""

    def write(self, value: str) -> str:
        return value


@permission_required(VIEW_PERMISSION)
def export_gifts(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.GET)
    if not form.is_valid():
        messages.error(request, gettext("Write the dates of the export as YYYY-MM-DD."))
        return redirect("supporters_dashboard")
    identity = can_see_identity(request.user)
    since: date | None = form.cleaned_data["since"]
    until: date | None = form.cleaned_data["until"]
    logger.info(
        "User %s exported gifts%s", request.user.pk, " with e-mail addresses" if identity else ""
    )
    livemode = stripe_api.livemode()

    def lines() -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield "\ufeff"  # so that spreadsheets read the file as UTF-8
        yield writer.writerow(reports.export_columns(identity))
        for row in reports.export_gifts(
            identity,
            page_url=lambda page: _page_url(page, request),
            since=since,
            until=until,
            livemode=livemode,
        ):
            yield writer.writerow(row)

    name = f"gifts-{'live' if livemode else 'test'}-{timezone.localdate().isoformat()}.csv"
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _page_url(page: Page, request: HttpRequest) -> str:
    return page.get_full_url(request) or ""
