"""Site-wide choices for search engines, feeds and shared links (Settings → Search engines and
feeds)."""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="globe")
class SeoSettings(BaseSiteSetting):
    """The publisher's identity for structured data, and what the feeds carry."""

    FULL_TEXT = "full"
    SUMMARY = "summary"
    FEED_CONTENT_CHOICES = [
        (FULL_TEXT, "The whole article"),
        (SUMMARY, "A summary, with a link to the article"),
    ]

    feed_content = models.CharField(
        max_length=10,
        choices=FEED_CONTENT_CHOICES,
        default=FULL_TEXT,
        help_text="What RSS and Atom feeds carry for each article.",
    )
    publisher_logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The newsroom's logo for search engines: a PNG or JPEG, at least 112 pixels "
        "wide.",
    )
    corrections_policy = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The page that says how the newsroom corrects its mistakes.",
    )
    publishing_principles = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The page with the newsroom's editorial standards and ethics.",
    )
    social_handle = models.CharField(
        max_length=50,
        blank=True,
        help_text='The newsroom\'s account on X/Twitter, e.g. "@ledger" (for link previews).',
    )

    panels = [
        FieldPanel("feed_content"),
        MultiFieldPanel(
            [
                FieldPanel("publisher_logo"),
                FieldPanel("corrections_policy"),
                FieldPanel("publishing_principles"),
                FieldPanel("social_handle"),
            ],
            heading="The publisher, for search engines and link previews",
        ),
    ]

    class Meta:
        verbose_name = "search engines and feeds"
