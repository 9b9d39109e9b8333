"""An index on Wagtail's page tree by depth first, for "the pages right below this one".

Migration 0004's index leads with the tree path, so "the children of a page" (a range of paths
at one depth) reads every descendant in that range: for a home page, every article of every
section, to find a handful of sections. Leading with the depth, the same range holds the
children alone. The sitemap index and the pages sitemap ask for the children of each language's
home this way, and the section lists (`newsroom.models.children_of`) read their articles from
either index. Its columns are those of 0004's, so both answer the same queries from the index
alone and the database never prefers one that has to read the page rows.

Wagtail's own table, so written as SQL (the same in SQLite and PostgreSQL).
"""

from django.db import migrations

INDEX = "newsroom_page_children_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0004_page_listing_index"),
    ]

    operations = [
        migrations.RunSQL(
            sql=(
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page "
                "(depth, path, live, content_type_id, first_published_at, last_published_at)"
            ),
            reverse_sql=f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
