"""The forms readers fill in for the newsletter: subscribing (the footer form and the subscribe
page post the same fields) and changing their preferences. Error messages are in the reader's
language; an address or a name with a line break or another control character in it (an
attempt to add e-mail headers) is refused outright."""

from __future__ import annotations

import unicodedata

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from masthead.newsletter.models import FREQUENCIES, WEEKLY, normalize_email

EMAIL_MAX_LENGTH = 254
NAME_MAX_LENGTH = 120
# The honeypot: a field people never see (hidden by the stylesheet, skipped by screen readers
# and the keyboard) that naive bots fill in like every other.
HONEYPOT_FIELD = "website"


# Control characters (CR and LF among them) and the Unicode line and paragraph separators.
# Format characters (Cf) are allowed: names in Persian or Hindi need the zero-width joiners.
CONTROL_CATEGORIES = {"Cc", "Zl", "Zp"}


def has_control_characters(value: str) -> bool:
    """Whether `value` holds a line break or another control character."""
    return any(unicodedata.category(character) in CONTROL_CATEGORIES for character in value)


class SingleLineEmailField(forms.EmailField):
    """An e-mail address, checked before any whitespace is trimmed: a value with CR, LF or any
    other control character anywhere is refused, not cleaned."""

    default_error_messages = {
        "invalid": _("Enter a valid e-mail address, like name@example.org."),
        "required": _("Enter your e-mail address."),
        "control": _("An e-mail address can't contain line breaks or control characters."),
        "max_length": _("This e-mail address is too long."),
    }

    def to_python(self, value):
        if isinstance(value, str) and has_control_characters(value):
            raise forms.ValidationError(self.error_messages["control"], code="control")
        return super().to_python(value)

    def clean(self, value):
        if isinstance(value, str) and len(value) > EMAIL_MAX_LENGTH:
            raise forms.ValidationError(self.error_messages["max_length"], code="max_length")
        address = super().clean(value)
        return normalize_email(address) if address else address


class NameField(forms.CharField):
    """An optional name, on one line."""

    def __init__(self, **kwargs) -> None:
        super().__init__(
            required=False,
            max_length=NAME_MAX_LENGTH,
            label=_("Your name (optional)"),
            **kwargs,
        )

    def to_python(self, value):
        if isinstance(value, str) and has_control_characters(value):
            raise forms.ValidationError(
                _("A name can't contain line breaks or control characters."), code="control"
            )
        return super().to_python(value)


def language_field() -> forms.ChoiceField:
    """The reader languages, each named in itself (as settings.LANGUAGES names them)."""
    return forms.ChoiceField(
        choices=settings.LANGUAGES,
        label=pgettext_lazy("newsletter", "Language"),
        error_messages={"invalid_choice": _("Choose one of the languages in the list.")},
    )


def frequency_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=FREQUENCIES,
        widget=forms.RadioSelect,
        initial=WEEKLY,
        label=_("How often"),
        error_messages={
            "required": _("Choose how often you want our e-mails."),
            "invalid_choice": _("Choose how often you want our e-mails."),
        },
    )


class SubscribeForm(forms.Form):
    """E-mail, language, frequency, an optional name, and the honeypot."""

    email = SingleLineEmailField(max_length=EMAIL_MAX_LENGTH, label=_("Your e-mail address"))
    language = language_field()
    frequency = frequency_field()
    name = NameField()
    website = forms.CharField(required=False, max_length=200)

    @property
    def filled_by_a_bot(self) -> bool:
        """Whether the hidden field was filled in (only meaningful once validated)."""
        return bool(self.cleaned_data.get(HONEYPOT_FIELD))


class PreferencesForm(forms.Form):
    """What a subscriber can change about their subscription."""

    language = language_field()
    frequency = frequency_field()
    name = NameField()
