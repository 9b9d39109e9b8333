"""`{% feed_links %}`: the `<link rel="alternate">` tags for the feeds that match a page."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def feed_links(context) -> str:
    return ""
