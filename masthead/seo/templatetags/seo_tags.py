"""`{% social_meta %}` and `{% structured_data %}`: what link previews and search engines read."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def social_meta(context) -> str:
    return ""


@register.simple_tag(takes_context=True)
def structured_data(context) -> str:
    return ""
