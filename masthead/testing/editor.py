"""What the page editor posts: addresses of Wagtail's add and edit views and an article form."""

from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from masthead.newsroom.models import Author

HEADLINE = "Harbour audits were never done, records show"


def add_url(section: Page) -> str:
    return reverse("wagtailadmin_pages:add", args=("newsroom", "articlepage", section.pk))


def edit_url(page: Page) -> str:
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def article_form(author: Author | None = None, **fields) -> dict:
    """The article form as the editor's browser posts it, with `fields` changed."""
    data = {
        "title": HEADLINE,
        "slug": "harbour-audits",
        "dek": "Inspectors signed off without visiting.",
        "hero_image": "",
        "hero_alt_text": "",
        "hero_caption": "",
        "hero_credit": "",
        "body": streamfield([("paragraph", rich_text("<p>The audits never happened.</p>"))]),
        "article_authors": inline_formset([{"author": str(author.pk) if author else ""}], min=1),
        "article_type": "investigation",
        "tags": "ports, audits",
        "editors_note": "",
        "corrections": inline_formset([]),
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
    }
    data.update(fields)
    return nested_form_data(data)
