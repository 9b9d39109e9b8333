"""The choices the footer's subscribe form offers: the reader languages (each named in itself,
the page's own preselected) and the frequencies (weekly preselected)."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils import translation

from masthead.newsletter.models import FREQUENCIES, WEEKLY

register = template.Library()


@register.simple_tag
def subscribe_choices() -> dict:
    return {
        "languages": settings.LANGUAGES,
        "current_language": translation.get_language() or settings.LANGUAGE_CODE,
        "frequencies": FREQUENCIES,
        "default_frequency": WEEKLY,
    }
