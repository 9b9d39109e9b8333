"""Template helpers for donations: amounts in the reader's language, and the Support button
with its goal meters (shown under every article's editor's note)."""

from django import template
from django.utils import translation
from django.utils.formats import number_format
from wagtail.models import Page

from masthead.supporters import figures, links, money

register = template.Library()


@register.filter
def grouped(number: int) -> str:
    """12345 → "12,345" / "12 345", as the page's language groups digits."""
    return number_format(number, force_grouping=True)


@register.filter
def money_in(minor: int, currency: str) -> str:
    """`{{ gift.amount|money_in:gift.currency }}` → "$25" / "25 €" in the page's language."""
    return money.format_money(int(minor or 0), currency or "usd")


@register.inclusion_tag("supporters/includes/support_button.html")
def support_button(source: Page | None = None) -> dict:
    """The button to the Support page (carrying the article it came from) and the meters."""
    url = links.support_page_path(translation.get_language() or "en")
    if url and source is not None and source.pk:
        url = f"{url}?from={source.pk}"
    return {"support_url": url, "meters": figures.current().meters}
