"""The forms readers fill in: the donation form, the sign-in-link request and the change of a
recurring donation. Error messages are in the reader's language."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from masthead.supporters import money
from masthead.supporters.models import (
    INTERVAL_OF_KIND,
    KINDS,
    MONTHLY,
    ONE_TIME,
    SupportSettings,
    normalize_email,
)

NO_LINE_BREAKS = "\r\n"


class AmountField(forms.Field):
    """An amount typed in whole units ("25", "12.50", "12,50"), cleaned to a Decimal."""

    widget = forms.TextInput

    def to_python(self, value) -> Decimal | None:
        value = str(value).strip() if value is not None else ""
        if value in self.empty_values:
            return None
        if len(value) > 20:
            raise forms.ValidationError(
                gettext("Enter an amount as a number, like 25 or 12.50."), code="invalid"
            )
        try:
            return money.parse_amount(value)
        except ValueError as error:
            raise forms.ValidationError(
                gettext("Enter an amount as a number, like 25 or 12.50."), code="invalid"
            ) from error


def _check_amount(amount: Decimal | None, settings: SupportSettings) -> int:
    """The amount in the smallest unit, within the site's limits."""
    if amount is None:
        raise forms.ValidationError(gettext("Choose or enter an amount."), code="required")
    minor = money.to_minor_units(amount, settings.currency)
    if minor < settings.minimum_minor:
        raise forms.ValidationError(
            gettext("The smallest gift we can take is %(amount)s.")
            % {"amount": money.format_money(settings.minimum_minor, settings.currency)},
            code="min_value",
        )
    if minor > settings.maximum_minor:
        raise forms.ValidationError(
            gettext("The largest gift we can take online is %(amount)s.")
            % {"amount": money.format_money(settings.maximum_minor, settings.currency)},
            code="max_value",
        )
    return minor


class DonationForm(forms.Form):
    kind = forms.ChoiceField(choices=KINDS, widget=forms.RadioSelect, initial=MONTHLY)
    preset = forms.CharField(required=False)  # the chosen suggested amount, in minor units
    amount = AmountField(required=False, label=_("Other amount"))
    currency = forms.CharField(max_length=3, widget=forms.HiddenInput)
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    name = forms.CharField(label=_("Name (optional)"), required=False, max_length=200)
    dedication = forms.CharField(
        label=_("In honour of, or a note to the newsroom (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    source = forms.IntegerField(required=False, widget=forms.HiddenInput)
    campaign = forms.SlugField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, support_settings: SupportSettings, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.support_settings = support_settings
        self.fields["currency"].initial = support_settings.currency

    def presets(self, kind: str) -> list[tuple[int, str]]:
        settings = self.support_settings
        return [
            (minor, money.format_money(minor, settings.currency))
            for minor in settings.suggested_amounts(kind)
        ]

    def clean_currency(self) -> str:
        currency = self.cleaned_data["currency"].lower()
        if currency != self.support_settings.currency.lower():
            raise forms.ValidationError(
                gettext("Donations are taken in %(currency)s. Reload the page and try again.")
                % {"currency": money.currency_name(self.support_settings.currency)},
                code="currency",
            )
        return currency

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors.get("amount"):
            return cleaned
        amount = cleaned.get("amount")
        preset = (cleaned.get("preset") or "").strip()
        if amount is None and preset:
            if not preset.isdigit():
                self.add_error("amount", gettext("Choose or enter an amount."))
                return cleaned
            amount = money.from_minor_units(int(preset), self.support_settings.currency)
        try:
            cleaned["amount_minor"] = _check_amount(amount, self.support_settings)
        except forms.ValidationError as error:
            self.add_error("amount", error)
        return cleaned

    @property
    def interval(self) -> str | None:
        return INTERVAL_OF_KIND.get(self.cleaned_data.get("kind", ONE_TIME))


class SignInLinkForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if any(character in email for character in NO_LINE_BREAKS):
            raise forms.ValidationError(gettext("Enter a valid e-mail address."))
        return normalize_email(email)


class ChangeDonationForm(forms.Form):
    """A new amount and interval for one recurring donation."""

    interval = forms.ChoiceField(
        choices=[("month", _("Monthly")), ("year", _("Annual"))], widget=forms.RadioSelect
    )
    amount = AmountField(label=_("Amount"))
    request_id = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, support_settings: SupportSettings, currency: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.support_settings = support_settings
        self.currency = currency

    def clean(self) -> dict:
        cleaned = super().clean()
        if "amount" in cleaned:
            try:
                cleaned["amount_minor"] = _check_amount(cleaned["amount"], self.support_settings)
            except forms.ValidationError as error:
                self.add_error("amount", error)
        return cleaned
