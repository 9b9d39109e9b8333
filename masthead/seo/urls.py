"""robots.txt and the sitemaps, at the site's root (they cover every language)."""

from django.urls import path

from masthead.seo import views

app_name = "seo"

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap_index, name="sitemap_index"),
    path("sitemaps/news.xml", views.news_sitemap, name="news_sitemap"),
    path("sitemaps/<str:language>/pages.xml", views.pages_sitemap, name="pages_sitemap"),
    path(
        "sitemaps/<str:language>/sections/<str:section>.xml",
        views.section_sitemap,
        name="section_sitemap",
    ),
]
