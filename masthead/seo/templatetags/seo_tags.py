"""`{% social_meta %}`, `{% structured_data %}` and `{% canonical_link %}`: what link previews
and search engines read, in every reader page's `<head>`."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from masthead.seo import social_cards
from masthead.seo import structured_data as schema

register = template.Library()


@register.inclusion_tag("seo/includes/social_meta.html", takes_context=True)
def social_meta(context: template.Context, **given: str) -> dict:
    """OpenGraph and Twitter card tags. A page the tag can't tell about (a search page) may
    name its own: `{% social_meta title=… description=… %}`."""
    return {"meta": social_cards.meta_tags(social_cards.social_cards(context, **given))}


@register.inclusion_tag("seo/includes/structured_data.html", takes_context=True)
def structured_data(context: template.Context) -> dict:
    """The page's JSON-LD, where it has some (articles, author pages, the front page)."""
    data = schema.structured_data(context)
    return {"data": schema.json_ld(data) if data else ""}


@register.simple_tag(takes_context=True)
def canonical_link(context: template.Context) -> SafeString | str:
    """`<link rel="canonical">` for the page's own address in its language (none on pages that
    have no address of their own, such as errors)."""
    url = social_cards.canonical_for(context)
    return format_html('\n  <link rel="canonical" href="{}">', url) if url else ""
