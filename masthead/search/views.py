"""The search page and the OpenSearch description, in each reader language."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse, translate_url
from django.utils import translation
from wagtail.models import Site

from masthead.newsroom.context_processors import newsroom_name
from masthead.search.forms import SearchForm
from masthead.search.query import search
from masthead.translation.languages import (
    LanguageVersion,
    active_locale,
    bcp47,
    reader_languages,
)

OPENSEARCH_SHORT_NAME_LENGTH = 16  # the OpenSearch 1.1 limit


def results(request: HttpRequest) -> HttpResponse:
    """/search/?q=…&section=…&author=…&from=…&to=…&page=… in the reader's language."""
    locale = active_locale()
    form = SearchForm(request.GET, locale=locale)
    query = form.parsed_query()
    filters = form.filters()
    found = search(query, locale, filters, request.GET.get("page")) if query else None
    bare = reverse("search:results")
    response = render(
        request,
        "search/results.html",
        {
            "form": form,
            "query": query,
            "filters": filters,
            "results": found,
            "search_query": query.text,
            "canonical_url": request.build_absolute_uri(bare),
            "unfiltered_url": _url(bare, {"q": query.text}),
            "language_versions": _language_versions(request),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response


def _url(path: str, params: dict[str, str]) -> str:
    query = QueryDict(mutable=True)
    query.update({key: value for key, value in params.items() if value})
    return f"{path}?{query.urlencode()}" if query else path


def _language_versions(request: HttpRequest) -> list[LanguageVersion]:
    """The same search in every reader language (from its first page)."""
    params = request.GET.copy()
    params.pop("page", None)
    path = f"{request.path}?{params.urlencode()}" if params else request.path
    current = translation.get_language()
    return [
        LanguageVersion(
            code=code,
            name=name,
            url=translate_url(path, code),
            is_current=code == current,
            is_original=code == settings.LANGUAGE_CODE,
        )
        for code, name in reader_languages()
    ]


def opensearch(request: HttpRequest) -> HttpResponse:
    """The OpenSearch description that lets browsers search the site in this language."""
    site = Site.find_for_request(request)
    site_name = newsroom_name(site)
    context = {
        "short_name": site_name[:OPENSEARCH_SHORT_NAME_LENGTH],
        "description_name": site_name,
        "language": bcp47(translation.get_language() or settings.LANGUAGE_CODE),
        "search_url": request.build_absolute_uri(reverse("search:results")),
        "self_url": request.build_absolute_uri(reverse("search:opensearch")),
        "icon_url": request.build_absolute_uri(static("newsroom/favicon.svg")),
    }
    return render(
        request,
        "search/opensearch.xml",
        context,
        content_type="application/opensearchdescription+xml; charset=utf-8",
    )
