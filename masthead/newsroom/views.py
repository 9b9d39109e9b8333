"""Reader-facing views outside the page tree: an author's page and a tag's page, in each
reader language."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from taggit.models import Tag
from wagtail.models import Locale

from masthead.newsroom.models import (
    ArticlePage,
    Author,
    in_private_section,
    paginate,
    tagged_articles,
    tagged_ids,
)
from masthead.pagecache import dependencies
from masthead.translation.languages import active_locale, view_versions


def author_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The author's profile in the reader's language (the original where it has no
    translation) and the author's stories in that language."""
    locale = active_locale()
    copies = list(Author.objects.filter(slug=slug).select_related("locale"))
    if not copies:
        raise Http404("No author has this address.")
    dependencies.record(*{dependencies.authored_tag(copy.translation_key) for copy in copies})
    author = next((copy for copy in copies if copy.locale_id == locale.pk), None)
    if author is None:
        author = next(
            (
                copy
                for copy in copies
                if copy.locale.language_code == Locale.get_default().language_code
            ),
            copies[0],
        )
    return render(
        request,
        "newsroom/author_page.html",
        {
            "author": author,
            "articles": paginate(author.articles(locale), request, ids=author.article_ids(locale)),
            "language_versions": view_versions(request),
        },
    )


def tag_page(request: HttpRequest, slug: str) -> HttpResponse:
    dependencies.record(dependencies.tagged_tag(slug))
    tag = Tag.objects.filter(slug=slug).first()
    articles = tagged_articles(slug)
    if tag is None or not articles.exists():
        raise Http404("No published article has this tag.")
    languages = set(
        ArticlePage.objects.live()
        .exclude(in_private_section())
        .filter(tags__slug=slug)
        .values_list("locale__language_code", flat=True)
    )
    return render(
        request,
        "newsroom/tag_page.html",
        {
            "tag": tag,
            "articles": paginate(articles, request, ids=tagged_ids(slug)),
            "language_versions": view_versions(request, available=languages),
        },
    )


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says; point them at the real icon."""
    return HttpResponsePermanentRedirect(static("newsroom/favicon.svg"))
