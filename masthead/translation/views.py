"""The admin's translation status view."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from masthead.translation.engines import get_engine
from masthead.translation.languages import reader_locales
from masthead.translation.status import original_articles, status_rows

ROWS_PER_PAGE = 50


def translation_status(request: HttpRequest) -> HttpResponse:
    locales = reader_locales()
    articles = Paginator(original_articles(), ROWS_PER_PAGE).get_page(request.GET.get("p"))
    engine = get_engine()
    names = dict(settings.LANGUAGES)
    return render(
        request,
        "translation/admin/status.html",
        {
            "rows": status_rows(list(articles), locales),
            "articles": articles,
            "languages": [
                (locale.language_code, names[locale.language_code])
                for locale in locales
                if locale.language_code != settings.LANGUAGE_CODE
            ],
            "engine": engine,
        },
    )
