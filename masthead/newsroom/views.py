"""Reader-facing views outside the page tree: an author's page and a tag's page."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from taggit.models import Tag

from masthead.newsroom.models import Author, paginate, tagged_articles


def author_page(request: HttpRequest, slug: str) -> HttpResponse:
    author = get_object_or_404(Author.objects.prefetch_related("links"), slug=slug)
    return render(
        request,
        "newsroom/author_page.html",
        {"author": author, "articles": paginate(author.articles(), request)},
    )


def tag_page(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    articles = tagged_articles(tag.slug)
    if not articles.exists():
        raise Http404("No published article has this tag.")
    return render(
        request, "newsroom/tag_page.html", {"tag": tag, "articles": paginate(articles, request)}
    )


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says; point them at the real icon."""
    return HttpResponsePermanentRedirect(static("newsroom/favicon.svg"))
