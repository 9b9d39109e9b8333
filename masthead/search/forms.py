"""The search form: the query and the filters (section, author, first-publication dates).

A filter the reader got wrong (an unknown section, a date that isn't one) is reported next to
its field and left out; the search still runs with the rest.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from masthead.newsroom.models import Author, SectionPage
from masthead.search.query import MAX_QUERY_LENGTH, Filters, ParsedQuery, parse_query

DATE_FORMAT = "%Y-%m-%d"


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "maxlength": MAX_QUERY_LENGTH, "spellcheck": "false"}
        ),
    )
    section = forms.ChoiceField(
        label=_("Section"),
        required=False,
        error_messages={"invalid_choice": _("There is no such section; showing all sections.")},
    )
    author = forms.ChoiceField(
        label=_("Author"),
        required=False,
        error_messages={"invalid_choice": _("There is no such author; showing all authors.")},
    )

    def __init__(self, *args, locale: Locale, **kwargs) -> None:
        kwargs.setdefault("auto_id", "search-%s")
        super().__init__(*args, **kwargs)
        self.locale = locale
        date_errors = {"invalid": _("Enter a date as YYYY-MM-DD; this one is left out.")}
        # "from" is a Python keyword, so these two are added here rather than declared.
        self.fields["from"] = forms.DateField(
            label=_("Published from"),
            required=False,
            input_formats=[DATE_FORMAT],
            widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
            error_messages=date_errors,
        )
        self.fields["to"] = forms.DateField(
            label=_("Published until"),
            required=False,
            input_formats=[DATE_FORMAT],
            widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
            error_messages=date_errors,
        )
        self._sections = {
            section.slug: section
            for section in SectionPage.objects.live()
            .public()
            .filter(locale=locale)
            .order_by("path")
        }
        self.fields["section"].choices = [
            ("", _("All sections")),
            *((slug, section.title) for slug, section in self._sections.items()),
        ]
        self._authors = self._authors_by_slug(locale)
        self.fields["author"].choices = [
            ("", _("All authors")),
            *((slug, author.name) for slug, author in self._authors.items()),
        ]

    @staticmethod
    def _authors_by_slug(locale: Locale) -> dict[str, Author]:
        """Every author once (the copy in the reader's language where there is one), by name."""
        authors: dict[str, Author] = {}
        for author in Author.objects.order_by("name", "pk"):
            if author.slug not in authors or author.locale_id == locale.pk:
                authors[author.slug] = author
        return dict(sorted(authors.items(), key=lambda item: item[1].name.casefold()))

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())[:MAX_QUERY_LENGTH]

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error("to", _("This date is before the first one; it is left out."))
        return cleaned

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = f"search-{name}-error"

    # What the search uses: only the valid parts.

    def parsed_query(self) -> ParsedQuery:
        self.is_valid()  # validates once; invalid fields are simply missing below
        return parse_query(self.cleaned_data.get("q", ""))

    def filters(self) -> Filters:
        self.is_valid()
        data = self.cleaned_data
        return Filters(
            section=self._sections.get(data.get("section") or ""),
            author=self._authors.get(data.get("author") or ""),
            date_from=data.get("from"),
            date_to=data.get("to"),
        )
