"""robots.txt and the sitemaps, at the site's root (they cover every language)."""

app_name = "seo"

urlpatterns: list = []
