"""WordPress exports for tests and benchmarks, written the way WordPress's exporter writes them.

    export = WxrExport()
    export.author("jane", display_name="Jane Doe", email="jane@example.org")
    export.category("politics", "Politics")
    export.post(101, "A headline", "First paragraph.\n\nSecond.", categories=["politics"])
    path = export.write(tmp_path / "export.xml")

Every argument has the value a typical export has, so a test names only what it is about.
Nothing here knows how Masthead imports: it only writes WXR.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

SITE = "https://old.example.org"

NAMESPACES = (
    'xmlns:excerpt="http://wordpress.org/export/{version}/excerpt/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:wp="http://wordpress.org/export/{version}/"'
)


def cdata(text: str) -> str:
    """`text` as CDATA, split where it contains "]]>" (as WordPress's `wxr_cdata` does)."""
    return "<![CDATA[" + str(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


@dataclass
class Item:
    wp_id: int
    title: str
    content: str
    post_type: str
    status: str
    slug: str
    date: str
    date_gmt: str
    modified: str
    modified_gmt: str
    creator: str
    excerpt: str
    parent: int
    menu_order: int
    guid: str
    link: str
    attachment_url: str = ""
    terms: list[tuple[str, str, str]] = field(default_factory=list)  # (domain, slug, name)
    meta: dict[str, str] = field(default_factory=dict)
    password: str = ""


class WxrExport:
    """Builds a WXR file: authors, categories, tags and items, in the order WordPress writes."""

    def __init__(
        self,
        *,
        version: str = "1.2",
        site: str = SITE,
        title: str = "The Old Site",
        language: str = "en-US",
    ) -> None:
        self.version = version
        self.site = site.rstrip("/")
        self.title = title
        self.language = language
        self.authors: list[str] = []
        self.terms: list[str] = []
        self.items: list[Item] = []
        self._category_names: dict[str, str] = {}
        self._tag_names: dict[str, str] = {}
        self._next_author_id = 1
        self._next_term_id = 1

    # --- Authors and terms ---------------------------------------------------------------

    def author(
        self,
        login: str,
        *,
        display_name: str | None = None,
        email: str | None = None,
        first_name: str = "",
        last_name: str = "",
        bio: str | None = None,
        wp_id: int | None = None,
    ) -> WxrExport:
        wp_id = wp_id or self._next_author_id
        self._next_author_id = max(self._next_author_id, wp_id) + 1
        parts = [
            f"<wp:author_id>{wp_id}</wp:author_id>" if self.version != "1.0" else "",
            f"<wp:author_login>{cdata(login)}</wp:author_login>",
            f"<wp:author_email>{cdata(email or f'{login}@example.org')}</wp:author_email>",
            f"<wp:author_display_name>{cdata(display_name or login)}</wp:author_display_name>",
            f"<wp:author_first_name>{cdata(first_name)}</wp:author_first_name>",
            f"<wp:author_last_name>{cdata(last_name)}</wp:author_last_name>",
        ]
        if bio is not None:
            parts.append(f"<wp:author_description>{cdata(bio)}</wp:author_description>")
        self.authors.append("\t<wp:author>" + "".join(parts) + "</wp:author>\n")
        return self

    def category(
        self,
        slug: str,
        name: str | None = None,
        *,
        parent: str = "",
        description: str = "",
        wp_id: int | None = None,
    ) -> WxrExport:
        name = name or slug.replace("-", " ").title()
        self._category_names[slug] = name
        self.terms.append(
            f"\t<wp:category><wp:term_id>{self._term_id(wp_id)}</wp:term_id>"
            f"<wp:category_nicename>{cdata(slug)}</wp:category_nicename>"
            f"<wp:category_parent>{cdata(parent)}</wp:category_parent>"
            f"<wp:cat_name>{cdata(name)}</wp:cat_name>"
            + (
                f"<wp:category_description>{cdata(description)}</wp:category_description>"
                if description
                else ""
            )
            + "</wp:category>\n"
        )
        return self

    def tag(self, slug: str, name: str | None = None, *, wp_id: int | None = None) -> WxrExport:
        name = name or slug.replace("-", " ")
        self._tag_names[slug] = name
        self.terms.append(
            f"\t<wp:tag><wp:term_id>{self._term_id(wp_id)}</wp:term_id>"
            f"<wp:tag_slug>{cdata(slug)}</wp:tag_slug>"
            f"<wp:tag_name>{cdata(name)}</wp:tag_name></wp:tag>\n"
        )
        return self

    def _term_id(self, wp_id: int | None) -> int:
        wp_id = wp_id or self._next_term_id
        self._next_term_id = max(self._next_term_id, wp_id) + 1
        return wp_id

    # --- Items ---------------------------------------------------------------------------

    def post(
        self,
        wp_id: int,
        title: str,
        content: str = "",
        *,
        slug: str | None = None,
        status: str = "publish",
        post_type: str = "post",
        date: str = "2024-05-06 09:30:00",
        date_gmt: str | None = None,
        modified: str | None = None,
        modified_gmt: str | None = None,
        creator: str = "admin",
        excerpt: str = "",
        categories: Iterable[str] = (),
        tags: Iterable[str] = (),
        coauthors: Iterable[str] = (),
        parent: int = 0,
        menu_order: int = 0,
        meta: dict[str, str] | None = None,
        guid: str | None = None,
        link: str | None = None,
        password: str = "",
    ) -> WxrExport:
        """A post (or with `post_type`, a page or anything else). Drafts get WordPress's
        empty GMT date and no slug unless given; the link is the date-based permalink."""
        if slug is None:
            slug = "" if status in ("draft", "pending", "auto-draft") else _slugify(title, wp_id)
        if date_gmt is None:
            date_gmt = "0000-00-00 00:00:00" if status == "draft" else date
        if link is None:
            if not slug:
                link = f"{self.site}/?p={wp_id}"
            elif post_type == "page":
                link = f"{self.site}/{slug}/"
            else:
                link = f"{self.site}/{date[:4]}/{date[5:7]}/{slug}/"
        terms = [
            ("category", slug_, self._category_names.get(slug_, slug_)) for slug_ in categories
        ]
        terms += [("post_tag", slug_, self._tag_names.get(slug_, slug_)) for slug_ in tags]
        terms += [("author", f"cap-{login}", login) for login in coauthors]
        self.items.append(
            Item(
                wp_id=wp_id,
                title=title,
                content=content,
                post_type=post_type,
                status=status,
                slug=slug,
                date=date,
                date_gmt=date_gmt,
                modified=modified or date,
                modified_gmt=modified_gmt or modified or date_gmt,
                creator=creator,
                excerpt=excerpt,
                parent=parent,
                menu_order=menu_order,
                guid=guid or f"{self.site}/?p={wp_id}",
                link=link,
                terms=terms,
                meta=dict(meta or {}),
                password=password,
            )
        )
        return self

    def page(self, wp_id: int, title: str, content: str = "", **options) -> WxrExport:
        return self.post(wp_id, title, content, post_type="page", **options)

    def attachment(
        self,
        wp_id: int,
        url: str,
        *,
        title: str | None = None,
        parent: int = 0,
        alt: str = "",
        caption: str = "",
        date: str = "2024-05-06 09:00:00",
        link: str | None = None,
    ) -> WxrExport:
        """An uploaded file: `url` is absolute or a path under /wp-content/uploads/."""
        if not url.startswith("http"):
            url = f"{self.site}/wp-content/uploads/{url.lstrip('/')}"
        name = url.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        meta = {"_wp_attached_file": url.split("/uploads/", 1)[-1]}
        if alt:
            meta["_wp_attachment_image_alt"] = alt
        self.post(
            wp_id,
            title or name,
            "",
            slug=name.lower(),
            status="inherit",
            post_type="attachment",
            date=date,
            excerpt=caption,
            parent=parent,
            meta=meta,
            guid=url,
            link=link or f"{self.site}/?attachment_id={wp_id}",
        )
        self.items[-1].attachment_url = url
        return self

    # --- Writing -------------------------------------------------------------------------

    def xml(self) -> str:
        namespaces = NAMESPACES.format(version=self.version)
        head = (
            '<?xml version="1.0" encoding="UTF-8" ?>\n'
            "<!-- This is a WordPress eXtended RSS file generated by WordPress as an export "
            "of your site. -->\n"
            f'<rss version="2.0" {namespaces}>\n<channel>\n'
            f"\t<title>{escape(self.title)}</title>\n\t<link>{escape(self.site)}</link>\n"
            "\t<description>Just another WordPress site</description>\n"
            "\t<pubDate>Mon, 06 May 2024 10:00:00 +0000</pubDate>\n"
            f"\t<language>{escape(self.language)}</language>\n"
            f"\t<wp:wxr_version>{escape(self.version)}</wp:wxr_version>\n"
            f"\t<wp:base_site_url>{escape(self.site)}</wp:base_site_url>\n"
            f"\t<wp:base_blog_url>{escape(self.site)}</wp:base_blog_url>\n"
        )
        body = "".join(self.authors) + "".join(self.terms)
        body += "\t<generator>https://wordpress.org/?v=6.5</generator>\n"
        items = "".join(self._item_xml(item) for item in self.items)
        return head + body + items + "</channel>\n</rss>\n"

    def write(self, path: Path) -> Path:
        path = Path(path)
        path.write_text(self.xml(), encoding="utf-8")
        return path

    def _item_xml(self, item: Item) -> str:
        terms = "".join(
            f"\t\t<category domain={quoteattr(domain)} nicename={quoteattr(slug)}>"
            f"{cdata(name)}</category>\n"
            for domain, slug, name in item.terms
        )
        meta = "".join(
            f"\t\t<wp:postmeta><wp:meta_key>{cdata(key)}</wp:meta_key>"
            f"<wp:meta_value>{cdata(value)}</wp:meta_value></wp:postmeta>\n"
            for key, value in item.meta.items()
        )
        attachment = (
            f"\t\t<wp:attachment_url>{cdata(item.attachment_url)}</wp:attachment_url>\n"
            if item.attachment_url
            else ""
        )
        return (
            "\t<item>\n"
            f"\t\t<title>{escape(item.title)}</title>\n"
            f"\t\t<link>{escape(item.link)}</link>\n"
            "\t\t<pubDate>Mon, 06 May 2024 09:30:00 +0000</pubDate>\n"
            f"\t\t<dc:creator>{cdata(item.creator)}</dc:creator>\n"
            f'\t\t<guid isPermaLink="false">{escape(item.guid)}</guid>\n'
            "\t\t<description></description>\n"
            f"\t\t<content:encoded>{cdata(item.content)}</content:encoded>\n"
            f"\t\t<excerpt:encoded>{cdata(item.excerpt)}</excerpt:encoded>\n"
            f"\t\t<wp:post_id>{item.wp_id}</wp:post_id>\n"
            f"\t\t<wp:post_date>{cdata(item.date)}</wp:post_date>\n"
            f"\t\t<wp:post_date_gmt>{cdata(item.date_gmt)}</wp:post_date_gmt>\n"
            f"\t\t<wp:post_modified>{cdata(item.modified)}</wp:post_modified>\n"
            f"\t\t<wp:post_modified_gmt>{cdata(item.modified_gmt)}</wp:post_modified_gmt>\n"
            "\t\t<wp:comment_status>open</wp:comment_status>\n"
            "\t\t<wp:ping_status>open</wp:ping_status>\n"
            f"\t\t<wp:post_name>{cdata(item.slug)}</wp:post_name>\n"
            f"\t\t<wp:status>{cdata(item.status)}</wp:status>\n"
            f"\t\t<wp:post_parent>{item.parent}</wp:post_parent>\n"
            f"\t\t<wp:menu_order>{item.menu_order}</wp:menu_order>\n"
            f"\t\t<wp:post_type>{cdata(item.post_type)}</wp:post_type>\n"
            f"\t\t<wp:post_password>{cdata(item.password) if item.password else ''}"
            "</wp:post_password>\n"
            "\t\t<wp:is_sticky>0</wp:is_sticky>\n"
            f"{attachment}{terms}{meta}"
            "\t</item>\n"
        )


def _slugify(title: str, wp_id: int) -> str:
    """The post name WordPress makes of a title: non-ASCII letters percent-encoded, lowercase
    (`sanitize_title_with_dashes`), e.g. "中文" → "%e4%b8%ad%e6%96%87"."""
    from urllib.parse import quote

    from django.utils.text import slugify

    return quote(slugify(title, allow_unicode=True)).lower() or str(wp_id)
