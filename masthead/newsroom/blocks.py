"""The building blocks editors compose an article body from."""

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul", "superscript", "subscript"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", "Heading"), ("h3", "Subheading")], default="h2", required=True
    )

    class Meta:
        icon = "title"
        template = "newsroom/blocks/heading.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "newsroom/blocks/quote.html"


class PullQuoteBlock(blocks.TextBlock):
    class Meta:
        icon = "openquote"
        template = "newsroom/blocks/pull_quote.html"
        help_text = "A short line from the article, set large to catch the eye."


class FigureBlock(blocks.StructBlock):
    """An image with the alt text Wagtail insists on, a caption and a credit."""

    image = ImageBlock()
    caption = blocks.CharBlock(required=False, max_length=300)
    credit = blocks.CharBlock(required=False, max_length=150)

    class Meta:
        icon = "image"
        template = "newsroom/blocks/figure.html"


class EmbedFigureBlock(blocks.StructBlock):
    embed = EmbedBlock(help_text="A link to a video, post or map from a supported site.")
    caption = blocks.CharBlock(required=False, max_length=300)

    class Meta:
        icon = "media"
        template = "newsroom/blocks/embed.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=PARAGRAPH_FEATURES, template="newsroom/blocks/paragraph.html"
    )
    heading = HeadingBlock()
    quote = QuoteBlock()
    pull_quote = PullQuoteBlock()
    image = FigureBlock()
    embed = EmbedFigureBlock()
