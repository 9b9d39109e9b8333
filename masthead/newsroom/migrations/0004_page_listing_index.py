"""An index on Wagtail's page tree for the newsroom's lists of articles.

Sections, author and tag pages, the home page's section blocks and the sitemaps ask for "the
published articles right below this page, newest first" and "how many": as a range of tree
paths (see `newsroom.models.children_of`) with the depth, state and type of each page. This
index holds all of those columns, so the database answers the ids, counts and dates from the
index alone, without reading tens of thousands of page rows. The articles of one list page are
then loaded by id.

A second index, by language and first publication, gives a language's newest stories
(the home page, "More Articles") by walking it from the newest end.

Wagtail's own table, so written as SQL (the same in SQLite and PostgreSQL).
"""

from django.db import migrations

INDEX = "newsroom_page_listing_idx"
NEWEST = "newsroom_page_newest_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0003_article_social_image"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [
        migrations.RunSQL(
            sql=(
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page "
                "(path, depth, live, content_type_id, first_published_at, last_published_at)"
            ),
            reverse_sql=f"DROP INDEX IF EXISTS {INDEX}",
        ),
        migrations.RunSQL(
            sql=(
                f"CREATE INDEX IF NOT EXISTS {NEWEST} ON wagtailcore_page "
                "(locale_id, first_published_at)"
            ),
            reverse_sql=f"DROP INDEX IF EXISTS {NEWEST}",
        ),
    ]
